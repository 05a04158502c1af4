package dev.mailsink.syntax;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A case-insensitive wildcard pattern, as used by fault-rule matches, the {@code q} language's
 * address terms and recipient allow lists: {@code *} stands for any run of characters (also none),
 * {@code ?} for exactly one; every other character stands for itself. A pattern without wildcards
 * matches the whole value only, ignoring case ({@code Bob@Example.com} matches {@code
 * bob@example.com}).
 *
 * <pre>{@code
 * Glob.of("*@example.com").matches("alice@EXAMPLE.com")   // true
 * Glob.of("bob@example.com").matches("bob@example.com.evil") // false
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Glob {
  private final String source;
  // null when the pattern has no wildcard: a plain case-insensitive comparison is enough
  private final Pattern pattern;

  private Glob(String source, Pattern pattern) {
    this.source = source;
    this.pattern = pattern;
  }

  /**
   * Compiles a pattern.
   *
   * @throws NullPointerException if {@code glob} is null
   */
  public static Glob of(String glob) {
    Objects.requireNonNull(glob, "glob");
    if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
      return new Glob(glob, null);
    }
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return new Glob(
        glob,
        Pattern.compile(
            regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL));
  }

  /**
   * An address pattern as users write it: {@link #of} after removing one pair of angle brackets
   * around the whole pattern ({@code <bob@example.com>}) and surrounding white space.
   */
  public static Glob ofAddress(String pattern) {
    String p = Objects.requireNonNull(pattern, "pattern").strip();
    if (p.length() > 1 && p.startsWith("<") && p.endsWith(">")) {
      p = p.substring(1, p.length() - 1);
    }
    return of(p);
  }

  /** Whether the whole of {@code value} matches; {@code null} never matches. */
  public boolean matches(String value) {
    if (value == null) {
      return false;
    }
    return pattern == null ? value.equalsIgnoreCase(source) : pattern.matcher(value).matches();
  }

  /** Whether the pattern has a wildcard, i.e. may match more than one value. */
  public boolean hasWildcard() {
    return pattern != null;
  }

  /** The pattern as given. */
  @Override
  public String toString() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Glob g && g.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }
}
