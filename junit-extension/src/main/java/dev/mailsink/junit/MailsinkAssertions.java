package dev.mailsink.junit;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.junit.internal.Durations;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Entry point of the fluent assertions on captured mail, in the style of AssertJ (they extend its
 * {@link org.assertj.core.api.AbstractAssert}, so {@code as(...)} and friends work).
 *
 * <pre>{@code
 * import static dev.mailsink.junit.MailsinkAssertions.assertThat;
 *
 * String link = assertThat(sink).receivedExactly(1)
 *     .to("alice@example.com")
 *     .withSubject("Confirm your address")
 *     .firstLinkMatching("/confirm\\?token=");
 * }</pre>
 *
 * <p>Assertions about arrival wait for the mail, waking on each arrival (no polling), up to a
 * timeout: {@link #DEFAULT_TIMEOUT} unless the system property {@value #TIMEOUT_PROPERTY} says
 * otherwise (e.g. {@code 10s}, {@code 500ms}, {@code PT10S}), or {@link MailboxAssert#within} for
 * one assertion. {@link MailboxAssert#receivedExactly(int)} then watches a short quiet period
 * ({@link #DEFAULT_EXACTLY_QUIET_PERIOD}, property {@value #EXACTLY_QUIET_PERIOD_PROPERTY}) so that
 * a late extra message fails it. Failures list what was received (time, sender, recipients,
 * subject) and the condition that failed.
 *
 * <p>They work on any {@link Mailbox}: a {@link Mailsink}'s own, one recipient's inbox ({@code
 * mailbox.forRecipient(address)}), or a remote one.
 */
public final class MailsinkAssertions {

  /** The system property that sets the default timeout of waiting assertions. */
  public static final String TIMEOUT_PROPERTY = "mailsink.assertions.timeout";

  /** How long waiting assertions wait when neither the property nor {@code within} says: 5 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** How long {@link MailboxAssert#receivedNothing()} watches unless {@code within} says: 1 s. */
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(1);

  /**
   * The system property that sets the default quiet period of {@link
   * MailboxAssert#receivedExactly(int)}, in the syntax of {@value #TIMEOUT_PROPERTY} ({@code 50ms},
   * {@code 1s}, {@code PT0.5S}); {@code 0s} turns the quiet period off.
   */
  public static final String EXACTLY_QUIET_PERIOD_PROPERTY =
      "mailsink.assertions.exactlyQuietPeriod";

  /**
   * How long {@link MailboxAssert#receivedExactly(int)} watches for an extra message after the
   * expected ones arrived, unless the property {@value #EXACTLY_QUIET_PERIOD_PROPERTY} or {@link
   * MailboxAssert#quietFor} says otherwise: 200 ms.
   */
  public static final Duration DEFAULT_EXACTLY_QUIET_PERIOD = Duration.ofMillis(200);

  private MailsinkAssertions() {}

  /** The quiet period of {@code receivedExactly} from the system property, or the default. */
  static Duration exactlyQuietPeriodFromSystemProperty() {
    Duration quiet =
        Durations.fromSystemProperty(EXACTLY_QUIET_PERIOD_PROPERTY, DEFAULT_EXACTLY_QUIET_PERIOD);
    if (quiet.isNegative()) {
      throw new IllegalArgumentException(
          "System property "
              + EXACTLY_QUIET_PERIOD_PROPERTY
              + " must not be negative, was "
              + quiet);
    }
    return quiet;
  }

  /**
   * Starts assertions on a mailbox.
   *
   * @throws IllegalArgumentException if the system property {@value #TIMEOUT_PROPERTY} or {@value
   *     #EXACTLY_QUIET_PERIOD_PROPERTY} is set but is not a duration
   */
  public static MailboxAssert assertThat(Mailbox mailbox) {
    return new MailboxAssert(
        mailbox, Durations.fromSystemProperty(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT), null);
  }

  /**
   * Starts assertions on the mailbox of {@code sink}; same as {@code assertThat(sink.mailbox())}.
   */
  public static MailboxAssert assertThat(Mailsink sink) {
    Objects.requireNonNull(sink, "sink");
    return new MailboxAssert(
        sink.mailbox(),
        Durations.fromSystemProperty(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT),
        sink.sessions());
  }

  /**
   * Starts assertions on a session log, e.g. {@code sink.sessions()} or a remote client's; same as
   * {@code assertThat(sink).sessions()} for a sink.
   *
   * @throws IllegalArgumentException if the system property {@value #TIMEOUT_PROPERTY} is set but
   *     is not a duration
   */
  public static SessionsAssert assertThat(SessionLog sessions) {
    return new SessionsAssert(
        Objects.requireNonNull(sessions, "sessions"),
        Durations.fromSystemProperty(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT));
  }

  /** Starts assertions on one session's transcript, e.g. {@code message.transcript().get()}. */
  public static TranscriptAssert assertThat(Transcript transcript) {
    return new TranscriptAssert(Objects.requireNonNull(transcript, "transcript"));
  }

  /** Starts assertions on one message, e.g. one taken from {@code mailbox.latest()}. */
  public static MessagesAssert assertThat(CapturedMessage message) {
    return new MessagesAssert(List.of(Objects.requireNonNull(message, "message")));
  }
}
