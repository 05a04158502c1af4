package dev.mailsink.junit;

import dev.mailsink.session.Transcript;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a list of ended sessions, oldest first, as {@link SessionsAssert} returns them. Not
 * thread-safe.
 */
public final class TranscriptsAssert extends AbstractAssert<TranscriptsAssert, List<Transcript>> {

  TranscriptsAssert(List<Transcript> sessions) {
    super(List.copyOf(sessions), TranscriptsAssert.class);
  }

  /** The sessions asserted on, oldest first. */
  public List<Transcript> actual() {
    return actual;
  }

  /** Assertions on the oldest session. */
  public TranscriptAssert first() {
    return get(0);
  }

  /** Assertions on the most recent session. */
  public TranscriptAssert last() {
    return get(actual.size() - 1);
  }

  /**
   * Assertions on the session at {@code index} (from 0, oldest first).
   *
   * @throws AssertionError if there is no such session
   */
  public TranscriptAssert get(int index) {
    if (index < 0 || index >= actual.size()) {
      failWithMessage(
          "%s", "Expected a session at index " + index + ", but there are:" + describe(actual));
    }
    return new TranscriptAssert(actual.get(index));
  }

  /** Checks that no session in the list delivered a message. */
  public TranscriptsAssert deliveredNothing() {
    for (Transcript t : actual) {
      if (!t.messageIds().isEmpty()) {
        failWithMessage(
            "%s", "Expected no session to deliver a message, but:" + describe(List.of(t)));
      }
    }
    return myself;
  }

  static String describe(List<Transcript> sessions) {
    if (sessions.isEmpty()) {
      return " none";
    }
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (Transcript t : sessions) {
      if (shown++ == 10) {
        sb.append("\n  ... and ").append(sessions.size() - 10).append(" more");
        break;
      }
      sb.append("\n  ").append(t.summary());
      List<String> replies = t.replies();
      if (!replies.isEmpty()) {
        sb.append("; last reply ").append(replies.get(replies.size() - 1).replace("\r\n", " / "));
      }
    }
    return sb.toString();
  }
}
