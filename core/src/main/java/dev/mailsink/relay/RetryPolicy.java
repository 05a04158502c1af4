package dev.mailsink.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a release is tried when the upstream answers 4xx (try again later) or cannot be
 * reached: at most {@code maxAttempts} attempts in all, waiting {@code initialBackoff} after the
 * first failure and {@code multiplier} times longer after each next one, up to {@code maxBackoff}.
 * A 5xx answer is final and never retried.
 *
 * @param maxAttempts attempts in all, at least 1 (1 = no retry)
 * @param initialBackoff the wait after the first failed attempt
 * @param multiplier how much longer each next wait is, at least 1
 * @param maxBackoff the longest wait
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

  /** Validates the policy. */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "maxAttempts must be >= 1 (1 = no retry), was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "initialBackoff must not be negative, was " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be >= initialBackoff (" + initialBackoff + "), was " + maxBackoff);
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
    }
  }

  /** The default: 4 attempts, waiting 10 s, 20 s and 40 s in between. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofSeconds(10), 2, Duration.ofMinutes(10));
  }

  /** One attempt, no retry. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO);
  }

  /** {@code maxAttempts} attempts, the waits doubling from {@code initialBackoff}, up to 10 min. */
  public static RetryPolicy of(int maxAttempts, Duration initialBackoff) {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Duration max = Duration.ofMinutes(10);
    return new RetryPolicy(
        maxAttempts, initialBackoff, 2, initialBackoff.compareTo(max) > 0 ? initialBackoff : max);
  }

  /** How long to wait after the {@code failedAttempts}-th failed attempt (from 1). */
  public Duration backoffAfter(int failedAttempts) {
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
    long capped = (long) Math.min(nanos, (double) maxBackoff.toNanos());
    return Duration.ofNanos(capped);
  }
}
