package dev.mailsink.internal.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The argument of MAIL FROM: or RCPT TO:, a path in angle brackets followed by parameters. */
record PathAndParameters(String address, List<Parameter> parameters) {

  record Parameter(String key, String value) {}

  /** Parses {@code <address> KEY=VALUE ...}; a bare address without brackets is tolerated. */
  static PathAndParameters parse(String text) {
    String s = text.strip();
    String address;
    String rest;
    if (s.startsWith("<")) {
      int close = closingBracket(s);
      if (close < 0) {
        return null;
      }
      address = s.substring(1, close);
      rest = s.substring(close + 1);
    } else {
      int space = s.indexOf(' ');
      address = space < 0 ? s : s.substring(0, space);
      rest = space < 0 ? "" : s.substring(space);
    }
    // a source route (<@relay1,@relay2:user@host>) is obsolete; keep the mailbox
    if (address.startsWith("@")) {
      int colon = address.indexOf(':');
      if (colon < 0) {
        return null;
      }
      address = address.substring(colon + 1);
    }
    return new PathAndParameters(address, parameters(rest));
  }

  // by hand rather than split("\\s+"), which compiles a pattern on every MAIL and RCPT
  private static List<Parameter> parameters(String text) {
    String rest = text.strip();
    List<Parameter> parameters = null;
    int i = 0;
    int n = rest.length();
    while (true) {
      while (i < n && isRegexSpace(rest.charAt(i))) {
        i++;
      }
      if (i == n) {
        return parameters == null ? List.of() : List.copyOf(parameters);
      }
      int start = i;
      int eq = -1;
      while (i < n && !isRegexSpace(rest.charAt(i))) {
        if (eq < 0 && rest.charAt(i) == '=') {
          eq = i;
        }
        i++;
      }
      String key = rest.substring(start, eq < 0 ? i : eq).toUpperCase(Locale.ROOT);
      if (parameters == null) {
        parameters = new ArrayList<>(2);
      }
      parameters.add(new Parameter(key, eq < 0 ? null : rest.substring(eq + 1, i)));
    }
  }

  /** The characters of the regex class {@code \s}. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  private static int closingBracket(String s) {
    boolean quoted = false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '>' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A catch-all server accepts any address it can store, but not an empty recipient or one with
   * spaces or control characters, which no mailbox can have outside quotes.
   */
  boolean isValidAddress(boolean emptyAllowed) {
    if (address.isEmpty()) {
      return emptyAllowed;
    }
    boolean quoted = false;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c <= ' ' || c == 0x7f || c == '<' || c == '>')) {
        return false;
      }
    }
    return !quoted;
  }
}
