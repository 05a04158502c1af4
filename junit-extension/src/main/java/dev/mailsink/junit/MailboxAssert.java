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
   * Waits until {@code count} messages have arrived and checks that there are no more than that at
   * that moment.
   *
   * @return assertions on the {@code count} messages, oldest first
   * @throws AssertionError if fewer arrive within the timeout, or more are there
   * @throws IllegalArgumentException if {@code count} is not positive (use {@link
   *     #receivedNothing()} to expect none)
   */
  public MessagesAssert receivedExactly(int count) {
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

  private MessagesAssert next(List<CapturedMessage> received) {
    MessagesAssert next = new MessagesAssert(received);
    if (info.hasDescription()) {
      next.describedAs(info.description());
    }
    return next;
  }
}
