package dev.mailsink;

import java.util.Objects;

/**
 * A mailbox named in a header such as From or To.
 *
 * @param address the address, e.g. {@code alice@example.com}
 * @param name the display name, RFC 2047 decoded, or the empty string when the header gives none
 */
public record MailAddress(String address, String name) {

  /** Validates the components. */
  public MailAddress {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(name, "name");
  }

  /** Formats the mailbox as {@code "Name" <address>}, or just the address when unnamed. */
  @Override
  public String toString() {
    return name.isEmpty() ? address : "\"" + name + "\" <" + address + ">";
  }
}
