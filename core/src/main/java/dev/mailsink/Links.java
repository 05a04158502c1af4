package dev.mailsink;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the links of a message: the {@code href} of every {@code <a>} in its HTML body, then every
 * {@code http(s)} URL in its text body, without duplicates, in order of appearance. Character
 * references in {@code href} values ({@code &amp;}) are decoded; sentence punctuation after a URL
 * in text is not taken as part of it.
 */
final class Links {
  private static final Pattern ANCHOR_HREF =
      Pattern.compile(
          "<a\\b[^>]*?\\bhref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern TEXT_URL =
      Pattern.compile("\\bhttps?://[^\\s<>\"]+", Pattern.CASE_INSENSITIVE);
  private static final Pattern CHARACTER_REFERENCE =
      Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|amp|lt|gt|quot|apos);");

  private Links() {}

  static List<String> of(String html, String text) {
    Set<String> links = new LinkedHashSet<>();
    if (html != null) {
      linksInHtml(html, links);
    }
    if (text != null) {
      linksInText(text, links);
    }
    return List.copyOf(links);
  }

  private static void linksInHtml(String html, Set<String> links) {
    Matcher m = ANCHOR_HREF.matcher(html);
    while (m.find()) {
      String raw = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String href = decodeCharacterReferences(raw).strip();
      if (!href.isEmpty() && !href.startsWith("#")) {
        links.add(href);
      }
    }
  }

  private static void linksInText(String text, Set<String> links) {
    Matcher m = TEXT_URL.matcher(text);
    while (m.find()) {
      links.add(trimTrailingPunctuation(m.group()));
    }
  }

  private static String trimTrailingPunctuation(String url) {
    int end = url.length();
    while (end > 0) {
      char c = url.charAt(end - 1);
      boolean unbalancedClose =
          (c == ')' && count(url, '(', end) < count(url, ')', end))
              || (c == ']' && count(url, '[', end) < count(url, ']', end));
      if (".,;:!?'".indexOf(c) >= 0 || unbalancedClose) {
        end--;
      } else {
        break;
      }
    }
    return url.substring(0, end);
  }

  private static int count(String s, char c, int end) {
    int n = 0;
    for (int i = 0; i < end; i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  private static String decodeCharacterReferences(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = CHARACTER_REFERENCE.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String ref = m.group(1);
      String replacement =
          switch (ref) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> codePoint(ref);
          };
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String codePoint(String numericReference) {
    boolean hex = numericReference.length() > 1 && (numericReference.charAt(1) | 0x20) == 'x';
    String digits = numericReference.substring(hex ? 2 : 1);
    try {
      int cp = Integer.parseInt(digits, hex ? 16 : 10);
      return Character.isValidCodePoint(cp)
          ? new String(Character.toChars(cp))
          : "&" + numericReference + ";";
    } catch (NumberFormatException e) {
      return "&" + numericReference + ";";
    }
  }
}
