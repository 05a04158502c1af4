package dev.mailsink.junit.internal;

import dev.mailsink.syntax.DurationSyntax;
import java.time.Duration;

/** Reads durations from system properties, in {@link DurationSyntax}. Not API. */
public final class Durations {
  private Durations() {}

  /**
   * Returns the duration in the system property {@code name}, or {@code fallback} when it is not
   * set.
   *
   * @throws IllegalArgumentException if the property is set but is not a duration
   */
  public static Duration fromSystemProperty(String name, Duration fallback) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return DurationSyntax.parse("System property " + name, value);
  }
}
