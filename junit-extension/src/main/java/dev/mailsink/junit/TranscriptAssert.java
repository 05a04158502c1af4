package dev.mailsink.junit;

import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.session.TranscriptEntry;
import java.time.Duration;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one session's transcript. Failures show the whole transcript. Not thread-safe.
 *
 * <pre>{@code
 * assertThat(transcript).hasReply("451 4.7.1").firedFault().endedWith(SessionEnd.QUIT);
 * }</pre>
 */
public final class TranscriptAssert extends AbstractAssert<TranscriptAssert, Transcript> {

  TranscriptAssert(Transcript transcript) {
    super(transcript, TranscriptAssert.class);
  }

  private void fail(String expectation) {
    failWithMessage("%s", expectation + ", in:\n" + actual.toText());
  }

  /** Checks how the session ended. */
  public TranscriptAssert endedWith(SessionEnd end) {
    isNotNull();
    Objects.requireNonNull(end, "end");
    if (actual.end() != end) {
      fail(
          "Expected the session to end with "
              + end
              + " but it "
              + (actual.isOpen()
                  ? "is open"
                  : "ended with " + actual.end() + " (" + actual.endDetail() + ")"));
    }
    return myself;
  }

  /** Checks that the words on how it ended contain {@code text}, e.g. {@code during DATA}. */
  public TranscriptAssert endDetailContains(String text) {
    isNotNull();
    if (!actual.endDetail().contains(text)) {
      fail(
          "Expected the end detail to contain '"
              + text
              + "' but it is '"
              + actual.endDetail()
              + "'");
    }
    return myself;
  }

  /**
   * Checks that the client sent a line starting with {@code prefix}, e.g. {@code RCPT TO:<b@y>}.
   */
  public TranscriptAssert hasCommand(String prefix) {
    isNotNull();
    if (actual.commands().stream().noneMatch(c -> c.startsWith(prefix))) {
      fail("Expected a command starting with '" + prefix + "'");
    }
    return myself;
  }

  /** Checks that the server sent a reply starting with {@code prefix}, e.g. {@code 451 4.7.1}. */
  public TranscriptAssert hasReply(String prefix) {
    isNotNull();
    if (actual.replies().stream().noneMatch(r -> r.startsWith(prefix))) {
      fail("Expected a reply starting with '" + prefix + "'");
    }
    return myself;
  }

  /** Checks that no reply starts with {@code prefix}. */
  public TranscriptAssert hasNoReply(String prefix) {
    isNotNull();
    if (actual.replies().stream().anyMatch(r -> r.startsWith(prefix))) {
      fail("Expected no reply starting with '" + prefix + "'");
    }
    return myself;
  }

  /** Checks that at least one fault rule fired in the session. */
  public TranscriptAssert firedFault() {
    isNotNull();
    if (actual.faults().isEmpty()) {
      fail("Expected a fault rule to fire");
    }
    return myself;
  }

  /** Checks that no fault rule fired in the session. */
  public TranscriptAssert firedNoFault() {
    isNotNull();
    if (!actual.faults().isEmpty()) {
      fail("Expected no fault rule to fire");
    }
    return myself;
  }

  /** Checks that the session negotiated TLS (STARTTLS or implicit). */
  public TranscriptAssert usedTls() {
    isNotNull();
    if (!actual.isTls()) {
      fail("Expected the session to use TLS");
    }
    return myself;
  }

  /** Checks that the client authenticated as {@code user}. */
  public TranscriptAssert authenticatedAs(String user) {
    isNotNull();
    if (!Objects.equals(actual.authenticatedUser(), user)) {
      fail("Expected AUTH as '" + user + "' but the user was " + actual.authenticatedUser());
    }
    return myself;
  }

  /** Checks that the session delivered exactly {@code count} messages. */
  public TranscriptAssert delivered(int count) {
    isNotNull();
    if (actual.messageIds().size() != count) {
      fail(
          "Expected "
              + count
              + " delivered message(s) but the session delivered "
              + actual.messageIds());
    }
    return myself;
  }

  /** Checks that the session delivered no message. */
  public TranscriptAssert deliveredNothing() {
    return delivered(0);
  }

  /**
   * Checks that this session started at least {@code gap} after {@code earlier} ended, e.g. that a
   * client waited before retrying a greylisted message.
   */
  public TranscriptAssert startedAtLeastAfter(Transcript earlier, Duration gap) {
    isNotNull();
    Objects.requireNonNull(earlier, "earlier");
    Objects.requireNonNull(gap, "gap");
    if (earlier.endedAt() == null) {
      fail("Expected session " + earlier.id() + " to have ended");
    }
    Duration actualGap = Duration.between(earlier.endedAt(), actual.startedAt());
    if (actualGap.compareTo(gap) < 0) {
      fail(
          "Expected the session to start at least "
              + gap
              + " after session "
              + earlier.id()
              + " ended, but it started "
              + actualGap
              + " after");
    }
    return myself;
  }

  /** The entries of one kind, for further assertions with AssertJ. */
  public java.util.List<TranscriptEntry> entries(TranscriptEntry.Kind kind) {
    isNotNull();
    return actual.entries(kind);
  }
}
