package dev.mailsink.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * What a fault rule does when it fires. Actions are immutable records; the same model is used by
 * the Java builder, the JSON API and start-up configuration.
 */
public sealed interface FaultAction {

  /**
   * Answer with an error instead of going on: {@code code} 400–599 and a text that starts with an
   * enhanced status code (one is added when missing). A 421 closes the connection afterwards, as
   * RFC 5321 says. With a {@code delay}, the reply waits that long first.
   *
   * @param code the SMTP reply code, 400–599
   * @param text the reply text, e.g. {@code 5.1.1 Mailbox unavailable}; printable ASCII, one line
   * @param delay how long to wait before replying; {@link Duration#ZERO} for none
   */
  record Reply(int code, String text, Duration delay) implements FaultAction {
    /** Validates the reply. */
    public Reply {
      if (code < 400 || code > 599) {
        throw new IllegalArgumentException("reply code must be 400-599 (an error), was " + code);
      }
      Objects.requireNonNull(text, "text");
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException(
              "reply text must be one line of printable ASCII, found character "
                  + (int) c
                  + " in: "
                  + text);
        }
      }
      delay = delay == null ? Duration.ZERO : delay;
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, was " + delay);
      }
    }

    /** A reply without delay. */
    public static Reply of(int code, String text) {
      return new Reply(code, text, Duration.ZERO);
    }
  }

  /**
   * Wait, then go on as if nothing happened. The wait ends early, and the connection closes, when
   * the server closes.
   *
   * @param duration how long to wait
   */
  record Delay(Duration duration) implements FaultAction {
    /** Validates the duration. */
    public Delay {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("duration must not be negative, was " + duration);
      }
    }
  }

  /**
   * Close the connection abruptly (TCP reset) without a reply. At DATA the 354 is sent and the
   * connection is cut while the message is being transferred.
   */
  record Disconnect() implements FaultAction {}

  /** Never answer: the session hangs until the client gives up or the server closes. */
  record Stall() implements FaultAction {}

  /**
   * Throttle the rest of the session to this many bytes per second in each direction.
   *
   * @param bytesPerSecond the rate, at least 1
   */
  record SlowLink(long bytesPerSecond) implements FaultAction {
    /** Validates the rate. */
    public SlowLink {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("bytesPerSecond must be >= 1, was " + bytesPerSecond);
      }
    }
  }

  /**
   * Greylisting: answer {@code 451 4.7.1} to the first attempt of each sender / recipient / client
   * address triplet, and to retries sooner than {@code retryAfter}; accept later retries.
   *
   * @param retryAfter the least time between the first attempt and an accepted retry
   */
  record Greylist(Duration retryAfter) implements FaultAction {
    /** Validates the interval. */
    public Greylist {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
      }
    }
  }

  /**
   * Rate limiting: beyond {@code messages} events per sliding window {@code per}, answer {@code
   * code} (421 closes the connection; 451 or 452 does not). Counted per client address or for all
   * clients together.
   *
   * @param messages how many events pass per window, at least 1
   * @param per the window
   * @param code the reply beyond the limit: 421, 450, 451 or 452
   * @param perClient whether each client address has its own count
   */
  record RateLimit(int messages, Duration per, int code, boolean perClient) implements FaultAction {
    /** Validates the limit. */
    public RateLimit {
      if (messages < 1) {
        throw new IllegalArgumentException("messages must be >= 1, was " + messages);
      }
      Objects.requireNonNull(per, "per");
      if (per.isNegative() || per.isZero()) {
        throw new IllegalArgumentException("per must be positive, was " + per);
      }
      if (code != 421 && code != 450 && code != 451 && code != 452) {
        throw new IllegalArgumentException(
            "rate limit code must be 421, 450, 451 or 452, was " + code);
      }
    }
  }

  /** At STARTTLS: answer 220, then break the handshake so the client's TLS setup fails. */
  record TlsFailure() implements FaultAction {}
}
