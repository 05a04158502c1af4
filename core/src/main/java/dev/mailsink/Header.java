package dev.mailsink;

import java.util.Objects;

/**
 * One header field of a message, in the order it appeared.
 *
 * @param name the field name as written, e.g. {@code Subject}
 * @param value the value, unfolded and RFC 2047 decoded (left as written where it cannot be
 *     decoded)
 */
public record Header(String name, String value) {

  /** Validates the components. */
  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
