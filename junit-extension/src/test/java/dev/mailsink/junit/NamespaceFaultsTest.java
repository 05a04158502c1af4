package dev.mailsink.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.NamespaceRule;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.testing.ParallelRun;
import dev.mailsink.testing.TestMail;
import jakarta.mail.SendFailedException;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault rules of a test's namespace ({@link MailsinkNamespace#faults()}): they hit that test's mail
 * only, even while other tests send at the same moment, and are gone when the test ends.
 */
@Timeout(60)
class NamespaceFaultsTest {
  static volatile CyclicBarrier ruleInstalled;
  static final AtomicInteger rulesLeft = new AtomicInteger(-1);

  @MailsinkTest(namespacePerTest = true)
  static class TwoTestsAtOnce {
    @Test
    void rejectsItsOwnRecipient(Mailsink sink, MailsinkNamespace ns) throws Exception {
      ns.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No such user here").always());
      ruleInstalled.await(20, TimeUnit.SECONDS);

      assertThatThrownBy(() -> send(sink, ns.address("bob")))
          .isInstanceOf(SendFailedException.class);
      assertThat(ns.faults().list()).singleElement().satisfies(s -> assertThat(s.hits()).isOne());
      assertThat(ns.faults().events()).hasSize(1);
      assertThat(ns.mailbox().count()).isZero();
      ruleInstalled.await(20, TimeUnit.SECONDS);
    }

    @Test
    void isNotDisturbedByTheOtherTestsRule(Mailsink sink, MailsinkNamespace ns, Mailbox mailbox)
        throws Exception {
      ruleInstalled.await(20, TimeUnit.SECONDS);

      send(sink, ns.address("bob"));
      assertThat(mailbox.await(1, Duration.ofSeconds(10))).hasSize(1);
      assertThat(ns.faults().list()).isEmpty();
      assertThat(sink.faults().list()).as("the other test's rule, server-wide").hasSize(1);
      ruleInstalled.await(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void countRules(Mailsink sink) {
      rulesLeft.set(sink.faults().list().size());
    }
  }

  @Test
  void aRejectRuleOfOneTestDoesNotTouchAConcurrentTestAndIsRemovedAfterIt() {
    ruleInstalled = new CyclicBarrier(2);
    rulesLeft.set(-1);

    ParallelRun.onThreads(4).assertAllSucceeded(2, TwoTestsAtOnce.class);

    assertThat(rulesLeft).hasValue(0);
  }

  @Test
  void aRuleWithTheNamespacesOwnRecipientIsKeptAndAnotherRecipientIsRefused() throws Exception {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      MailsinkNamespace ns =
          MailsinkNamespace.create(sink.mailbox(), sink.faults(), NamespaceRule.subAddress());
      ns.faults()
          .add(
              FaultRule.on(SmtpStage.RCPT)
                  .when(Match.recipient(ns.address("bob")))
                  .reply(550, "5.1.1 No such user")
                  .always());

      assertThatThrownBy(() -> send(sink, ns.address("bob")))
          .isInstanceOf(SendFailedException.class);
      send(sink, ns.address("alice"));
      assertThat(ns.mailbox().await(1, Duration.ofSeconds(5))).hasSize(1);
      assertThatThrownBy(
              () ->
                  ns.faults()
                      .add(
                          FaultRule.on(SmtpStage.RCPT)
                              .when(Match.recipient("*@example.test"))
                              .reply(550, "5.1.1 No")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside namespace " + ns.name());

      ns.faults().clear();
      assertThat(sink.faults().list()).isEmpty();
      send(sink, ns.address("bob"));
    }
  }

  @Test
  void aRuleAtAStageBeforeTheRecipientsAreKnownIsRefused() {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      MailsinkNamespace ns =
          MailsinkNamespace.create(sink.mailbox(), sink.faults(), NamespaceRule.subAddress());

      assertThatThrownBy(() -> ns.faults().add(FaultRule.on(SmtpStage.MAIL).reply(451, "4.3.0")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("RCPT, DATA or END_OF_DATA");
      assertThat(sink.faults().list()).isEmpty();
    }
  }

  @Test
  void underTheSubdomainRuleTheRuleMatchesTheNamespacesDomain() throws Exception {
    NamespaceRule rule = NamespaceRule.recipientSubdomain("example.test");
    try (Mailsink sink = Mailsink.start(MailsinkConfig.builder().namespaceRule(rule).build())) {
      MailsinkNamespace ns = MailsinkNamespace.create(sink.mailbox(), sink.faults(), rule);
      MailsinkNamespace other = MailsinkNamespace.create(sink.mailbox(), sink.faults(), rule);
      ns.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No").always());

      assertThatThrownBy(() -> send(sink, ns.address("bob")))
          .isInstanceOf(SendFailedException.class);
      send(sink, other.address("bob"));
      assertThat(other.mailbox().await(1, Duration.ofSeconds(5))).hasSize(1);
    }
  }

  @Test
  void underARuleWithoutTheNamespaceInTheAddressAddingARuleFailsWithTheWayOut() {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      MailsinkNamespace ns =
          MailsinkNamespace.create(sink.mailbox(), sink.faults(), NamespaceRule.authUser());

      assertThatThrownBy(() -> ns.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("NamespaceRule.subAddress()");
    }
  }

  private static void send(Mailsink sink, String to) throws Exception {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "shop@example.com", to, "hi", "text");
  }
}
