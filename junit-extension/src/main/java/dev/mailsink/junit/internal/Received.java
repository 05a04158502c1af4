package dev.mailsink.junit.internal;

import dev.mailsink.CapturedMessage;
import java.util.List;
import java.util.Locale;

/** Text for failure messages: the messages received, one line each. Not API. */
public final class Received {
  private static final int MAX_LISTED = 20;
  private static final int MAX_EXCERPT = 300;

  private Received() {}

  /**
   * Lists the messages, e.g. {@code "Received 1 message:\n #1 2025-... from=<a@x> to=[<b@y>]
   * subject=\"Hi\""}, or {@code "Received no messages."}.
   */
  public static String list(List<CapturedMessage> messages) {
    if (messages.isEmpty()) {
      return "Received no messages.";
    }
    StringBuilder sb = new StringBuilder("Received ").append(count(messages.size())).append(':');
    int shown = 0;
    for (CapturedMessage m : messages) {
      if (shown++ == MAX_LISTED) {
        sb.append("\n  ... and ").append(messages.size() - MAX_LISTED).append(" more");
        break;
      }
      sb.append("\n  ").append(m.summary());
    }
    return sb.toString();
  }

  /** {@code "1 message"}, {@code "2 messages"}. */
  public static String count(int n) {
    return n + (n == 1 ? " message" : " messages");
  }

  /** Quotes a text, escaping line breaks and shortening it to a few hundred characters. */
  public static String excerpt(String text) {
    String shortened = text.length() > MAX_EXCERPT ? text.substring(0, MAX_EXCERPT) : text;
    String escaped =
        shortened
            .replace("\\", "\\\\")
            .replace("\r", "\\r")
            .replace("\n", "\\n")
            .replace("\t", "\\t")
            .replace("\"", "\\\"");
    return "\""
        + escaped
        + "\""
        + (text.length() > MAX_EXCERPT
            ? String.format(Locale.ROOT, "... (%d characters)", text.length())
            : "");
  }
}
