package dev.mailsink.json;

import dev.mailsink.relay.RelayAttempt;
import dev.mailsink.relay.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link Release} with its attempts, as the {@code /api/v1/releases} and {@code
 * /api/v1/messages/{id}/release} endpoints write it and the remote client reads it back. {@code
 * status} and {@code result} are the enum names in lower case ({@code pending}, {@code delivered},
 * {@code partially_delivered}, {@code failed}; {@code deferred}, {@code refused}, {@code
 * connection_failed}, {@code error}); times are ISO-8601, durations ISO-8601 ({@code PT0.25S}).
 *
 * @param id the release id
 * @param messageId the released message
 * @param namespace the released message's namespace, or null when it has none
 * @param recipients the recipients it is released to
 * @param trigger {@code manual} or {@code auto-relay <rule>}
 * @param requestedAt when it was requested
 * @param status where it stands
 * @param done whether nothing more will be tried
 * @param deliveredTo the recipients the upstream accepted it for
 * @param nextAttemptAt when the next attempt is due, or null
 * @param detail where it stands in words
 * @param attempts the attempts so far
 */
public record ReleaseJson(
    long id,
    long messageId,
    String namespace,
    List<String> recipients,
    String trigger,
    String requestedAt,
    String status,
    boolean done,
    List<String> deliveredTo,
    String nextAttemptAt,
    String detail,
    List<AttemptJson> attempts) {

  /**
   * One attempt.
   *
   * @param number its number, from 1
   * @param at when it started
   * @param duration how long it took
   * @param upstream {@code host:port}
   * @param recipients the recipients tried
   * @param result what came of it
   * @param replyCode the upstream's final reply code, 0 without a reply
   * @param reply the upstream's final reply, or the error
   * @param refusedRecipients the recipients it did not take, with their replies
   */
  public record AttemptJson(
      int number,
      String at,
      String duration,
      String upstream,
      List<String> recipients,
      String result,
      int replyCode,
      String reply,
      List<RefusalJson> refusedRecipients) {}

  /**
   * A recipient the upstream did not take.
   *
   * @param recipient the address
   * @param code its reply code
   * @param reply its reply
   */
  public record RefusalJson(String recipient, int code, String reply) {}

  /** The JSON form of {@code r}. */
  public static ReleaseJson of(Release r) {
    List<AttemptJson> attempts = new ArrayList<>();
    for (RelayAttempt a : r.attempts()) {
      List<RefusalJson> refusals = new ArrayList<>();
      for (RelayAttempt.Refusal f : a.refusedRecipients()) {
        refusals.add(new RefusalJson(f.recipient(), f.code(), f.reply()));
      }
      attempts.add(
          new AttemptJson(
              a.number(),
              a.at().toString(),
              a.duration().toString(),
              a.upstream(),
              a.recipients(),
              TranscriptJson.lower(a.result()),
              a.replyCode(),
              a.reply(),
              refusals));
    }
    return new ReleaseJson(
        r.id(),
        r.messageId(),
        r.namespace(),
        r.recipients(),
        r.trigger(),
        r.requestedAt().toString(),
        TranscriptJson.lower(r.status()),
        r.isDone(),
        r.deliveredTo(),
        r.nextAttemptAt() == null ? null : r.nextAttemptAt().toString(),
        r.detail(),
        attempts);
  }

  /**
   * The release this JSON describes.
   *
   * @throws IllegalArgumentException if a time, a status or a result cannot be read
   */
  public Release toRelease() {
    List<RelayAttempt> list = new ArrayList<>();
    for (AttemptJson a : attempts == null ? List.<AttemptJson>of() : attempts) {
      List<RelayAttempt.Refusal> refusals = new ArrayList<>();
      for (RefusalJson f :
          a.refusedRecipients() == null ? List.<RefusalJson>of() : a.refusedRecipients()) {
        refusals.add(new RelayAttempt.Refusal(f.recipient(), f.code(), nonNull(f.reply())));
      }
      list.add(
          new RelayAttempt(
              a.number(),
              TranscriptJson.instant(a.at()),
              a.duration() == null ? Duration.ZERO : Duration.parse(a.duration()),
              nonNull(a.upstream()),
              a.recipients() == null ? List.of() : a.recipients(),
              RelayAttempt.Result.valueOf(TranscriptJson.upper(a.result())),
              a.replyCode(),
              nonNull(a.reply()),
              refusals));
    }
    return new Release(
        id,
        messageId,
        namespace,
        recipients == null ? List.of() : recipients,
        nonNull(trigger),
        TranscriptJson.instant(requestedAt),
        Release.Status.valueOf(TranscriptJson.upper(status)),
        list,
        nextAttemptAt == null ? null : TranscriptJson.instant(nextAttemptAt),
        detail);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
