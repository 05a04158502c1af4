package dev.mailsink.syntax;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way Mailsink reads a duration, wherever one is written: fault rules (Java and JSON), API
 * parameters ({@code timeout=5s}), command-line flags and {@code MAILSINK_*} variables, system
 * properties of the JUnit extension.
 *
 * <p>Accepted: an ISO-8601 duration ({@code PT5S}, {@code PT1M30S}, {@code P1D}; letters in any
 * case), or a whole number with one unit — {@code ms}, {@code s}, {@code m} or {@code h} — with
 * optional white space between them ({@code 500ms}, {@code 5s}, {@code 2 m}, {@code 1H}). Negative
 * durations are refused. Surrounding white space is ignored.
 */
public final class DurationSyntax {
  /** The accepted forms, as error messages and documentation state them. */
  public static final String FORMS =
      "an ISO-8601 duration (PT5S) or a number with a unit (500ms, 5s, 2m, 1h)";

  private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,15})\\s*(ms|s|m|h)");

  private DurationSyntax() {}

  /**
   * Reads a duration.
   *
   * @param name what the value is for (a field, parameter, flag or property name), used in the
   *     error message
   * @param text the duration as written
   * @return the duration; zero or positive
   * @throws IllegalArgumentException naming {@code name}, the value and the accepted forms
   */
  public static Duration parse(String name, String text) {
    Objects.requireNonNull(name, "name");
    Duration d = text == null ? null : read(text.strip());
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(
          name + " must be " + FORMS + ", was " + (text == null ? "null" : "'" + text + "'"));
    }
    return d;
  }

  /**
   * Reads a duration that must be longer than zero.
   *
   * @throws IllegalArgumentException naming {@code name}, the value and the accepted forms
   */
  public static Duration parsePositive(String name, String text) {
    Duration d = parse(name, text);
    if (d.isZero()) {
      throw new IllegalArgumentException(
          name + " must be longer than zero (" + FORMS + "), was '" + text + "'");
    }
    return d;
  }

  private static Duration read(String v) {
    Matcher m = WITH_UNIT.matcher(v.toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      if (v.regionMatches(true, 0, "P", 0, 1) || v.regionMatches(true, 0, "-P", 0, 2)) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
    } catch (ArithmeticException | DateTimeParseException e) {
      return null;
    }
    return null;
  }
}
