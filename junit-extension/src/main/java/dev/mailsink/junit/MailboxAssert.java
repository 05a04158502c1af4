package dev.mailsink.junit;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailsinkAssertionError;
import dev.mailsink.junit.internal.Received;
import dev.mailsink.session.SessionLog;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Mailbox}: how many messages arrive, waiting for them. Obtain one with
 * {@link MailsinkAssertions#assertThat(Mailbox)}.
 *
 * <p>{@code receivedExactly} and {@code receivedAtLeast} return a {@link MessagesAssert} on the
 * messages received, so that one chain states what arrived:
 *
 * <pre>{@code
 * assertThat(sink).receivedExactly(1).from("shop@example.com").withSubject("Your order");
 * assertThat(sink.mailbox().forRecipient("bob@example.com")).receivedAtLeast(2);
 * assertThat(sink).within(Duration.ofMillis(300)).receivedNothing();
 * }</pre>
 *
 * <p>Not thread-safe; use one per assertion chain.
 */
public final class MailboxAssert extends AbstractAssert<MailboxAssert, Mailbox> {
  private Duration timeout;
  private Duration quietPeriod = MailsinkAssertions.DEFAULT_QUIET_PERIOD;
  private Duration exactlyQuietPeriod = MailsinkAssertions.exactlyQuietPeriodFromSystemProperty();

  private final SessionLog sessions;

  MailboxAssert(Mailbox mailbox, Duration timeout, SessionLog sessions) {
    super(mailbox, MailboxAssert.class);
    this.timeout = timeout;
    this.sessions = sessions;
  }

  /**
   * Assertions on the SMTP sessions of the sink, waiting as long as this assertion does: {@code
   * assertThat(sink).sessions().endedAtLeast(2)}.
   *
   * @throws IllegalStateException when this assertion was started on a bare mailbox; use {@code
   *     assertThat(sink)} or {@code assertThat(client.sessions())}
   */
  public SessionsAssert sessions() {
    if (sessions == null) {
      throw new IllegalStateException(
          "sessions() needs the sink: use assertThat(sink).sessions() or"
              + " assertThat(sink.sessions()) (for a remote server, assertThat(client.sessions()))");
    }
    return new SessionsAssert(sessions, timeout);
  }

  /**
   * Sets how long the following assertions wait for mail to arrive, and how long {@link
   * #receivedNothing()} watches.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public MailboxAssert within(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    this.timeout = timeout;
    this.quietPeriod = timeout;
    return myself;
  }

  /**
   * Sets the quiet period that the following {@link #receivedExactly(int)} holds after the last
   * expected message arrived: {@code assertThat(sink).quietFor(Duration.ofMillis(50))
   * .receivedExactly(2)}. {@link Duration#ZERO} turns it off, so that {@code receivedExactly}
   * passes as soon as the count is reached. Does not change how long {@link #receivedNothing()}
   * watches (that is {@link #within}).
   *
   * @throws IllegalArgumentException if {@code quietPeriod} is negative
   */
  public MailboxAssert quietFor(Duration quietPeriod) {
    this.exactlyQuietPeriod = checkQuietPeriod(quietPeriod);
    return myself;
  }

  /**
   * Waits until {@code count} messages have arrived, then checks that no further message arrives
   * during a quiet period, so that an extra message sent a moment after the expected ones is caught
   * rather than missed: {@link MailsinkAssertions#DEFAULT_EXACTLY_QUIET_PERIOD} (200 ms), the
   * system property {@value MailsinkAssertions#EXACTLY_QUIET_PERIOD_PROPERTY}, or {@link
   * #quietFor}. The quiet period watches the mailbox for an arrival (it wakes on it, no polling),
   * so a failure is reported as soon as the extra message is there; a passing assertion takes the
   * quiet period longer than the arrival of the last message. Fails at once, without waiting, when
   * more than {@code count} messages are already there.
   *
   * <p>Mail that the application sends later than the quiet period after the expected messages is
   * not seen; when a test expects such stragglers, give it a longer {@link #quietFor} or check
   * again at the point where all sending is over.
   *
   * @return assertions on the {@code count} messages, oldest first
   * @throws AssertionError if fewer arrive within the timeout, or more than {@code count} are there
   *     or arrive during the quiet period; it lists every message received
   * @throws IllegalArgumentException if {@code count} is not positive (use {@link
   *     #receivedNothing()} to expect none)
   */
  public MessagesAssert receivedExactly(int count) {
    return receivedExactly(count, exactlyQuietPeriod);
  }

  /**
   * Same as {@link #receivedExactly(int)} with the quiet period {@code quietPeriod} for this
   * assertion: {@code assertThat(sink).receivedExactly(1, Duration.ofSeconds(1))}.
   *
   * @throws IllegalArgumentException if {@code count} is not positive or {@code quietPeriod} is
   *     negative
   */
  public MessagesAssert receivedExactly(int count, Duration quietPeriod) {
    checkQuietPeriod(quietPeriod);
    List<CapturedMessage> received = awaitAtLeast(count, "exactly");
    if (received.size() != count) {
      failWithMessage(
          "%s",
          "Expected exactly "
              + Received.count(count)
              + ", but received "
              + received.size()
              + ".\n"
              + Received.list(received));
    }
    if (!quietPeriod.isZero()) {
      List<CapturedMessage> more;
      try {
        more = actual.await(count + 1, quietPeriod);
      } catch (MailsinkAssertionError quiet) {
        return next(received);
      }
      failWithMessage(
          "%s",
          "Expected exactly "
              + Received.count(count)
              + ", but received "
              + more.size()
              + ": "
              + (more.size() - count == 1 ? "one more" : (more.size() - count) + " more")
              + " arrived during the quiet period of "
              + quietPeriod
              + " after the "
              + ordinal(count)
              + ".\n"
              + Received.list(more));
    }
    return next(received);
  }

  /**
   * Waits until at least {@code count} messages have arrived.
   *
   * @return assertions on every message received by then (at least {@code count}), oldest first
   * @throws AssertionError if fewer arrive within the timeout
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public MessagesAssert receivedAtLeast(int count) {
    return next(awaitAtLeast(count, "at least"));
  }

  /**
   * Checks that the mailbox is empty and stays empty for the quiet period: {@link
   * MailsinkAssertions#DEFAULT_QUIET_PERIOD}, or the duration given to {@link #within}. Watches the
   * mailbox for arrivals rather than sleeping, so it fails as soon as a message arrives.
   *
   * @throws AssertionError listing the messages if any is there or arrives
   */
  public MailboxAssert receivedNothing() {
    isNotNull();
    List<CapturedMessage> arrived = actual.messages();
    if (arrived.isEmpty()) {
      try {
        arrived = actual.await(1, quietPeriod);
      } catch (MailsinkAssertionError quiet) {
        return myself;
      }
    }
    failWithMessage(
        "%s",
        "Expected no messages for "
            + quietPeriod
            + ", but received "
            + arrived.size()
            + ".\n"
            + Received.list(arrived));
    return myself;
  }

  private List<CapturedMessage> awaitAtLeast(int count, String how) {
    isNotNull();
    if (count <= 0) {
      throw new IllegalArgumentException(
          "count must be > 0, was " + count + "; use receivedNothing() to expect no mail");
    }
    try {
      return actual.await(count, timeout);
    } catch (MailsinkAssertionError timedOut) {
      List<CapturedMessage> received = actual.messages();
      failWithMessage(
          "%s",
          "Expected "
              + how
              + " "
              + Received.count(count)
              + " within "
              + timeout
              + ", but received "
              + received.size()
              + ".\n"
              + Received.list(received));
      throw timedOut; // not reached: failWithMessage throws
    }
  }

  private static Duration checkQuietPeriod(Duration quietPeriod) {
    Objects.requireNonNull(quietPeriod, "quietPeriod");
    if (quietPeriod.isNegative()) {
      throw new IllegalArgumentException("quiet period must not be negative, was " + quietPeriod);
    }
    return quietPeriod;
  }

  private static String ordinal(int n) {
    int mod100 = n % 100;
    String suffix =
        mod100 >= 11 && mod100 <= 13
            ? "th"
            : switch (n % 10) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            };
    return n + suffix;
  }

  private MessagesAssert next(List<CapturedMessage> received) {
    MessagesAssert next = new MessagesAssert(received);
    if (info.hasDescription()) {
      next.describedAs(info.description());
    }
    return next;
  }
}
