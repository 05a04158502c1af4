package dev.mailsink;

import java.util.Locale;

/** Comparison of mailbox addresses as SMTP sees them. */
final class Addresses {
  private Addresses() {}

  /**
   * Compares two addresses: domains without regard to case (DNS names are case-insensitive), local
   * parts also without regard to case, because virtually every real server treats them so and a
   * test that differs only in case almost always means the same person.
   */
  static boolean sameMailbox(String a, String b) {
    return a.equalsIgnoreCase(b) || normalize(a).equals(normalize(b));
  }

  static String normalize(String address) {
    return address.trim().toLowerCase(Locale.ROOT);
  }
}
