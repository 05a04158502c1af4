package dev.mailsink.relay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A request to let one captured message through to the upstream server, with every attempt made so
 * far. An instance is an immutable snapshot; {@code message.releases()} and the sink's release log
 * give the current state.
 *
 * @param id the release's id, unique within one server
 * @param messageId the id of the released message (which stays in the sink)
 * @param namespace the released message's namespace, as {@code CapturedMessage.namespace()}, or
 *     null when it has none
 * @param recipients the recipients it is released to
 * @param trigger {@code manual} for {@code release(...)} and the API, or {@code auto-relay <rule>}
 * @param requestedAt when it was requested
 * @param status where it stands
 * @param attempts the attempts so far, in order
 * @param nextAttemptAt when the next attempt is due while {@link Status#PENDING}, else null
 * @param detail where it stands in words, e.g. {@code retrying at ... after 451 4.7.1 Greylisted}
 *     or {@code refused by the upstream}
 */
public record Release(
    long id,
    long messageId,
    String namespace,
    List<String> recipients,
    String trigger,
    Instant requestedAt,
    Status status,
    List<RelayAttempt> attempts,
    Instant nextAttemptAt,
    String detail) {

  /** Where a release stands. */
  public enum Status {
    /** Waiting for its first attempt or for a retry. */
    PENDING,
    /** The upstream accepted the message for every recipient. */
    DELIVERED,
    /** Done: the upstream accepted it for some recipients but not all. */
    PARTIALLY_DELIVERED,
    /** Done: the upstream accepted it for no recipient. */
    FAILED
  }

  /** Validates and copies the components. */
  public Release {
    recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(status, "status");
    attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
    detail = detail == null ? "" : detail;
  }

  /** Whether nothing more will be tried. */
  public boolean isDone() {
    return status != Status.PENDING;
  }

  /** The recipients the upstream accepted the message for, over all attempts, in order. */
  public List<String> deliveredTo() {
    Set<String> delivered = new LinkedHashSet<>();
    for (RelayAttempt a : attempts) {
      delivered.addAll(a.deliveredTo());
    }
    return new ArrayList<>(delivered);
  }

  /** The most recent attempt, or null before the first. */
  public RelayAttempt lastAttempt() {
    return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
  }

  /** One line for logs and failure messages. */
  public String summary() {
    RelayAttempt last = lastAttempt();
    return "release #"
        + id
        + " of message #"
        + messageId
        + (namespace == null ? "" : " in namespace " + namespace)
        + " to "
        + recipients
        + " ("
        + trigger
        + "): "
        + status
        + ", "
        + attempts.size()
        + (attempts.size() == 1 ? " attempt" : " attempts")
        + (last == null ? "" : ", last " + last.result() + " " + last.reply())
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
