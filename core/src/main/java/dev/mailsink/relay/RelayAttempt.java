package dev.mailsink.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One attempt to hand a released message to the upstream server, with what the upstream answered.
 *
 * @param number the attempt's number within its release, from 1
 * @param at when the attempt started
 * @param duration how long it took, connection and TLS included
 * @param upstream the server tried, as {@code host:port}
 * @param recipients the recipients tried in this attempt
 * @param result what came of it
 * @param replyCode the upstream's final reply code (e.g. 250 after the message, 535 for a refused
 *     AUTH, 451 for a greylisted recipient), or 0 when no reply was had (connection failure)
 * @param reply the upstream's final reply as it sent it, e.g. {@code 250 2.0.0 Ok: queued as 17},
 *     or a description of the error when there was no reply
 * @param refusedRecipients the recipients the upstream did not take, each with its reply
 */
public record RelayAttempt(
    int number,
    Instant at,
    Duration duration,
    String upstream,
    List<String> recipients,
    Result result,
    int replyCode,
    String reply,
    List<Refusal> refusedRecipients) {

  /** What came of an attempt. */
  public enum Result {
    /** The upstream accepted the message for every recipient tried. */
    DELIVERED,
    /** The upstream accepted the message for some recipients and refused or deferred others. */
    PARTIALLY_DELIVERED,
    /** The upstream answered 4xx (try again later); retried if the retry policy allows. */
    DEFERRED,
    /** The upstream answered 5xx; final. */
    REFUSED,
    /** No SMTP reply: the upstream could not be reached or the connection broke; retried. */
    CONNECTION_FAILED,
    /**
     * The relay could not go on for another reason (e.g. STARTTLS required but not offered, an
     * untrusted certificate, no common AUTH mechanism); final.
     */
    ERROR
  }

  /**
   * A recipient the upstream did not take.
   *
   * @param recipient the address
   * @param code the reply code to its RCPT TO (or to the message), e.g. 550
   * @param reply the reply as the upstream sent it
   */
  public record Refusal(String recipient, int code, String reply) {
    /** Validates the components. */
    public Refusal {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(reply, "reply");
    }

    /** Whether the refusal is temporary (4xx, or no reply at all): the recipient may be retried. */
    public boolean isTemporary() {
      return code < 500;
    }
  }

  /** Validates and copies the components. */
  public RelayAttempt {
    if (number < 1) {
      throw new IllegalArgumentException("number must be >= 1, was " + number);
    }
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(upstream, "upstream");
    recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(reply, "reply");
    refusedRecipients = List.copyOf(Objects.requireNonNull(refusedRecipients, "refusedRecipients"));
  }

  /** The recipients the upstream accepted the message for in this attempt. */
  public List<String> deliveredTo() {
    if (result != Result.DELIVERED && result != Result.PARTIALLY_DELIVERED) {
      return List.of();
    }
    return recipients.stream()
        .filter(r -> refusedRecipients.stream().noneMatch(f -> f.recipient().equals(r)))
        .toList();
  }

  /** One line: {@code #2 smtp.example.com:587 [b@y.test] DEFERRED 451 4.7.1 Greylisted}. */
  public String summary() {
    return "#" + number + " " + at + " " + upstream + " " + recipients + " " + result + " " + reply;
  }
}
