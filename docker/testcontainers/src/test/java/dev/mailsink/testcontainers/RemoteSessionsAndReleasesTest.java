package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.junit.MailsinkAssertions;
import dev.mailsink.relay.RelayAttempt;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseRefusedException;
import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.testing.TestMail;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The remote client's session log and releases, against two standalone servers: one relays to the
 * other over SMTP with AUTH.
 */
@Timeout(60)
class RemoteSessionsAndReleasesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ServerJarProcess upstream;
  private static ServerJarProcess server;
  private static MailsinkClient upstreamClient;
  private static MailsinkClient client;

  @BeforeAll
  static void startServers() throws InterruptedException {
    upstream = ServerJarProcess.start("--auth=required", "--users=relay:up-secret");
    server =
        ServerJarProcess.start(
            "--relay-host=" + upstream.smtpHost(),
            "--relay-port=" + upstream.smtpPort(),
            "--relay-tls=none",
            "--relay-user=relay",
            "--relay-password=up-secret",
            "--relay-allow=*@example.com",
            "--relay-attempts=3",
            "--relay-retry-delay=50ms");
    upstreamClient = MailsinkClient.connect(upstream.webUri());
    client = MailsinkClient.connect(server.webUri());
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void empty() {
    client.mailbox().clear();
    client.sessions().clear();
    upstreamClient.mailbox().clear();
    upstreamClient.faults().clear();
  }

  private static CapturedMessage capture(String subject) throws Exception {
    TestMail.send(
        server.smtpHost(), server.smtpPort(), "app@x.test", "bob@example.com", subject, "body");
    return client.mailbox().await(m -> m.subject().equals(subject), 1, WAIT).get(0);
  }

  @Test
  void aReleaseIsDeliveredAndItsOutcomeIsReadBack() throws Exception {
    CapturedMessage m = capture("remote release");

    Release done = client.release(m, "carol@example.com").get(20, TimeUnit.SECONDS);

    assertThat(done.status()).isEqualTo(Release.Status.DELIVERED);
    assertThat(done.attempts()).singleElement().extracting(RelayAttempt::replyCode).isEqualTo(250);
    CapturedMessage arrived = upstreamClient.mailbox().await(1, WAIT).get(0);
    assertThat(arrived.envelope().recipients()).containsExactly("carol@example.com");
    assertThat(arrived.envelope().authenticatedUser()).isEqualTo("relay");
    assertThat(arrived.subject()).isEqualTo("remote release");
    assertThat(m.releases()).containsExactly(done);
    assertThat(client.releases().findById(done.id())).contains(done);
    assertThat(client.releases().awaitDone(done.id(), WAIT)).isEqualTo(done);
    assertThat(client.info()).doesNotContain("up-secret");
  }

  @Test
  void aRetriedReleaseIsFollowedUntilDone() throws Exception {
    upstreamClient
        .faults()
        .add(FaultRule.on(SmtpStage.RCPT).reply(451, "4.3.0 Try later").times(1));
    CapturedMessage m = capture("retried");

    Release done = client.release(m, "carol@example.com").get(20, TimeUnit.SECONDS);

    assertThat(done.attempts())
        .extracting(RelayAttempt::result)
        .containsExactly(RelayAttempt.Result.DEFERRED, RelayAttempt.Result.DELIVERED);
  }

  @Test
  void aRecipientOutsideTheAllowListIsRefusedBeforeAnythingIsSent() throws Exception {
    CapturedMessage m = capture("refused");
    assertThatThrownBy(() -> client.release(m, "eve@evil.test"))
        .isInstanceOf(ReleaseRefusedException.class)
        .hasMessageContaining("does not allow [eve@evil.test]")
        .extracting(e -> ((ReleaseRefusedException) e).reason())
        .isEqualTo(ReleaseRefusedException.Reason.RECIPIENT_NOT_ALLOWED);
    assertThat(m.releases()).isEmpty();
  }

  @Test
  void sessionsAndTranscriptsAreReadBackAndAwaited() throws Exception {
    CapturedMessage m = capture("with a transcript");

    List<Transcript> ended = client.sessions().await(t -> !t.isOpen(), 1, WAIT);
    assertThat(ended)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.id()).isEqualTo(m.envelope().sessionId());
              assertThat(t.messageIds()).containsExactly(m.id());
              assertThat(t.end()).isEqualTo(SessionEnd.QUIT);
              assertThat(t.commands()).contains("MAIL FROM:<app@x.test>");
            });
    assertThat(m.transcript())
        .hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(ended.get(0).id()));
    assertThat(client.sessions().findById(m.envelope().sessionId())).isPresent();
    MailsinkAssertions.assertThat(client.sessions())
        .endedExactly(1)
        .first()
        .hasReply("250 2.0.0 Ok: queued as " + m.id())
        .delivered(1);
    assertThat(client.sessions().clear()).isEqualTo(1);
    assertThat(client.sessions().sessions()).isEmpty();
  }

  @Test
  void awaitingSessionsWakesWhenOneEnds() throws Exception {
    var later =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> client.sessions().await(t -> !t.isOpen(), 1, WAIT));
    TestMail.send(server.smtpHost(), server.smtpPort(), "a@x.test", "b@example.com", "x", "x");
    assertThat(later.get(30, TimeUnit.SECONDS)).hasSize(1);
    assertThatThrownBy(
            () ->
                client
                    .sessions()
                    .await(t -> t.end() == SessionEnd.FAULT, 1, Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("0 matched of 1 session");
  }
}
