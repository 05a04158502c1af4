package dev.mailsink.syntax;

import dev.mailsink.CapturedMessage;
import dev.mailsink.MailAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The {@code q} query language shared by list, delete, await and the UI's search box.
 *
 * <p>A query is a list of terms separated by white space; a message matches when every term matches
 * (an empty query matches every message). Terms:
 *
 * <ul>
 *   <li>{@code from:ADDRESS} — the envelope sender (MAIL FROM) or a From header address;
 *   <li>{@code to:ADDRESS} — an envelope recipient (RCPT TO, Bcc included) or a To or Cc header
 *       address;
 *   <li>{@code cc:ADDRESS} — a Cc header address;
 *   <li>{@code subject:TEXT} — the subject contains the text;
 *   <li>{@code body:TEXT} — the plain-text or HTML body contains the text;
 *   <li>{@code has:attachment}, {@code has:html}, {@code has:text} — the message has at least one
 *       attachment (inline parts included), an HTML body, a plain-text body;
 *   <li>a bare word or a quoted phrase — the subject or a body contains it.
 * </ul>
 *
 * <p>Text comparisons are case-insensitive substring matches ({@code subject:order} finds "Your
 * Order 12"). An address matches a whole address, case-insensitively ({@code
 * to:alice@example.com}), or a glob where {@code *} stands for any run of characters and {@code ?}
 * for one ({@code to:*@example.com}). Values with spaces are quoted: {@code subject:"Your order"};
 * inside quotes {@code \"} is a quote and {@code \\} a backslash. Field names are case-insensitive.
 * A word with a colon that is not a known field (e.g. {@code re:hello}) is an error; quote it to
 * search for it.
 *
 * <p>Instances are immutable and thread-safe. Terms that need only headers are evaluated before
 * terms that need the body, so that header-only queries never parse bodies.
 */
public final class MessageQuery implements Predicate<CapturedMessage> {

  /** The field names, in the order the documentation lists them. */
  public static final List<String> FIELDS = List.of("from", "to", "cc", "subject", "body", "has");

  private static final List<String> HAS_VALUES = List.of("attachment", "html", "text");

  private static final MessageQuery ALL = new MessageQuery("", List.of());

  private final String source;
  private final List<Term> terms;

  private MessageQuery(String source, List<Term> terms) {
    this.source = source;
    List<Term> ordered = new ArrayList<>(terms);
    ordered.sort(Comparator.comparingInt(Term::cost));
    this.terms = List.copyOf(ordered);
  }

  /** Returns the query that matches every message. */
  public static MessageQuery all() {
    return ALL;
  }

  /**
   * Parses a query.
   *
   * @param q the query text; {@code null} or blank means every message
   * @throws QuerySyntaxException naming the position, the problem and the fix
   */
  public static MessageQuery parse(String q) {
    if (q == null || q.isBlank()) {
      return ALL;
    }
    return new MessageQuery(q.strip(), new Parser(q).terms());
  }

  /** Whether this query matches every message. */
  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /** The query as given, stripped. */
  public String source() {
    return source;
  }

  @Override
  public boolean test(CapturedMessage message) {
    Objects.requireNonNull(message, "message");
    for (Term t : terms) {
      if (!t.test(message)) {
        return false;
      }
    }
    return true;
  }

  /** The query in a normal form: terms in evaluation order, values quoted where needed. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Term t : terms) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(t);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------

  private interface Term extends Predicate<CapturedMessage> {
    /** Lower is cheaper; header-only terms come before terms that parse the body. */
    int cost();
  }

  private enum AddressField {
    FROM,
    TO,
    CC
  }

  private record AddressTerm(AddressField field, String value, Glob glob) implements Term {
    @Override
    public boolean test(CapturedMessage m) {
      switch (field) {
        case FROM:
          return matches(m.envelope().sender()) || any(m.from());
        case TO:
          for (String r : m.envelope().recipients()) {
            if (matches(r)) {
              return true;
            }
          }
          return any(m.to()) || any(m.cc());
        case CC:
          return any(m.cc());
        default:
          throw new AssertionError(field);
      }
    }

    private boolean matches(String address) {
      return address != null && !address.isEmpty() && glob.matches(address.strip());
    }

    private boolean any(List<MailAddress> addresses) {
      for (MailAddress a : addresses) {
        if (matches(a.address())) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int cost() {
      return 0;
    }

    @Override
    public String toString() {
      return field.name().toLowerCase(Locale.ROOT) + ":" + quoteIfNeeded(value);
    }
  }

  private record SubjectTerm(String needle) implements Term {
    @Override
    public boolean test(CapturedMessage m) {
      return Text.containsIgnoreCase(m.subject(), needle);
    }

    @Override
    public int cost() {
      return 1;
    }

    @Override
    public String toString() {
      return "subject:" + quoteIfNeeded(needle);
    }
  }

  private record BodyTerm(String needle) implements Term {
    @Override
    public boolean test(CapturedMessage m) {
      return bodyContains(m, needle);
    }

    @Override
    public int cost() {
      return 3;
    }

    @Override
    public String toString() {
      return "body:" + quoteIfNeeded(needle);
    }
  }

  private record WordTerm(String needle) implements Term {
    @Override
    public boolean test(CapturedMessage m) {
      return Text.containsIgnoreCase(m.subject(), needle) || bodyContains(m, needle);
    }

    @Override
    public int cost() {
      return 3;
    }

    @Override
    public String toString() {
      return quoteIfNeeded(needle);
    }
  }

  private record HasTerm(String what) implements Term {
    @Override
    public boolean test(CapturedMessage m) {
      switch (what) {
        case "attachment":
          return !m.attachments().isEmpty();
        case "html":
          return m.html().isPresent();
        case "text":
          return m.text().isPresent();
        default:
          throw new AssertionError(what);
      }
    }

    @Override
    public int cost() {
      return 2;
    }

    @Override
    public String toString() {
      return "has:" + what;
    }
  }

  private static boolean bodyContains(CapturedMessage m, String needle) {
    return m.text().map(t -> Text.containsIgnoreCase(t, needle)).orElse(false)
        || m.html().map(h -> Text.containsIgnoreCase(h, needle)).orElse(false);
  }

  private static String quoteIfNeeded(String value) {
    boolean plain = !value.isEmpty();
    for (int i = 0; i < value.length() && plain; i++) {
      char c = value.charAt(i);
      plain = !Character.isWhitespace(c) && c != '"' && c != ':' && c != '\\';
    }
    if (plain) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** Splits the query into terms; every error names its position. */
  private static final class Parser {
    private final String q;
    private int pos;

    Parser(String q) {
      this.q = q;
    }

    List<Term> terms() {
      List<Term> terms = new ArrayList<>();
      while (true) {
        skipSpace();
        if (pos >= q.length()) {
          return terms;
        }
        terms.add(term());
      }
    }

    private Term term() {
      int start = pos;
      if (q.charAt(pos) == '"') {
        String phrase = quoted();
        if (phrase.isEmpty()) {
          throw error(start, "empty quoted phrase at " + start + "; remove it or put text in it");
        }
        return new WordTerm(phrase);
      }
      int nameEnd = pos;
      while (nameEnd < q.length() && isAsciiLetter(q.charAt(nameEnd))) {
        nameEnd++;
      }
      if (nameEnd > pos && nameEnd < q.length() && q.charAt(nameEnd) == ':') {
        String name = q.substring(pos, nameEnd).toLowerCase(Locale.ROOT);
        if (!FIELDS.contains(name)) {
          throw error(
              start,
              "unknown field '"
                  + q.substring(pos, nameEnd)
                  + "' at "
                  + start
                  + "; known fields are "
                  + String.join(":, ", FIELDS)
                  + ": (to search for the word itself, quote it: \""
                  + bareWordAt(start)
                  + "\")");
        }
        pos = nameEnd + 1;
        int valueStart = pos;
        String value =
            pos < q.length() && q.charAt(pos) == '"' ? quoted() : (pos < q.length() ? bare() : "");
        if (value.isEmpty()) {
          throw error(valueStart, name + ": at " + start + " needs a value, e.g. " + example(name));
        }
        return fieldTerm(name, value, valueStart);
      }
      return new WordTerm(bare());
    }

    private Term fieldTerm(String name, String value, int valueStart) {
      switch (name) {
        case "from":
          return new AddressTerm(AddressField.FROM, value, Glob.ofAddress(value));
        case "to":
          return new AddressTerm(AddressField.TO, value, Glob.ofAddress(value));
        case "cc":
          return new AddressTerm(AddressField.CC, value, Glob.ofAddress(value));
        case "subject":
          return new SubjectTerm(value);
        case "body":
          return new BodyTerm(value);
        case "has":
          String what = value.toLowerCase(Locale.ROOT);
          if (!HAS_VALUES.contains(what)) {
            throw error(
                valueStart,
                "has:"
                    + value
                    + " at "
                    + (valueStart - 4)
                    + " is not known; use has:"
                    + String.join(", has:", HAS_VALUES));
          }
          return new HasTerm(what);
        default:
          throw new AssertionError(name);
      }
    }

    private static String example(String field) {
      switch (field) {
        case "from":
          return "from:shop@example.com";
        case "to":
          return "to:*@example.com";
        case "cc":
          return "cc:boss@example.com";
        case "subject":
          return "subject:\"Your order\"";
        case "body":
          return "body:unsubscribe";
        default:
          return "has:attachment";
      }
    }

    /** Reads a value up to the next white space. */
    private String bare() {
      int start = pos;
      while (pos < q.length() && !Character.isWhitespace(q.charAt(pos))) {
        pos++;
      }
      return q.substring(start, pos);
    }

    private String bareWordAt(int start) {
      int end = start;
      while (end < q.length() && !Character.isWhitespace(q.charAt(end))) {
        end++;
      }
      return q.substring(start, end).replace("\"", "\\\"");
    }

    /** Reads a quoted value starting at the opening quote; the closing quote must end the term. */
    private String quoted() {
      int open = pos;
      pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < q.length()) {
        char c = q.charAt(pos++);
        if (c == '\\' && pos < q.length() && (q.charAt(pos) == '"' || q.charAt(pos) == '\\')) {
          sb.append(q.charAt(pos++));
        } else if (c == '"') {
          if (pos < q.length() && !Character.isWhitespace(q.charAt(pos))) {
            throw error(
                pos,
                "expected a space after the closing quote at "
                    + (pos - 1)
                    + "; separate terms with spaces");
          }
          return sb.toString();
        } else {
          sb.append(c);
        }
      }
      throw error(open, "unterminated quote starting at " + open + "; close it with a matching \"");
    }

    private void skipSpace() {
      while (pos < q.length() && Character.isWhitespace(q.charAt(pos))) {
        pos++;
      }
    }

    private static boolean isAsciiLetter(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private QuerySyntaxException error(int at, String message) {
      return new QuerySyntaxException("Invalid q: " + message, at);
    }
  }
}
