package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.fault.FaultEvent;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRuleStatus;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.testing.TestMail;
import jakarta.mail.SendFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The remote {@link FaultRules} against the standalone jar as a process. */
@Timeout(60)
class RemoteFaultRulesTest {
  private static ServerJarProcess server;
  private static FaultRules faults;
  private static MailsinkClient client;

  @BeforeAll
  static void startServer() throws InterruptedException {
    server = ServerJarProcess.start();
    client = MailsinkClient.connect(server.webUri());
    faults = client.faults();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void noRules() {
    faults.clear();
    client.mailbox().clear();
  }

  private static TestMail mailTo(String recipient) {
    return TestMail.via(server.smtpHost(), server.smtpPort()).to(recipient);
  }

  @Test
  void aRuleAddedRemotelyRejectsTheRecipientOnceThenLetsTheRetryThrough() throws Exception {
    long id =
        faults.add(
            FaultRule.on(SmtpStage.RCPT)
                .when(Match.recipient("bob@example.com"))
                .reply(550, "5.1.1 No such user")
                .times(1));

    assertThatThrownBy(() -> mailTo("bob@example.com").send())
        .isInstanceOf(SendFailedException.class)
        .hasStackTraceContaining("550 5.1.1 No such user");
    mailTo("bob@example.com").send();

    assertThat(client.mailbox().count()).isEqualTo(1);
    FaultRuleStatus status = faults.list().get(0);
    assertThat(status.id()).isEqualTo(id);
    assertThat(status.hits()).isEqualTo(1);
    assertThat(status.active()).isFalse();
    assertThat(status.rule().match().recipient()).isEqualTo("bob@example.com");
  }

  @Test
  void firedFaultsAreListedAsEvents() throws Exception {
    long id = faults.add(FaultRule.on(SmtpStage.MAIL).reply(451, "4.7.1 Try again later").times(1));

    assertThatThrownBy(() -> mailTo("carol@example.com").send()).isInstanceOf(Exception.class);

    assertThat(faults.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.ruleId()).isEqualTo(id);
              assertThat(e.stage()).isEqualTo(SmtpStage.MAIL);
              assertThat(e.outcome()).contains("451");
            })
        .extracting(FaultEvent::clientAddress)
        .isEqualTo("127.0.0.1");
  }

  @Test
  void removeSaysWhetherTheRuleExisted() {
    long id = faults.add(FaultRule.on(SmtpStage.DATA).disconnect());

    assertThat(faults.remove(id)).isTrue();
    assertThat(faults.remove(id)).isFalse();
    assertThat(faults.list()).isEmpty();
  }

  @Test
  void resetGoesBackToTheServersStartUpRules() {
    faults.add(FaultRule.on(SmtpStage.MAIL).reply(451, "4.3.0 Added by a test"));

    faults.reset();

    // this server was started without --faults, so its start-up rules are none
    assertThat(faults.list()).isEmpty();
    assertThat(faults.events()).isEmpty();
  }
}
