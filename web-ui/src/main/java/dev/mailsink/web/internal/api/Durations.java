package dev.mailsink.web.internal.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations the API accepts: ISO-8601 ({@code PT5S}) or a number with a unit. */
final class Durations {
  private Durations() {}

  private static final Pattern WITH_UNIT =
      Pattern.compile("(\\d{1,12})(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

  /**
   * Parses {@code PT5S}, {@code 5s}, {@code 500ms}, {@code 2m} or {@code 1h}.
   *
   * @throws IllegalArgumentException naming the parameter, the value and the accepted forms
   */
  static Duration parse(String parameter, String value) {
    String v = value.strip();
    if (v.regionMatches(true, 0, "P", 0, 1)) {
      try {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(parameter, value);
      }
    }
    Matcher m = WITH_UNIT.matcher(v);
    if (!m.matches()) {
      throw invalid(parameter, value);
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      default:
        return Duration.ofHours(amount);
    }
  }

  private static IllegalArgumentException invalid(String parameter, String value) {
    return new IllegalArgumentException(
        parameter
            + " must be an ISO-8601 duration (PT5S) or a number with a unit (500ms, 5s, 2m, 1h),"
            + " was '"
            + value
            + "'");
  }
}
