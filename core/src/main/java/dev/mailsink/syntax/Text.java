package dev.mailsink.syntax;

/** Case-insensitive substring search without allocating lower-cased copies of large bodies. */
final class Text {
  private Text() {}

  /**
   * Whether {@code haystack} contains {@code needle}, comparing characters as {@link
   * String#regionMatches(boolean, int, String, int, int)} does with {@code ignoreCase}.
   */
  static boolean containsIgnoreCase(String haystack, String needle) {
    int n = needle.length();
    if (n == 0) {
      return true;
    }
    int last = haystack.length() - n;
    if (last < 0) {
      return false;
    }
    char first = fold(needle.charAt(0));
    for (int i = 0; i <= last; i++) {
      char c = haystack.charAt(i);
      if ((c == first || fold(c) == first) && haystack.regionMatches(true, i, needle, 0, n)) {
        return true;
      }
    }
    return false;
  }

  private static char fold(char c) {
    if (c < 128) {
      return (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
    }
    return Character.toLowerCase(Character.toUpperCase(c));
  }
}
