package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mailsink.fault.FaultAction;
import dev.mailsink.fault.FaultEvent;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRuleStatus;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.testing.TestMail;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FaultRulesTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private Mailsink sink;

  @BeforeEach
  void start() {
    sink = Mailsink.start();
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  private void send(String to, String subject) throws MessagingException {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "app@x.test", to, subject, "x");
  }

  /** A client that retries a failed send, as an MTA queue would; returns the attempts made. */
  private int sendRetrying(String to, String subject, int maxAttempts) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        send(to, subject);
        return attempt;
      } catch (MessagingException e) {
        if (attempt == maxAttempts) {
          throw e;
        }
      }
    }
  }

  @Test
  void rejectsRecipientWhenRuleMatches() throws Exception {
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.RCPT)
                .when(Match.recipient("bob@example.com"))
                .reply(550, "5.1.1 Mailbox unavailable"));
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      assertThat(smtp.send("RCPT TO:<bob@example.com>").expectCode(550).text())
          .isEqualTo("5.1.1 Mailbox unavailable");
      smtp.send("RCPT TO:<alice@example.com>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw("Subject: partial\r\n\r\nx\r\n.\r\n").expectCode(250);
    }
    assertThat(sink.mailbox().await(1, WAIT).get(0).envelope().recipients())
        .containsExactly("alice@example.com");
    assertThatThrownBy(() -> send("bob@example.com", "to bob"))
        .isInstanceOf(SendFailedException.class)
        .hasStackTraceContaining("550 5.1.1 Mailbox unavailable");
  }

  @Test
  void failTheFirstTwoThenAcceptStoresExactlyOneMessage() throws Exception {
    long id =
        sink.faults()
            .add(FaultRule.on(SmtpStage.MAIL).reply(451, "4.3.0 Try again later").times(2));
    assertThat(sendRetrying("b@y.test", "retried", 5)).isEqualTo(3);
    assertThat(sink.mailbox().await(1, WAIT)).hasSize(1);
    assertThat(sink.mailbox().count()).isEqualTo(1);
    FaultRuleStatus status = sink.faults().list().get(0);
    assertThat(status.id()).isEqualTo(id);
    assertThat(status.hits()).isEqualTo(2);
    assertThat(status.matches()).isEqualTo(3);
    assertThat(status.active()).isFalse();
    assertThat(sink.faults().events())
        .extracting(FaultEvent::ruleId, FaultEvent::stage, FaultEvent::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(id, SmtpStage.MAIL, "451 4.3.0 Try again later"),
            org.assertj.core.groups.Tuple.tuple(id, SmtpStage.MAIL, "451 4.3.0 Try again later"));
  }

  @Test
  void greylistingRefusesTheFirstAttemptAndAcceptsTheRetry() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.RCPT).greylist(Duration.ZERO));
    assertThat(sendRetrying("b@y.test", "greylisted", 3)).isEqualTo(2);
    assertThat(sink.mailbox().await(1, WAIT)).hasSize(1);
    assertThat(sink.faults().events())
        .singleElement()
        .satisfies(e -> assertThat(e.outcome()).startsWith("451 4.7.1"));
    // another triplet is greylisted on its own
    assertThatThrownBy(() -> send("other@y.test", "new triplet"))
        .hasStackTraceContaining("451 4.7.1");
  }

  @Test
  void greylistingRefusesRetriesThatComeTooSoon() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.RCPT).greylist(Duration.ofHours(1)));
    assertThatThrownBy(() -> sendRetrying("b@y.test", "impatient", 3))
        .hasStackTraceContaining("451 4.7.1");
    assertThat(sink.faults().list().get(0).hits()).isEqualTo(3);
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void everyNthAndAfterNCountOnlyMatchingEvents() throws Exception {
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.END_OF_DATA)
                .when(Match.subject("even*"))
                .reply(554, "5.7.1 Every second one")
                .every(2));
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.MAIL)
                .when(Match.sender("quota@*"))
                .reply(452, "4.3.1 Quota exhausted")
                .after(2));
    int refused = 0;
    for (int i = 1; i <= 4; i++) {
      try {
        send("b@y.test", "even " + i);
      } catch (MessagingException e) {
        refused++;
      }
    }
    assertThat(refused).isEqualTo(2);
    assertThat(sink.mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("even 1", "even 3");
    for (int i = 1; i <= 2; i++) {
      TestMail.send(
          sink.smtpHost(), sink.smtpPort(), "quota@x.test", "b@y.test", "quota " + i, "x");
    }
    assertThatThrownBy(
            () ->
                TestMail.send(
                    sink.smtpHost(), sink.smtpPort(), "quota@x.test", "b@y.test", "quota 3", "x"))
        .hasStackTraceContaining("452 4.3.1 Quota exhausted");
  }

  @Test
  void seededProbabilityGivesTheSameOutcomeOnEveryRun() throws Exception {
    int first = acceptedOutOfFifty(42L);
    int second = acceptedOutOfFifty(42L);
    assertThat(first).isEqualTo(second).isBetween(1, 49);
  }

  private static int acceptedOutOfFifty(long seed) throws Exception {
    try (Mailsink chaotic = Mailsink.start()) {
      chaotic
          .faults()
          .add(
              FaultRule.on(SmtpStage.RCPT)
                  .reply(450, "4.2.0 Random trouble")
                  .probability(0.5, seed));
      Session session = TestMail.session(chaotic.smtpHost(), chaotic.smtpPort());
      ExecutorService pool = Executors.newFixedThreadPool(50);
      AtomicInteger accepted = new AtomicInteger();
      try {
        List<Future<?>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
          int n = i;
          all.add(
              pool.submit(
                  () -> {
                    try {
                      TestMail.send(session, "a@x.test", "b@y.test", "m" + n, "x");
                      accepted.incrementAndGet();
                    } catch (MessagingException e) {
                      // refused by the rule
                    }
                    return null;
                  }));
        }
        for (Future<?> f : all) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(chaotic.mailbox().count()).isEqualTo(accepted.get());
      return accepted.get();
    }
  }

  @Test
  void delayHoldsTheReplyThenGoesOn() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.RCPT).delay(Duration.ofMillis(400)));
    long started = System.nanoTime();
    send("b@y.test", "slow");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(sink.mailbox().await(1, WAIT)).hasSize(1);
  }

  @Test
  void delayThenReplyAnswersAfterTheDelay() throws Exception {
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.DATA).delayThenReply(Duration.ofMillis(300), 451, "4.3.2 Busy"));
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      long started = System.nanoTime();
      assertThat(smtp.send("DATA").expectCode(451).text()).isEqualTo("4.3.2 Busy");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void disconnectAtRcptLosesTheMessage() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.RCPT).disconnect().times(1));
    assertThatThrownBy(() -> send("b@y.test", "cut")).isInstanceOf(MessagingException.class);
    send("b@y.test", "after");
    assertThat(sink.mailbox().await(1, WAIT))
        .extracting(CapturedMessage::subject)
        .containsExactly("after");
  }

  @Test
  void disconnectAtDataCutsTheTransferMidway() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.DATA).disconnect());
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw("Subject: half\r\n\r\nfirst part\r\n");
      assertThat(smtp.isClosedByServer()).isTrue();
    }
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void disconnectAfterDataStoresNothing() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.END_OF_DATA).disconnect());
    assertThatThrownBy(() -> send("b@y.test", "never answered"))
        .isInstanceOf(MessagingException.class);
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void endOfDataRuleMatchesHeadersSubjectAndSize() throws Exception {
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.END_OF_DATA)
                .when(Match.subject("*spam*"))
                .reply(550, "5.7.1 Looks like spam"));
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.END_OF_DATA)
                .when(Match.header("X-Priority", "1*"))
                .reply(554, "5.7.0 No urgency"));
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.END_OF_DATA)
                .when(Match.minSize(50_000))
                .reply(552, "5.3.4 Too big for this test"));
    assertThatThrownBy(() -> send("b@y.test", "Buy SPAM now"))
        .hasStackTraceContaining("550 5.7.1 Looks like spam");
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      assertThat(
              smtp.sendRaw("X-Priority: 1 (Highest)\r\nSubject: urgent\r\n\r\nx\r\n.\r\n")
                  .expectCode(554)
                  .text())
          .isEqualTo("5.7.0 No urgency");
    }
    assertThatThrownBy(
            () ->
                TestMail.send(
                    sink.smtpHost(),
                    sink.smtpPort(),
                    "a@x.test",
                    "b@y.test",
                    "big",
                    "z".repeat(60_000)))
        .hasStackTraceContaining("552 5.3.4");
    send("b@y.test", "ordinary");
    assertThat(sink.mailbox().await(1, WAIT))
        .extracting(CapturedMessage::subject)
        .containsExactly("ordinary");
  }

  @Test
  void reply421ClosesTheConnection() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.MAIL).reply(421, "4.3.2 Shutting down"));
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      assertThat(smtp.send("MAIL FROM:<a@x.test>").expectCode(421).text())
          .isEqualTo("4.3.2 Shutting down");
      assertThat(smtp.isClosedByServer()).isTrue();
    }
  }

  @Test
  void connectRuleReplacesTheGreeting() throws Exception {
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.CONNECT)
                .when(Match.clientAddress("127.0.0.*"))
                .reply(554, "5.7.1 No service for you"));
    try (SmtpScript smtp = SmtpScript.connect(sink)) {
      assertThat(smtp.expectCode(554).text()).isEqualTo("5.7.1 No service for you");
      assertThat(smtp.isClosedByServer()).isTrue();
    }
  }

  @Test
  void ehloAuthQuitAndStartTlsStagesCanBeFaulted() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.EHLO).reply(421, "4.7.0 Too busy for you").times(1));
    try (SmtpScript smtp = SmtpScript.connect(sink)) {
      smtp.expectCode(220);
      assertThat(smtp.send("EHLO c").expectCode(421).text()).isEqualTo("4.7.0 Too busy for you");
    }
    sink.faults().add(FaultRule.on(SmtpStage.QUIT).reply(451, "4.3.0 Not so fast"));
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      assertThat(smtp.send("QUIT").expectCode(451).text()).isEqualTo("4.3.0 Not so fast");
      assertThat(smtp.isClosedByServer()).isTrue();
    }
    MailsinkConfig secured =
        MailsinkConfig.builder().startTls(TlsMode.OPTIONAL).auth(AuthConfig.optional()).build();
    try (Mailsink other = Mailsink.start(secured)) {
      other
          .faults()
          .add(FaultRule.on(SmtpStage.AUTH).reply(454, "4.7.0 Temporary authentication failure"));
      other
          .faults()
          .add(FaultRule.on(SmtpStage.STARTTLS).reply(454, "4.7.0 TLS not available now"));
      try (SmtpScript smtp = SmtpScript.ehlo(other)) {
        assertThat(smtp.send("AUTH PLAIN AGEAYg==").expectCode(454).text())
            .startsWith("4.7.0 Temporary");
        assertThat(smtp.send("STARTTLS").expectCode(454).text()).startsWith("4.7.0 TLS not");
      }
    }
  }

  @Test
  void tlsFailureBreaksTheHandshake() throws Exception {
    try (Mailsink secured =
        Mailsink.start(MailsinkConfig.builder().startTls(TlsMode.REQUIRED).build())) {
      secured.faults().add(FaultRule.on(SmtpStage.STARTTLS).tlsFailure());
      Properties props = new Properties();
      props.put("mail.smtp.host", "localhost");
      props.put("mail.smtp.port", String.valueOf(secured.smtpPort()));
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", secured.tls().sslContext().getSocketFactory());
      assertThatThrownBy(
              () -> TestMail.send(Session.getInstance(props), "a@x.test", "b@y.test", "x", "x"))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("Could not convert socket to TLS");
      assertThat(secured.mailbox().count()).isZero();
    }
  }

  @Test
  void stallNeverAnswersUntilTheClientGivesUp() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.MAIL).stall());
    Properties props = new Properties();
    props.put("mail.smtp.host", sink.smtpHost());
    props.put("mail.smtp.port", String.valueOf(sink.smtpPort()));
    props.put("mail.smtp.timeout", "300");
    assertThatThrownBy(
            () -> TestMail.send(Session.getInstance(props), "a@x.test", "b@y.test", "x", "x"))
        .isInstanceOf(MessagingException.class)
        .hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void slowLinkThrottlesTheTransfer() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.DATA).slowLink(4_000));
    long started = System.nanoTime();
    TestMail.send(
        sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "slow link", "y".repeat(4_000));
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(sink.mailbox().await(1, WAIT).get(0).text().orElseThrow().strip()).hasSize(4_000);
  }

  @Test
  void slowLinkAlsoThrottlesTheReplies() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.EHLO).slowLink(100));
    try (SmtpScript smtp = SmtpScript.connect(sink)) {
      smtp.expectCode(220);
      long started = System.nanoTime();
      SmtpScript.Reply ehlo = smtp.send("EHLO c").expectCode(250);
      int replyBytes = String.join("\r\n", ehlo.lines()).length() + 2;
      // the reply is well over 100 bytes, so at 100 bytes/s it cannot arrive within a second
      assertThat(replyBytes).isGreaterThan(120);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void rateLimitRefusesBeyondTheAllowance() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.MAIL).rateLimit(2, Duration.ofMinutes(1), 451));
    send("b@y.test", "one");
    send("b@y.test", "two");
    assertThatThrownBy(() -> send("b@y.test", "three"))
        .hasStackTraceContaining("451 4.7.0 Rate limit exceeded");
    assertThat(sink.mailbox().count()).isEqualTo(2);
  }

  @Test
  void globalRateLimitCountsEveryClientTogether() throws Exception {
    sink.faults()
        .add(
            FaultRule.on(SmtpStage.END_OF_DATA)
                .action(new FaultAction.RateLimit(1, Duration.ofMinutes(1), 451, false)));
    send("b@y.test", "first");
    assertThatThrownBy(() -> send("c@y.test", "second")).hasStackTraceContaining("451 4.7.0");
    assertThat(sink.mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("first");
  }

  @Test
  void authUserMatchAppliesOnlyToThatUser() throws Exception {
    try (Mailsink secured =
        Mailsink.start(MailsinkConfig.builder().auth(AuthConfig.required()).build())) {
      secured
          .faults()
          .add(
              FaultRule.on(SmtpStage.MAIL)
                  .when(Match.authUser("blocked*"))
                  .reply(550, "5.7.1 Account suspended"));
      String plainBlocked =
          java.util.Base64.getEncoder().encodeToString("\0blocked-user\0pw".getBytes());
      String plainFine = java.util.Base64.getEncoder().encodeToString("\0fine-user\0pw".getBytes());
      try (SmtpScript smtp = SmtpScript.ehlo(secured)) {
        smtp.send("AUTH PLAIN " + plainBlocked).expectCode(235);
        assertThat(smtp.send("MAIL FROM:<a@x.test>").expectCode(550).text())
            .isEqualTo("5.7.1 Account suspended");
      }
      try (SmtpScript smtp = SmtpScript.ehlo(secured)) {
        smtp.send("AUTH PLAIN " + plainFine).expectCode(235);
        smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      }
    }
  }

  @Test
  void dataStageRuleAppliesToBdatAfterTheChunkIsRead() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.DATA).reply(452, "4.3.1 Out of space").times(1));
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      assertThat(smtp.sendRaw("BDAT 5 LAST\r\nhello").expectCode(452).text())
          .isEqualTo("4.3.1 Out of space");
      smtp.send("NOOP").expectCode(250);
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.sendRaw("BDAT 7 LAST\r\nhello\r\n").expectCode(250);
    }
    assertThat(sink.mailbox().count()).isEqualTo(1);
  }

  @Test
  void rulesCanBeRemovedAndCleared() throws Exception {
    long id = sink.faults().add(FaultRule.on(SmtpStage.MAIL).reply(550, "5.7.1 No"));
    assertThatThrownBy(() -> send("b@y.test", "refused")).isInstanceOf(MessagingException.class);
    assertThat(sink.faults().remove(id)).isTrue();
    assertThat(sink.faults().remove(id)).isFalse();
    send("b@y.test", "accepted");
    sink.faults().add(FaultRule.on(SmtpStage.MAIL).reply(550, "5.7.1 No"));
    sink.faults().clear();
    assertThat(sink.faults().list()).isEmpty();
    assertThat(sink.faults().events()).isEmpty();
    send("b@y.test", "accepted again");
    assertThat(sink.mailbox().count()).isEqualTo(2);
  }

  @Test
  void startUpRulesAreInstalledAndResetRestoresThem() throws Exception {
    FaultRule once = FaultRule.on(SmtpStage.MAIL).reply(451, "4.3.0 Warming up").times(1);
    try (Mailsink configured = Mailsink.start(MailsinkConfig.builder().faultRules(once).build())) {
      assertThatThrownBy(
              () ->
                  TestMail.send(
                      configured.smtpHost(),
                      configured.smtpPort(),
                      "a@x.test",
                      "b@y.test",
                      "x",
                      "x"))
          .hasStackTraceContaining("451 4.3.0 Warming up");
      TestMail.send(
          configured.smtpHost(),
          configured.smtpPort(),
          "a@x.test",
          "b@y.test",
          "then accepted",
          "x");
      configured.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 Added later"));
      configured.faults().reset();
      assertThat(configured.faults().list())
          .singleElement()
          .satisfies(s -> assertThat(s.rule()).isEqualTo(once))
          .satisfies(s -> assertThat(s.hits()).isZero());
      assertThat(configured.faults().events()).isEmpty();
      assertThatThrownBy(
              () ->
                  TestMail.send(
                      configured.smtpHost(),
                      configured.smtpPort(),
                      "a@x.test",
                      "b@y.test",
                      "x",
                      "x"))
          .hasStackTraceContaining("451 4.3.0 Warming up");
    }
  }

  @Test
  void closeDuringAThirtySecondDelayReturnsWithinASecond() throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.RCPT).delay(Duration.ofSeconds(30)));
    SmtpScript smtp = SmtpScript.ehlo(sink);
    smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
    smtp.send("RCPT TO:<b@y.test>");
    // the session is now inside the delay (the RCPT was read; no reply can come for 30 s)
    awaitFaultEvent();
    try (smtp) {
      assertTimeoutPreemptively(Duration.ofSeconds(1), sink::close);
    }
  }

  private void awaitFaultEvent() throws InterruptedException {
    java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
    // events are recorded before the delay starts; wait for the record without polling sleeps
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (sink.faults().events().isEmpty() && System.nanoTime() < deadline) {
      seen.await(5, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    assertThat(sink.faults().events()).isNotEmpty();
  }

  @Test
  void invalidRulesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> FaultRule.on(SmtpStage.RCPT).reply(250, "2.0.0 fine"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reply code must be 400-599 (an error), was 250");
    assertThatThrownBy(
            () -> FaultRule.on(SmtpStage.RCPT).reply(450, "x").probability(0.5, 1L).times(0))
        .hasMessage("times must be >= 1 (or absent for always), was 0");
    assertThatThrownBy(
            () ->
                new FaultRule(
                    SmtpStage.RCPT,
                    Match.any(),
                    new FaultAction.Disconnect(),
                    null,
                    1,
                    0,
                    0.5,
                    null))
        .hasMessage("a probability below 1 needs a seed, so that runs are reproducible");
    assertThatThrownBy(() -> FaultRule.on(SmtpStage.MAIL).when(Match.subject("x")).disconnect())
        .hasMessageContaining("only be checked at END_OF_DATA");
    assertThatThrownBy(() -> FaultRule.on(SmtpStage.RCPT).tlsFailure())
        .hasMessage("tlsFailure only applies at STARTTLS, not RCPT");
    assertThatThrownBy(() -> FaultRule.on(SmtpStage.RCPT).reply(550, "bad\r\nMAIL FROM:<x>"))
        .hasMessageContaining("one line of printable ASCII");
  }
}
