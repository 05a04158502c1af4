package dev.mailsink.server;

import dev.mailsink.syntax.DurationSyntax;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value types of the command line and their parsers. Each parser throws {@link
 * TypeConversionException} with a message that shows the accepted form, which picocli prints after
 * the flag's name.
 */
final class FlagValues {
  private FlagValues() {}

  /** A user name and password, e.g. from {@code --users app:s3cret}. */
  record Credentials(String user, String password) {
    @Override
    public String toString() {
      return user + ":***";
    }
  }

  /** The STARTTLS and AUTH modes as written on the command line. */
  enum Mode {
    OFF,
    OPTIONAL,
    REQUIRED;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The CPU scheduling policies of {@code --cpu-scheduling}. */
  enum CpuScheduling {
    /** Linux's {@code SCHED_BATCH}: see {@link BatchScheduling}. */
    BATCH,
    /** The operating system's default. */
    NORMAL;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The levels of {@code --log-level}, as slf4j-simple names them. */
  enum LogLevel {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A TCP port, 0 to 65535, where 0 asks for a free port. */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parsePort(value);
    }
  }

  /** A TCP port that may also be {@code off}: {@code null} means off. */
  static final class OptionalPort implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.isBlank() || value.strip().equalsIgnoreCase("off")) {
        return null;
      }
      return parsePort(value);
    }
  }

  static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value.strip());
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new TypeConversionException(
        "'" + value + "' is not a port; use a number from 1 to 65535, or 0 for a free port");
  }

  /** A positive whole number. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.strip().replace("_", ""));
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
      throw new TypeConversionException(
          "'" + value + "' is not a positive whole number (e.g. 1000)");
    }
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([kmgKMG])(?:i?[bB])?|[bB])?");

  /** A size in bytes: a number with an optional binary unit, e.g. {@code 25MB} or {@code 512k}. */
  static final class ByteSize implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parseByteSize(value);
    }
  }

  static long parseByteSize(String value) {
    Matcher m = SIZE.matcher(value.strip().replace("_", ""));
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        int shift =
            m.group(2) == null
                ? 0
                : switch (Character.toLowerCase(m.group(2).charAt(0))) {
                  case 'k' -> 10;
                  case 'm' -> 20;
                  default -> 30;
                };
        if (n > 0 && n <= (Long.MAX_VALUE >> shift)) {
          return n << shift;
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
    }
    throw new TypeConversionException(
        "'"
            + value
            + "' is not a size; use bytes or a number with a unit: 512k, 25MB, 1GB"
            + " (binary units: 1MB = 1048576 bytes)");
  }

  /** A duration longer than zero, in {@link DurationSyntax} ({@code 500ms}, {@code PT30S}). */
  static final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return DurationSyntax.parsePositive("duration", value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a positive duration; use e.g. 500ms, 30s, 5m, 1h or PT30S");
      }
    }
  }

  /** An IP address or host name to bind to, resolved now so that a typo fails at once. */
  static final class BindAddress implements ITypeConverter<InetAddress> {
    @Override
    public InetAddress convert(String value) {
      String v = value.strip();
      if (!v.isEmpty()) {
        try {
          return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
          // fall through to the message below
        }
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not an address of this machine; use 127.0.0.1 (this machine only),"
              + " 0.0.0.0 (every interface) or another local IP address");
    }
  }

  /** A host name for the SMTP greeting: letters, digits, dots and dashes. */
  static final class HostName implements ITypeConverter<String> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    @Override
    public String convert(String value) {
      String v = value.strip();
      if (NAME.matcher(v).matches() && v.length() <= 253) {
        return v;
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a host name; use letters, digits, dots and dashes (e.g. mail.test)");
    }
  }

  /** A {@code user:password} pair. */
  static final class SingleCredentials implements ITypeConverter<Credentials> {
    @Override
    public Credentials convert(String value) {
      return parseCredentials(value);
    }
  }

  static Credentials parseCredentials(String pair) {
    String p = pair.strip();
    int colon = p.indexOf(':');
    if (colon > 0 && colon < p.length() - 1) {
      return new Credentials(p.substring(0, colon), p.substring(colon + 1));
    }
    throw new TypeConversionException(
        "'"
            + mask(pair)
            + "' is not user:password; use e.g. app:s3cret (several: app:s3cret,bob:hunter2;"
            + " a user has no ':' or ',', a password no ',')");
  }

  /** Shows a credentials value without its passwords, for error messages. */
  static String mask(String credentials) {
    return credentials.replaceAll(":[^,]*", ":***");
  }
}
