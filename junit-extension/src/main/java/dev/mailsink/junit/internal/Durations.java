package dev.mailsink.junit.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written as ISO-8601 ({@code PT5S}) or with a unit ({@code 5s}). Not API. */
public final class Durations {
  private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private Durations() {}

  /**
   * Returns the duration in the system property {@code name}, or {@code fallback} when it is not
   * set.
   *
   * @throws IllegalArgumentException if the property is set but is not a non-negative duration
   */
  public static Duration fromSystemProperty(String name, Duration fallback) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    Duration parsed = parse(value.strip());
    if (parsed == null || parsed.isNegative()) {
      throw new IllegalArgumentException(
          "System property "
              + name
              + " must be a duration such as 10s, 500ms or PT10S, was '"
              + value
              + "'");
    }
    return parsed;
  }

  private static Duration parse(String value) {
    Matcher m = WITH_UNIT.matcher(value.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        return null;
      }
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
