package dev.mailsink.internal.pop3;

import java.util.List;
import java.util.Locale;

/**
 * One POP3 command line, parsed strictly (RFC 1939 section 3): a keyword of 3 or 4 letters, then
 * arguments separated by single spaces, each at most 40 printable characters; no control
 * characters. Keywords are case-insensitive and returned upper-case.
 *
 * @param keyword the upper-case keyword, e.g. {@code RETR}
 * @param args the arguments, possibly empty
 */
record Pop3Command(String keyword, List<String> args) {
  static final int MAX_ARGUMENT = 40;

  /** A line that is not a well-formed command. */
  static final class SyntaxException extends Exception {
    SyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses a line without its CRLF.
   *
   * @throws SyntaxException saying what is wrong, for the {@code -ERR} reply
   */
  static Pop3Command parse(String line) throws SyntaxException {
    if (line.isEmpty()) {
      throw new SyntaxException("empty command line");
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new SyntaxException("command line holds a control or non-ASCII character");
      }
    }
    int space = line.indexOf(' ');
    if (space > 0 && line.substring(0, space).equalsIgnoreCase("PASS")) {
      // RFC 1939 section 7: a password may hold spaces, so the rest of the line is the argument
      String rest = line.substring(space + 1);
      if (rest.isEmpty()) {
        throw new SyntaxException("PASS needs a password");
      }
      return new Pop3Command("PASS", List.of(rest));
    }
    String[] parts = line.split(" ", -1);
    String keyword = parts[0];
    if (keyword.length() < 3
        || keyword.length() > 4
        || !keyword.chars().allMatch(Pop3Command::isAlpha)) {
      throw new SyntaxException("a command keyword is 3 or 4 letters, was '" + keyword + "'");
    }
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].isEmpty()) {
        throw new SyntaxException("arguments are separated by single spaces");
      }
      if (parts[i].length() > MAX_ARGUMENT && !keyword.equalsIgnoreCase("AUTH")) {
        throw new SyntaxException("an argument is at most " + MAX_ARGUMENT + " characters");
      }
    }
    return new Pop3Command(
        keyword.toUpperCase(Locale.ROOT), List.of(parts).subList(1, parts.length));
  }

  private static boolean isAlpha(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /**
   * Parses a message number argument (1-based, decimal, no sign).
   *
   * @throws SyntaxException when it is not a positive decimal number
   */
  static int number(String arg, String what) throws SyntaxException {
    if (arg.isEmpty() || arg.length() > 9 || !arg.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new SyntaxException(what + " must be a decimal number, was '" + arg + "'");
    }
    return Integer.parseInt(arg);
  }
}
