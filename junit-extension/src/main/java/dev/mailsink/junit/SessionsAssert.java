package dev.mailsink.junit;

import dev.mailsink.MailsinkAssertionError;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the SMTP sessions of a server: how many ended, and what happened in them. Waits for
 * sessions to end (waking when one does, no polling) up to the timeout of {@link
 * MailsinkAssertions}. Obtain one with {@code assertThat(sink).sessions()} or {@link
 * MailsinkAssertions#assertThat(SessionLog)}.
 *
 * <pre>{@code
 * TranscriptsAssert attempts = assertThat(sink).sessions().endedAtLeast(2);
 * attempts.first().hasReply("451 4.7.1").deliveredNothing();
 * attempts.get(1).delivered(1).startedAtLeastAfter(attempts.actual().get(0), Duration.ofSeconds(2));
 * assertThat(sink).sessions().someEnded(t -> t.end() == SessionEnd.CLIENT_DISCONNECTED)
 *     .endDetailContains("during DATA");
 * }</pre>
 *
 * <p>Only ended sessions count: an open one may still change. Not thread-safe.
 */
public final class SessionsAssert extends AbstractAssert<SessionsAssert, SessionLog> {
  private Duration timeout;

  SessionsAssert(SessionLog sessions, Duration timeout) {
    super(sessions, SessionsAssert.class);
    this.timeout = timeout;
  }

  /**
   * Sets how long the following assertions wait for sessions to end.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public SessionsAssert within(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    this.timeout = timeout;
    return myself;
  }

  /**
   * Waits until at least {@code count} sessions have ended.
   *
   * @return assertions on every ended session by then, oldest first
   * @throws AssertionError if fewer end within the timeout
   */
  public TranscriptsAssert endedAtLeast(int count) {
    return new TranscriptsAssert(awaitEnded(count, t -> true, "ended"));
  }

  /**
   * Waits until {@code count} sessions have ended and checks that no more have at that moment.
   *
   * @return assertions on the {@code count} sessions, oldest first
   * @throws AssertionError if fewer end within the timeout, or more have
   */
  public TranscriptsAssert endedExactly(int count) {
    List<Transcript> ended = awaitEnded(count, t -> true, "ended");
    if (ended.size() != count) {
      failWithMessage(
          "%s",
          "Expected exactly "
              + count
              + " ended sessions, but "
              + ended.size()
              + " ended:"
              + TranscriptsAssert.describe(ended));
    }
    return new TranscriptsAssert(ended);
  }

  /**
   * Waits until a session that matches {@code filter} has ended.
   *
   * @return assertions on the first such session
   * @throws AssertionError if none ends within the timeout; the message lists the sessions there
   *     were
   */
  public TranscriptAssert someEnded(Predicate<? super Transcript> filter) {
    Objects.requireNonNull(filter, "filter");
    return new TranscriptAssert(awaitEnded(1, filter, "matching the filter").get(0));
  }

  private List<Transcript> awaitEnded(
      int count, Predicate<? super Transcript> filter, String what) {
    isNotNull();
    if (count <= 0) {
      throw new IllegalArgumentException("count must be > 0, was " + count);
    }
    try {
      return actual.await(t -> !t.isOpen() && filter.test(t), count, timeout);
    } catch (MailsinkAssertionError timedOut) {
      failWithMessage(
          "%s",
          "Expected "
              + count
              + " ended session(s) "
              + what
              + " within "
              + timeout
              + ", but the log holds:"
              + TranscriptsAssert.describe(actual.sessions()));
      throw timedOut; // not reached: failWithMessage throws
    }
  }
}
