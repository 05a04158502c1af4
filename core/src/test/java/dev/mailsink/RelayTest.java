package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.relay.AutoRelayRule;
import dev.mailsink.relay.RelayAttempt;
import dev.mailsink.relay.RelayAttempt.Result;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.RelayTrust;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseRefusedException;
import dev.mailsink.relay.RetryPolicy;
import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.testing.TestMail;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RelayTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String RAW =
      "From: App <app@x.test>\r\n"
          + "To: Bob <bob@y.test>\r\n"
          + "Subject: Release me\r\n"
          + "Message-ID: <m1@x.test>\r\n"
          + "\r\n"
          + "Line one\r\n"
          + ".A line that starts with a dot\r\n"
          + "\r\n";

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Mailsink start(MailsinkConfig config) {
    Mailsink sink = Mailsink.start(config);
    open.add(sink);
    return sink;
  }

  private static RelayConfig.Builder relayTo(Mailsink upstream) {
    return RelayConfig.builder(upstream.smtpHost(), upstream.smtpPort())
        .tls(RelayTls.NONE)
        .allowedRecipients("*@y.test")
        .retry(RetryPolicy.of(3, Duration.ofMillis(20)));
  }

  private Mailsink sinkRelayingTo(RelayConfig relay) {
    return start(MailsinkConfig.builder().relay(relay).build());
  }

  private static CapturedMessage capture(Mailsink sink) {
    TestMail.sendRaw(sink.smtpHost(), sink.smtpPort(), "app@x.test", "bob@y.test", RAW);
    return sink.mailbox().await(1, WAIT).get(0);
  }

  private static Release done(java.util.concurrent.CompletableFuture<Release> release)
      throws Exception {
    return release.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void releasedBytesArriveUnchangedAfterOneTraceHeader() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    Mailsink sink = sinkRelayingTo(relayTo(upstream).build());
    CapturedMessage captured = capture(sink);

    Release release = done(sink.release(captured, "carol@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.DELIVERED);
    assertThat(release.deliveredTo()).containsExactly("carol@y.test");
    RelayAttempt attempt = release.attempts().get(0);
    assertThat(attempt.result()).isEqualTo(Result.DELIVERED);
    assertThat(attempt.upstream()).isEqualTo(upstream.smtpHost() + ":" + upstream.smtpPort());
    assertThat(attempt.replyCode()).isEqualTo(250);
    CapturedMessage arrived = upstream.mailbox().await(1, WAIT).get(0);
    assertThat(attempt.reply()).isEqualTo("250 2.0.0 Ok: queued as " + arrived.id());
    assertThat(arrived.envelope().recipients()).containsExactly("carol@y.test");
    assertThat(arrived.envelope().sender()).isEqualTo("app@x.test");

    byte[] got = arrived.raw();
    byte[] original = captured.raw();
    assertThat(got).endsWith(original);
    String trace = new String(got, 0, got.length - original.length, StandardCharsets.UTF_8);
    assertThat(trace)
        .matches(
            "Received: from \\S+ \\(127\\.0\\.0\\.1\\)\r\n\tby localhost \\(Mailsink\\) with ESMTP"
                + " id "
                + captured.id()
                + ";\r\n\t\\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000\r\n");
    assertThat(arrived.headerValues("Received")).hasSize(1);
    assertThat(sink.mailbox().count()).isEqualTo(1);
    assertThat(captured.releases()).containsExactly(release);
    assertThat(sink.releases().forMessage(captured.id())).containsExactly(release);
  }

  @Test
  void startTlsAndAuthRequiredUpstreamReceivesFromTheConfiguredUser() throws Exception {
    Mailsink upstream =
        start(
            MailsinkConfig.builder()
                .startTls(TlsMode.REQUIRED)
                .auth(AuthConfig.required(Credentials.of("relay", "upstream-pw")))
                .build());
    RelayConfig relay =
        relayTo(upstream)
            .tls(RelayTls.STARTTLS)
            .trust(RelayTrust.certificate(upstream.tls().certificate()))
            .credentials(Credentials.of("relay", "upstream-pw"))
            .build();
    Mailsink sink = sinkRelayingTo(relay);

    Release release = done(sink.release(capture(sink), "bob@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.DELIVERED);
    CapturedMessage arrived = upstream.mailbox().await(1, WAIT).get(0);
    assertThat(arrived.envelope().authenticatedUser()).isEqualTo("relay");
    assertThat(arrived.envelope().tlsProtocol()).startsWith("TLSv1.");
    assertThat(relay.toString()).doesNotContain("upstream-pw").contains("relay (password hidden)");
    assertThat(sink.config().toString()).doesNotContain("upstream-pw");
  }

  @Test
  void implicitTlsUpstreamReceivesTheRelease() throws Exception {
    Mailsink upstream = start(MailsinkConfig.builder().smtpsPort(0).build());
    RelayConfig relay =
        RelayConfig.builder(upstream.smtpHost(), upstream.smtpsPort())
            .tls(RelayTls.IMPLICIT)
            .trust(RelayTrust.pem(upstream.tls().certificatePem()))
            .allowedRecipients("bob@y.test")
            .build();
    Mailsink sink = sinkRelayingTo(relay);

    Release release = done(sink.release(capture(sink), "<Bob@Y.test>"));

    assertThat(release.status()).isEqualTo(Release.Status.DELIVERED);
    assertThat(release.recipients()).containsExactly("Bob@Y.test");
    assertThat(upstream.mailbox().await(1, WAIT).get(0).envelope().isTls()).isTrue();
  }

  @Test
  void anUntrustedUpstreamCertificateIsAnErrorAndNothingIsSent() throws Exception {
    Mailsink upstream = start(MailsinkConfig.builder().smtpsPort(0).build());
    RelayConfig relay =
        RelayConfig.builder(upstream.smtpHost(), upstream.smtpsPort())
            .tls(RelayTls.IMPLICIT)
            .allowedRecipients("*")
            .build();
    Mailsink sink = sinkRelayingTo(relay);

    Release release = done(sink.release(capture(sink), "bob@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.FAILED);
    assertThat(release.attempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.result()).isEqualTo(Result.ERROR);
              assertThat(a.reply()).startsWith("TLS handshake failed");
            });
    assertThat(upstream.mailbox().count()).isZero();
  }

  @Test
  void insecureTrustAcceptsAnyCertificate() throws Exception {
    Mailsink upstream = start(MailsinkConfig.builder().startTls(TlsMode.REQUIRED).build());
    Mailsink sink =
        sinkRelayingTo(
            relayTo(upstream).tls(RelayTls.STARTTLS).trust(RelayTrust.insecure()).build());
    assertThat(done(sink.release(capture(sink), "bob@y.test")).status())
        .isEqualTo(Release.Status.DELIVERED);
  }

  @Test
  void theAllowListRefusesBeforeAnythingIsSent() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    Mailsink sink = sinkRelayingTo(relayTo(upstream).build());
    CapturedMessage captured = capture(sink);

    assertThatThrownBy(() -> sink.release(captured, "bob@y.test", "eve@elsewhere.test"))
        .isInstanceOf(ReleaseRefusedException.class)
        .hasMessage(
            "The relay allow list [*@y.test] does not allow [eve@elsewhere.test]; nothing was"
                + " sent. Add a pattern that matches them to RelayConfig.allowedRecipients(...)"
                + " (--relay-allow, MAILSINK_RELAY_ALLOW)")
        .satisfies(
            e ->
                assertThat(((ReleaseRefusedException) e).refusedRecipients())
                    .containsExactly("eve@elsewhere.test"));
    assertThatThrownBy(() -> sink.release(captured, "not an address"))
        .isInstanceOf(ReleaseRefusedException.class)
        .hasMessageContaining("is not an email address");
    assertThatThrownBy(() -> sink.release(captured))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a release needs at least one recipient");
    assertThat(upstream.sessions().sessions()).isEmpty();
    assertThat(captured.releases()).isEmpty();
  }

  @Test
  void theDefaultAllowListAllowsNothing() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    Mailsink sink =
        sinkRelayingTo(
            RelayConfig.builder(upstream.smtpHost(), upstream.smtpPort())
                .tls(RelayTls.NONE)
                .build());
    assertThatThrownBy(() -> sink.release(capture(sink), "bob@y.test"))
        .isInstanceOf(ReleaseRefusedException.class)
        .hasMessageStartingWith("The relay allow list [] does not allow [bob@y.test]");
  }

  @Test
  void releaseWithoutARelayIsRefusedClearly() throws Exception {
    Mailsink sink = start(MailsinkConfig.defaults());
    assertThatThrownBy(() -> sink.release(capture(sink), "bob@y.test"))
        .isInstanceOf(ReleaseRefusedException.class)
        .hasMessageStartingWith("release() called but no relay is configured")
        .extracting(e -> ((ReleaseRefusedException) e).reason())
        .isEqualTo(ReleaseRefusedException.Reason.NOT_CONFIGURED);
  }

  @Test
  void aWrongUpstreamPasswordIsAFinalRefusal() throws Exception {
    Mailsink upstream =
        start(
            MailsinkConfig.builder()
                .auth(AuthConfig.required(Credentials.of("relay", "right")))
                .build());
    Mailsink sink =
        sinkRelayingTo(relayTo(upstream).credentials(Credentials.of("relay", "wrong")).build());

    Release release = done(sink.release(capture(sink), "bob@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.FAILED);
    assertThat(release.attempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.result()).isEqualTo(Result.REFUSED);
              assertThat(a.replyCode()).isEqualTo(535);
              assertThat(a.reply()).startsWith("535 5.7.8");
            });
    assertThat(release.toString()).doesNotContain("wrong");
    assertThat(upstream.mailbox().count()).isZero();
    assertThat(sink.mailbox().count()).isEqualTo(1);
  }

  @Test
  void anUpstream5xxIsFinalAndRecorded() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    upstream.faults().add(FaultRule.on(SmtpStage.END_OF_DATA).reply(554, "5.7.1 Spam, go away"));
    Mailsink sink = sinkRelayingTo(relayTo(upstream).build());

    Release release = done(sink.release(capture(sink), "bob@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.FAILED);
    assertThat(release.attempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.result()).isEqualTo(Result.REFUSED);
              assertThat(a.replyCode()).isEqualTo(554);
              assertThat(a.reply()).isEqualTo("554 5.7.1 Spam, go away");
              assertThat(a.refusedRecipients())
                  .singleElement()
                  .satisfies(f -> assertThat(f.isTemporary()).isFalse());
            });
    assertThat(release.detail()).isEqualTo("not delivered: 554 5.7.1 Spam, go away");
  }

  @Test
  void anUpstream4xxIsRetriedUntilItIsAccepted() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    upstream.faults().add(FaultRule.on(SmtpStage.RCPT).greylist(Duration.ZERO));
    Mailsink sink = sinkRelayingTo(relayTo(upstream).build());

    Release release = done(sink.release(capture(sink), "bob@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.DELIVERED);
    assertThat(release.attempts())
        .extracting(RelayAttempt::number, RelayAttempt::result, RelayAttempt::replyCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, Result.DEFERRED, 451),
            org.assertj.core.groups.Tuple.tuple(2, Result.DELIVERED, 250));
    assertThat(release.attempts().get(0).reply())
        .isEqualTo("451 4.7.1 Greylisted, please try again later");
    assertThat(upstream.mailbox().await(1, WAIT)).hasSize(1);
    List<Transcript> upstreamSessions = upstream.sessions().await(t -> !t.isOpen(), 2, WAIT);
    assertThat(upstreamSessions.get(0).faults()).hasSize(1);
    assertThat(upstreamSessions.get(1).messageIds()).hasSize(1);
  }

  @Test
  void anUpstreamThatStays4xxFailsAfterTheLastAttemptAndLosesNothing() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    upstream.faults().add(FaultRule.on(SmtpStage.MAIL).reply(421, "4.3.2 Going down"));
    Mailsink sink = sinkRelayingTo(relayTo(upstream).build());
    CapturedMessage captured = capture(sink);

    Release release = done(sink.release(captured, "bob@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.FAILED);
    assertThat(release.attempts())
        .hasSize(3)
        .allSatisfy(
            a -> {
              assertThat(a.result()).isEqualTo(Result.DEFERRED);
              assertThat(a.replyCode()).isEqualTo(421);
            });
    assertThat(release.attempts().get(1).at()).isAfter(release.attempts().get(0).at());
    assertThat(sink.mailbox().findById(captured.id())).isPresent();
  }

  @Test
  void anUpstreamThatIsDownIsRetriedAndRecordedAsConnectionFailures() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Mailsink sink =
        sinkRelayingTo(
            RelayConfig.builder("127.0.0.1", closedPort)
                .tls(RelayTls.NONE)
                .allowedRecipients("*@y.test")
                .retry(RetryPolicy.of(2, Duration.ofMillis(10)))
                .build());
    CapturedMessage captured = capture(sink);

    Release release = done(sink.release(captured, "bob@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.FAILED);
    assertThat(release.attempts())
        .hasSize(2)
        .allSatisfy(
            a -> {
              assertThat(a.result()).isEqualTo(Result.CONNECTION_FAILED);
              assertThat(a.replyCode()).isZero();
              assertThat(a.reply()).contains("Connection refused");
            });
    assertThat(captured.releases()).singleElement().isEqualTo(release);
    assertThat(sink.mailbox().count()).isEqualTo(1);
  }

  @Test
  void aPartlyRefusedReleaseDeliversToTheOthers() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    upstream
        .faults()
        .add(
            FaultRule.on(SmtpStage.RCPT)
                .when(Match.recipient("nobody@y.test"))
                .reply(550, "5.1.1 No such user"));
    Mailsink sink = sinkRelayingTo(relayTo(upstream).build());

    Release release = done(sink.release(capture(sink), "bob@y.test", "nobody@y.test"));

    assertThat(release.status()).isEqualTo(Release.Status.PARTIALLY_DELIVERED);
    assertThat(release.deliveredTo()).containsExactly("bob@y.test");
    RelayAttempt a = release.attempts().get(0);
    assertThat(a.result()).isEqualTo(Result.PARTIALLY_DELIVERED);
    assertThat(a.refusedRecipients())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.recipient()).isEqualTo("nobody@y.test");
              assertThat(f.code()).isEqualTo(550);
              assertThat(f.reply()).isEqualTo("550 5.1.1 No such user");
            });
    assertThat(upstream.mailbox().await(1, WAIT).get(0).envelope().recipients())
        .containsExactly("bob@y.test");
  }

  @Test
  void theEnvelopeSenderCanBeOverridden() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    Mailsink sink = sinkRelayingTo(relayTo(upstream).envelopeSender("bounces@relay.test").build());
    done(sink.release(capture(sink), "bob@y.test"));
    assertThat(upstream.mailbox().await(1, WAIT).get(0).envelope().sender())
        .isEqualTo("bounces@relay.test");
  }

  @Test
  void theNullSenderStaysNull() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    Mailsink sink = sinkRelayingTo(relayTo(upstream).build());
    TestMail.sendRaw(sink.smtpHost(), sink.smtpPort(), "", "bob@y.test", RAW);
    CapturedMessage bounce = sink.mailbox().await(1, WAIT).get(0);
    assertThat(bounce.envelope().isNullSender()).isTrue();
    done(sink.release(bounce, "bob@y.test"));
    assertThat(upstream.mailbox().await(1, WAIT).get(0).envelope().isNullSender()).isTrue();
  }

  @Test
  void autoRelayRulesRelayMatchingMessagesAndTheCopyStays() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    RelayConfig relay =
        relayTo(upstream)
            .allowedRecipients("*@y.test", "me@inbox.test")
            .autoRelay(
                AutoRelayRule.recipients("qa-*@y.test"),
                AutoRelayRule.query("subject:invoice").redirectTo("me@inbox.test"))
            .build();
    Mailsink sink = sinkRelayingTo(relay);

    TestMail.send(
        sink.smtpHost(), sink.smtpPort(), "app@x.test", "qa-1@y.test, dev@y.test", "Hi QA", "x");
    TestMail.send(
        sink.smtpHost(), sink.smtpPort(), "app@x.test", "dev@y.test", "Your invoice", "x");
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "app@x.test", "dev@y.test", "Nothing", "x");

    List<CapturedMessage> relayed = upstream.mailbox().await(2, WAIT);
    assertThat(relayed)
        .extracting(m -> m.envelope().recipients())
        .containsExactlyInAnyOrder(List.of("qa-1@y.test"), List.of("me@inbox.test"));
    List<CapturedMessage> captured = sink.mailbox().await(3, WAIT);
    CapturedMessage qa = captured.get(0);
    Release release = sink.releases().awaitDone(qa.releases().get(0).id(), WAIT);
    assertThat(release.trigger()).isEqualTo("auto-relay recipients(qa-*@y.test)");
    assertThat(release.status()).isEqualTo(Release.Status.DELIVERED);
    assertThat(captured.get(1).releases())
        .singleElement()
        .extracting(Release::trigger)
        .isEqualTo("auto-relay query(subject:invoice) -> [me@inbox.test]");
    assertThat(captured.get(2).releases()).isEmpty();
    assertThat(sink.mailbox().count()).isEqualTo(3);
  }

  @Test
  void aStuckUpstreamNeverHoldsUpCapture() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    upstream.faults().add(FaultRule.on(SmtpStage.CONNECT).stall());
    RelayConfig relay =
        relayTo(upstream)
            .timeout(Duration.ofSeconds(20))
            .autoRelay(AutoRelayRule.recipients("*"))
            .build();
    Mailsink sink = sinkRelayingTo(relay);
    for (int i = 0; i < 20; i++) {
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "app@x.test", "bob@y.test", "m" + i, "x");
    }
    // all 20 were captured and answered while the relay's connections hang
    assertThat(sink.mailbox().await(20, WAIT)).hasSize(20);
    assertThat(sink.releases().releases())
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(Release.Status.PENDING));
    sink.close();
    assertThat(sink.releases().releases())
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(Release.Status.FAILED);
              assertThat(r.detail()).contains("the sink closed");
            });
  }

  @Test
  void tooManyPendingReleasesAreRefused() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    upstream.faults().add(FaultRule.on(SmtpStage.CONNECT).stall());
    Mailsink sink =
        sinkRelayingTo(
            relayTo(upstream).timeout(Duration.ofSeconds(20)).maxPendingReleases(2).build());
    CapturedMessage captured = capture(sink);
    sink.release(captured, "bob@y.test");
    sink.release(captured, "bob@y.test");
    assertThatThrownBy(() -> sink.release(captured, "bob@y.test"))
        .isInstanceOf(ReleaseRefusedException.class)
        .extracting(e -> ((ReleaseRefusedException) e).reason())
        .isEqualTo(ReleaseRefusedException.Reason.TOO_MANY_PENDING);
  }

  @Test
  void relayConfigIsValidated() {
    assertThatThrownBy(() -> RelayConfig.builder("smtp.x.test", 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("relay port must be between 1 and 65535, was 0");
    assertThatThrownBy(
            () ->
                RelayConfig.builder("smtp.x.test", 587)
                    .autoRelay(AutoRelayRule.recipients("*"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("can relay nothing while the allow list is empty");
    assertThatThrownBy(
            () ->
                RelayConfig.builder("smtp.x.test", 587)
                    .allowedRecipients("*@y.test")
                    .autoRelay(AutoRelayRule.recipients("*").redirectTo("me@z.test"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redirects to me@z.test, which the allow list [*@y.test] refuses");
    assertThatThrownBy(() -> AutoRelayRule.query("subject:"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RetryPolicy.defaults().backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(RetryPolicy.defaults().backoffAfter(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(
            new RetryPolicy(9, Duration.ofSeconds(1), 10, Duration.ofSeconds(30)).backoffAfter(5))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void attemptsAreVisibleOnTheMessageWhilePending() throws Exception {
    Mailsink upstream = start(MailsinkConfig.defaults());
    upstream.faults().add(FaultRule.on(SmtpStage.RCPT).reply(451, "4.3.0 Later").times(1));
    Mailsink sink =
        sinkRelayingTo(relayTo(upstream).retry(RetryPolicy.of(2, Duration.ofMillis(10))).build());
    CapturedMessage captured = capture(sink);
    Release release = done(sink.release(captured, "bob@y.test"));
    assertThat(captured.releases().get(0).attempts()).hasSize(2);
    assertThat(release.summary())
        .startsWith(
            "release #1 of message #" + captured.id() + " to [bob@y.test] (manual): DELIVERED");
    assertThat(Arrays.asList(Release.Status.values())).contains(release.status());
    assertThat(upstream.sessions().await(t -> t.end() == SessionEnd.QUIT, 2, WAIT)).hasSize(2);
  }
}
