package dev.mailsink.junit;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.Mailsink;
import dev.mailsink.testing.TestMail;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@MailsinkTest
@Timeout(30)
class MailsinkAssertionsTest {
  private static final Duration SHORT = Duration.ofMillis(200);

  private static void send(Mailsink sink, String to, String subject) throws Exception {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "shop@example.com", to, subject, "Hello " + to);
  }

  private static CompletableFuture<Void> sendLater(Mailsink sink, String subject) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            send(sink, "alice@example.com", subject);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static void sendRichMail(Mailsink sink) throws Exception {
    TestMail.message()
        .to("alice@example.com")
        .cc("carol@example.com")
        .bcc("dave@example.com")
        .subject("Your order 42 has shipped")
        .header("X-Campaign", "shipping")
        .text("Track it at https://shop.example.com/track?order=42&key=a1.\nCode: 731904")
        .html(
            "<p><b>Shipped!</b> <a href=\"https://shop.example.com/track?order=42&amp;key=a1\">"
                + "Track</a></p>")
        .attach(
            "report.csv",
            "text/csv; charset=UTF-8",
            "id,total\n42,9.90\n".getBytes(StandardCharsets.UTF_8))
        .sendTo(sink.smtpHost(), sink.smtpPort());
  }

  /** A message as a server would have captured it, from its raw text (lines end with LF). */
  private static CapturedMessage captured(Envelope envelope, String raw) {
    byte[] bytes = raw.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    return CapturedMessage.of(1, Instant.parse("2025-01-01T10:00:00Z"), envelope, bytes);
  }

  private static Envelope envelope(String tlsProtocol, String authenticatedUser) {
    return new Envelope(
        "shop@example.com",
        List.of("alice@example.com"),
        "client.example.com",
        "127.0.0.1",
        40000,
        "session-1",
        tlsProtocol,
        tlsProtocol == null ? null : "TLS_AES_128_GCM_SHA256",
        authenticatedUser);
  }

  @Test
  void receivedExactlyWaitsForMailThatIsStillOnItsWay(Mailsink sink) {
    CompletableFuture<Void> sending = sendLater(sink, "Welcome");

    assertThat(sink).receivedExactly(1).withSubject("Welcome");
    sending.join();
  }

  @Test
  void receivedExactlyFailsSayingNothingArrivedWithinTheTimeout(Mailsink sink) {
    assertThatThrownBy(() -> assertThat(sink).within(SHORT).receivedExactly(1))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "Expected exactly 1 message within PT0.2S, but received 0.\nReceived no messages.");
  }

  @Test
  void receivedExactlyFailsListingTheMessagesWhenMoreArrived(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");
    send(sink, "bob@example.com", "Two");

    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1))
        .hasMessageStartingWith("Expected exactly 1 message, but received 2.\nReceived 2 messages:")
        .hasMessageContaining("from=<shop@example.com> to=[<alice@example.com>] subject=\"One\"")
        .hasMessageContaining("from=<shop@example.com> to=[<bob@example.com>] subject=\"Two\"");
  }

  /**
   * The sink's own mailbox, which runs {@code onAwait} (once) when an assertion starts an await
   * that has to wait (for more messages than are there): so that a test sends mail exactly when the
   * assertion is already watching, without sleeps.
   */
  private static final class WatchedMailbox implements Mailbox {
    private final Mailbox mailbox;
    private final java.util.function.IntPredicate when;
    private final Runnable onAwait;
    private final java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Runs {@code onAwait} at the first await for more messages than are stored whose stored count
     * {@code when} accepts.
     */
    WatchedMailbox(Mailbox mailbox, java.util.function.IntPredicate when, Runnable onAwait) {
      this.mailbox = mailbox;
      this.when = when;
      this.onAwait = onAwait;
    }

    @Override
    public List<CapturedMessage> await(int count, Duration timeout) {
      int stored = mailbox.count();
      if (count > stored && when.test(stored) && done.compareAndSet(false, true)) {
        onAwait.run();
      }
      return mailbox.await(count, timeout);
    }

    @Override
    public List<CapturedMessage> await(
        java.util.function.Predicate<? super CapturedMessage> filter, int count, Duration timeout) {
      return mailbox.await(filter, count, timeout);
    }

    @Override
    public List<CapturedMessage> messages(Order order) {
      return mailbox.messages(order);
    }

    @Override
    public List<CapturedMessage> find(java.util.function.Predicate<? super CapturedMessage> f) {
      return mailbox.find(f);
    }

    @Override
    public java.util.Optional<CapturedMessage> findById(long id) {
      return mailbox.findById(id);
    }

    @Override
    public java.util.Optional<CapturedMessage> latest() {
      return mailbox.latest();
    }

    @Override
    public int count() {
      return mailbox.count();
    }

    @Override
    public boolean delete(long id) {
      return mailbox.delete(id);
    }

    @Override
    public int clear() {
      return mailbox.clear();
    }

    @Override
    public Mailbox forRecipient(String address) {
      return mailbox.forRecipient(address);
    }

    @Override
    public Mailbox namespace(String name) {
      return mailbox.namespace(name);
    }

    @Override
    public Subscription subscribe(MailboxListener listener) {
      return mailbox.subscribe(listener);
    }

    @Override
    public long evictedCount() {
      return mailbox.evictedCount();
    }
  }

  @Test
  void aLateExtraMessageDuringTheQuietPeriodFailsReceivedExactly(Mailsink sink) {
    // The application sends "Late" right after "Two" was captured: a listener hears of "Two" once
    // it is stored and only then sends the extra message over SMTP. "One" and "Two" are sent once
    // the assertion waits for them, so that it sees two messages first and then the late third.
    try (Mailbox.Subscription trigger =
        sink.mailbox()
            .subscribe(
                new MailboxListener() {
                  @Override
                  public void received(CapturedMessage message) {
                    if (message.subject().equals("Two")) {
                      sendLater(sink, "Late");
                    }
                  }
                })) {
      Mailbox mailbox =
          new WatchedMailbox(
              sink.mailbox(),
              n -> n == 0,
              () ->
                  sendLater(sink, "One")
                      .thenRun(
                          () -> {
                            try {
                              send(sink, "alice@example.com", "Two");
                            } catch (Exception e) {
                              throw new IllegalStateException(e);
                            }
                          }));

      assertThatThrownBy(
              () -> assertThat(mailbox).quietFor(Duration.ofSeconds(20)).receivedExactly(2))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("Expected exactly 2 messages, but received 3")
          .hasMessageContaining("Received 3 messages:")
          .hasMessageContaining("subject=\"One\"")
          .hasMessageContaining("subject=\"Two\"")
          .hasMessageContaining("subject=\"Late\"");
    }
  }

  @Test
  void anExtraSentWhileTheQuietPeriodIsWatchedFailsTheAssertion(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");
    send(sink, "alice@example.com", "Two");
    // "Three" goes out when the assertion, having seen its two messages, starts watching
    Mailbox mailbox =
        new WatchedMailbox(sink.mailbox(), n -> n == 2, () -> sendLater(sink, "Three"));

    assertThatThrownBy(() -> assertThat(mailbox).receivedExactly(2, Duration.ofSeconds(20)))
        .hasMessageStartingWith(
            "Expected exactly 2 messages, but received 3: one more arrived during the quiet period"
                + " of PT20S after the 2nd.\nReceived 3 messages:")
        .hasMessageContaining("subject=\"Three\"");
  }

  @Test
  void receivedExactlyPassesAfterHoldingTheQuietPeriod(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");
    send(sink, "bob@example.com", "Two");

    long start = System.nanoTime();
    assertThat(sink).receivedExactly(2).from("shop@example.com");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isGreaterThanOrEqualTo(MailsinkAssertions.DEFAULT_EXACTLY_QUIET_PERIOD);
  }

  @Test
  void theQuietPeriodIsSetPerAssertion(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");

    long start = System.nanoTime();
    assertThat(sink).quietFor(Duration.ofMillis(450)).receivedExactly(1).withSubject("One");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));

    start = System.nanoTime();
    assertThat(sink).receivedExactly(1, Duration.ofMillis(350)).withSubject("One");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(350));

    assertThatThrownBy(() -> assertThat(sink).quietFor(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quiet period must not be negative, was PT-0.001S");
  }

  @Test
  void withoutAQuietPeriodReceivedExactlyReturnsOnceTheCountIsReached(Mailsink sink)
      throws Exception {
    send(sink, "alice@example.com", "One");
    // a quiet period of zero is the old behaviour; the watch for a second message never starts,
    // so even a 1-hour timeout passes at once
    long start = System.nanoTime();
    assertThat(sink).within(Duration.ofHours(1)).quietFor(Duration.ZERO).receivedExactly(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(59));
  }

  @Test
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  void theDefaultQuietPeriodComesFromASystemProperty(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");
    System.setProperty(MailsinkAssertions.EXACTLY_QUIET_PERIOD_PROPERTY, "600ms");
    try {
      long start = System.nanoTime();
      assertThat(sink).receivedExactly(1);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(600));

      System.setProperty(MailsinkAssertions.EXACTLY_QUIET_PERIOD_PROPERTY, "shortly");
      assertThatThrownBy(() -> assertThat(sink))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "System property mailsink.assertions.exactlyQuietPeriod must be an ISO-8601 duration"
                  + " (PT5S) or a number with a unit (500ms, 5s, 2m, 1h), was 'shortly'");
    } finally {
      System.clearProperty(MailsinkAssertions.EXACTLY_QUIET_PERIOD_PROPERTY);
    }
  }

  @Test
  void receivedAtLeastHoldsNoQuietPeriod(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");
    // with a quiet period of an hour, receivedExactly would take an hour; receivedAtLeast returns
    assertThat(sink).quietFor(Duration.ofHours(1)).receivedAtLeast(1).withSubject("One");
  }

  @Test
  void receivedAtLeastReturnsEveryMessageReceived(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");
    send(sink, "alice@example.com", "Two");
    send(sink, "alice@example.com", "Three");

    assertThat(assertThat(sink).receivedAtLeast(2).actual())
        .extracting(CapturedMessage::subject)
        .containsExactly("One", "Two", "Three");
  }

  @Test
  void receivedAtLeastFailsWithTheTimeoutAndWhatArrived(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");

    assertThatThrownBy(() -> assertThat(sink).within(SHORT).receivedAtLeast(2))
        .hasMessageMatching(
            "(?s)Expected at least 2 messages within PT0\\.2S, but received 1\\.\n"
                + "Received 1 message:\n  #\\d+ \\d{4}-\\d\\d-\\d\\dT\\S+Z from=<shop@example\\.com>"
                + " to=\\[<alice@example\\.com>\\] subject=\"One\"");
  }

  @Test
  void aCountBelowOneIsRejectedWithAPointerToReceivedNothing(Mailsink sink) {
    assertThatThrownBy(() -> assertThat(sink).receivedExactly(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receivedNothing()");
  }

  @Test
  void receivedNothingPassesWhenTheMailboxStaysEmpty(Mailsink sink) {
    assertThat(sink).within(Duration.ofMillis(100)).receivedNothing();
  }

  @Test
  void receivedNothingFailsWhenAMessageArrivesDuringTheQuietPeriod(Mailsink sink) {
    CompletableFuture<Void> sending = sendLater(sink, "Surprise");

    assertThatThrownBy(() -> assertThat(sink).within(Duration.ofSeconds(20)).receivedNothing())
        .hasMessageStartingWith("Expected no messages for PT20S, but received 1.")
        .hasMessageContaining("subject=\"Surprise\"");
    sending.join();
  }

  @Test
  void receivedNothingFailsWhenMailIsAlreadyThere(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "Early");

    assertThatThrownBy(() -> assertThat(sink).receivedNothing())
        .hasMessageContaining("subject=\"Early\"");
  }

  @Test
  void addressConditionsCheckHeadersAndEnvelope(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThat(sink)
        .receivedExactly(1)
        .from("SHOP@example.com")
        .to("alice@example.com")
        .cc("carol@example.com")
        .bcc("dave@example.com")
        .withEnvelopeRecipient("carol@example.com")
        .withEnvelopeSender("shop@example.com");
  }

  @Test
  void aFailedRecipientConditionShowsTheActualRecipients(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "Hi");

    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).to("bob@example.com"))
        .hasMessageMatching(
            "(?s)Expected the message to be to <bob@example\\.com>, but it did not:\n"
                + "  #\\d+ .* subject=\"Hi\"\n    To: \\[alice@example\\.com\\]\n"
                + "Received 1 message:\n.*");
  }

  @Test
  void bccFailsForARecipientTheHeadersName(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).bcc("alice@example.com"))
        .hasMessageContaining("be blind-copied to <alice@example.com>")
        .hasMessageContaining(
            "envelope recipients: [alice@example.com, carol@example.com, dave@example.com]");
  }

  @Test
  void aConditionOnSeveralMessagesNamesThoseThatFailIt(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");
    send(sink, "bob@example.com", "Two");

    assertThatThrownBy(() -> assertThat(sink).receivedExactly(2).to("alice@example.com"))
        .hasMessageContaining(
            "Expected every message to be to <alice@example.com>, but 1 of 2 did not:")
        .hasMessageContaining("subject=\"Two\"\n    To: [bob@example.com]");
  }

  @Test
  void subjectConditionsCompareWholeContainedAndMatchingText(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThat(sink)
        .receivedExactly(1)
        .withSubject("Your order 42 has shipped")
        .withSubjectContaining("order 42")
        .withSubjectMatching("order \\d+");
    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).withSubjectMatching("^order"))
        .hasMessageContaining("Expected the message to have a subject matching /^order/")
        .hasMessageContaining("subject: \"Your order 42 has shipped\"");
  }

  @Test
  void bodyConditionsLookIntoTheTextAndHtmlParts(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThat(sink)
        .receivedExactly(1)
        .withTextContaining("Code: 731904")
        .withHtmlContaining("<b>Shipped!</b>")
        .withHeader("x-campaign", "shipping");
  }

  @Test
  void aMissingHtmlBodyIsNamedInTheFailure(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "Plain");

    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).withHtmlContaining("<p>"))
        .hasMessageContaining("no HTML body (it has a text body)");
    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).withTextContaining("Bye"))
        .hasMessageContaining("text body: \"Hello alice@example.com\\r\\n\"");
    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).withHeader("X-Campaign", "x"))
        .hasMessageContaining("no X-Campaign header");
  }

  @Test
  void attachmentsAreCheckedByNameTypeAndContent(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThat(sink)
        .receivedExactly(1)
        .withAttachment("report.csv")
        .attachment("report.csv")
        .hasMimeType("text/csv")
        .hasContent("id,total\n42,9.90\n")
        .hasContent("id,total\r\n42,9.90\r\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void attachmentFailuresSayWhatTheMessageHas(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).withAttachment("invoice.pdf"))
        .hasMessageContaining("attachments: [Attachment{report.csv, text/csv, 19 bytes}]");
    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).attachment("invoice.pdf"))
        .hasMessageContaining("Expected an attachment named \"invoice.pdf\"");
    assertThatThrownBy(
            () -> assertThat(sink).receivedExactly(1).attachment("report.csv").hasMimeType("a/b"))
        .hasMessageContaining("its Content-Type is text/csv; charset=UTF-8");
    assertThatThrownBy(
            () -> assertThat(sink).receivedExactly(1).attachment("report.csv").hasContent("x"))
        .hasMessageContaining("but it has \"id,total\\r\\n42,9.90\\r\\n\"");
  }

  @Test
  void tlsAndAuthenticationAreReadFromTheEnvelope() {
    String raw = "From: shop@example.com\nTo: alice@example.com\nSubject: Hi\n\nHello\n";

    assertThat(captured(envelope("TLSv1.3", "app"), raw)).sentOverTls().authenticatedAs("app");
    assertThatThrownBy(() -> assertThat(captured(envelope(null, null), raw)).sentOverTls())
        .hasMessageContaining("Expected the message to have been sent over TLS")
        .hasMessageContaining("it arrived without TLS");
    assertThatThrownBy(() -> assertThat(captured(envelope(null, null), raw)).authenticatedAs("app"))
        .hasMessageContaining("the client did not authenticate");
  }

  @Test
  void firstLinkMatchingReturnsTheLinkToFollow(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThat(assertThat(sink).receivedExactly(1).firstLinkMatching("/track\\?"))
        .isEqualTo("https://shop.example.com/track?order=42&key=a1");
  }

  @Test
  void firstLinkMatchingFailsListingTheLinksThereAre(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).firstLinkMatching("/confirm"))
        .hasMessageStartingWith(
            "Expected a link matching /\\/confirm/ in the message, but its links are:\n"
                    .replace("\\/", "/")
                + "    https://shop.example.com/track?order=42&key=a1\n");
  }

  @Test
  void extractFromBodyReturnsTheFirstGroup(Mailsink sink) throws Exception {
    sendRichMail(sink);

    assertThat(assertThat(sink).receivedExactly(1).extractFromBody("Code: (\\d{6})"))
        .isEqualTo("731904");
  }

  @Test
  void methodsThatReturnOneMessageNeedExactlyOne(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "One");
    send(sink, "alice@example.com", "Two");

    assertThatThrownBy(() -> assertThat(sink).receivedAtLeast(1).message())
        .hasMessageStartingWith("Expected one message to return, but there are 2");
  }

  @Test
  void aDescriptionPrefixesTheFailureOfTheWholeChain(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "Hi");

    assertThatThrownBy(
            () -> assertThat(sink).as("welcome mail").receivedExactly(1).withSubject("x"))
        .hasMessageStartingWith("[welcome mail] Expected the message to have subject \"x\"");
  }

  @Test
  void aRecipientsInboxNarrowsTheAssertion(Mailsink sink) throws Exception {
    send(sink, "alice@example.com", "For Alice");
    send(sink, "bob@example.com", "For Bob");

    assertThat(sink.mailbox().forRecipient("bob@example.com"))
        .receivedExactly(1)
        .withSubject("For Bob");
  }

  @Test
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  void theDefaultTimeoutComesFromASystemProperty(Mailsink sink) {
    System.setProperty(MailsinkAssertions.TIMEOUT_PROPERTY, "150ms");
    try {
      assertThatThrownBy(() -> assertThat(sink).receivedExactly(1))
          .hasMessageStartingWith("Expected exactly 1 message within PT0.15S");
    } finally {
      System.clearProperty(MailsinkAssertions.TIMEOUT_PROPERTY);
    }
  }

  @Test
  @ResourceLock(Resources.SYSTEM_PROPERTIES)
  void aTimeoutPropertyThatIsNoDurationIsRejected(Mailsink sink) {
    System.setProperty(MailsinkAssertions.TIMEOUT_PROPERTY, "soon");
    try {
      assertThatThrownBy(() -> assertThat(sink))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "System property mailsink.assertions.timeout must be an ISO-8601 duration (PT5S) or"
                  + " a number with a unit (500ms, 5s, 2m, 1h), was 'soon'");
    } finally {
      System.clearProperty(MailsinkAssertions.TIMEOUT_PROPERTY);
    }
  }
}
