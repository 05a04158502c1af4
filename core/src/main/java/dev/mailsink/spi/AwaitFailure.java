package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.MailsinkAssertionError;
import dev.mailsink.session.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The checks and the failure message of {@code Mailbox.await}, shared by every mailbox (in memory
 * and remote) so that failures read alike wherever the mail is.
 */
public final class AwaitFailure {
  private static final int SHOWN = 20;

  private AwaitFailure() {}

  /** Refuses a negative count or timeout with a message that names the value. */
  public static void checkArguments(int count, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
  }

  /** The {@link System#nanoTime()} at which a wait of {@code timeout} from now ends. */
  public static long deadline(Duration timeout) {
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE / 2;
    }
    return System.nanoTime() + nanos;
  }

  /**
   * The error for a wait that timed out: {@code Expected 2 messages within PT5S but received 1:}
   * and one line per message received (the first twenty).
   *
   * @param what how the messages were filtered (e.g. {@code matching the filter}), or null
   */
  public static MailsinkAssertionError timedOut(
      String what,
      int wanted,
      Duration timeout,
      List<CapturedMessage> matching,
      List<CapturedMessage> all) {
    StringBuilder sb =
        new StringBuilder("Expected ")
            .append(wanted)
            .append(wanted == 1 ? " message" : " messages");
    if (what != null) {
      sb.append(' ').append(what);
    }
    sb.append(" within ").append(timeout).append(" but ");
    if (what != null) {
      sb.append(matching.size()).append(" matched of ").append(all.size()).append(" received");
    } else {
      sb.append("received ").append(all.size());
    }
    sb.append(describe(all));
    return new MailsinkAssertionError(sb.toString());
  }

  /** One summary line per message (the first twenty), after a colon; empty for no messages. */
  public static String describe(List<CapturedMessage> messages) {
    if (messages.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(":");
    int shown = 0;
    for (CapturedMessage m : messages) {
      if (shown++ == SHOWN) {
        sb.append("\n  ... and ").append(messages.size() - SHOWN).append(" more");
        break;
      }
      sb.append("\n  ").append(m.summary());
    }
    return sb.toString();
  }

  /**
   * The error for a wait on sessions that timed out: {@code Expected 2 sessions matching the filter
   * within PT5S but 1 matched of 3 sessions:} and one line per session (the first twenty).
   */
  public static MailsinkAssertionError sessionsTimedOut(
      int wanted, Duration timeout, List<Transcript> matching, List<Transcript> all) {
    return sessionsTimedOut(null, wanted, timeout, matching, all);
  }

  /**
   * As {@link #sessionsTimedOut(int, Duration, List, List)} for a part of the log, e.g. {@code "in
   * namespace ns42"} (or {@code null} for the whole log); {@code all} is that part's sessions.
   */
  public static MailsinkAssertionError sessionsTimedOut(
      String where, int wanted, Duration timeout, List<Transcript> matching, List<Transcript> all) {
    StringBuilder sb =
        new StringBuilder("Expected ")
            .append(wanted)
            .append(wanted == 1 ? " session" : " sessions")
            .append(where == null ? "" : " " + where)
            .append(" matching the filter within ")
            .append(timeout)
            .append(" but ")
            .append(matching.size())
            .append(" matched of ")
            .append(all.size())
            .append(all.size() == 1 ? " session" : " sessions");
    int shown = 0;
    for (Transcript t : all) {
      if (shown++ == SHOWN) {
        sb.append("\n  ... and ").append(all.size() - SHOWN).append(" more");
        break;
      }
      sb.append(shown == 1 ? ":" : "").append("\n  ").append(t.summary());
    }
    return new MailsinkAssertionError(sb.toString());
  }
}
