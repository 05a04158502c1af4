package dev.mailsink.internal.imap;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one strict parser of IMAP commands (RFC 3501 section 9): reads one complete command, as
 * framed by {@link CommandReader} (literals inline, final CRLF removed), from left to right. Every
 * method either consumes what it names or throws {@link ImapSyntaxException}.
 */
final class ImapParser {
  private static final DateTimeFormatter SEARCH_DATE =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("d-MMM-yyyy")
          .toFormatter(Locale.US);
  private static final Set<String> FLAGS =
      Set.of("\\SEEN", "\\ANSWERED", "\\FLAGGED", "\\DELETED", "\\DRAFT");

  private final byte[] buf;
  private int pos;

  ImapParser(byte[] command) {
    this.buf = command;
  }

  static ImapParser of(String command) {
    return new ImapParser(command.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- low level

  boolean atEnd() {
    return pos >= buf.length;
  }

  private int peek() {
    return pos < buf.length ? buf[pos] & 0xff : -1;
  }

  boolean peekIs(char c) {
    return peek() == c;
  }

  /** Consumes {@code c} if it is next. */
  boolean accept(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  void expect(char c) throws ImapSyntaxException {
    if (!accept(c)) {
      throw new ImapSyntaxException(
          "Expected " + describe(c) + " at offset " + pos + " but found " + found());
    }
  }

  void sp() throws ImapSyntaxException {
    expect(' ');
  }

  /** Requires the end of the command: nothing may follow. */
  void end() throws ImapSyntaxException {
    if (!atEnd()) {
      throw new ImapSyntaxException("Unexpected " + found() + " at offset " + pos);
    }
  }

  private String found() {
    if (atEnd()) {
      return "end of command";
    }
    int c = peek();
    return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
  }

  private static String describe(char c) {
    return c == ' ' ? "a space" : "'" + c + "'";
  }

  private static boolean isAtomChar(int c) {
    return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*'
        && c != '"' && c != '\\' && c != ']';
  }

  // ---------------------------------------------------------------- tokens

  /** A tag: ASTRING-CHARs except '+'. */
  String tag() throws ImapSyntaxException {
    int start = pos;
    while (!atEnd() && (isAtomChar(peek()) || peek() == ']') && peek() != '+') {
      pos++;
    }
    if (pos == start) {
      throw new ImapSyntaxException("Missing or invalid tag");
    }
    return ascii(start, pos);
  }

  /** An atom, e.g. a command name; returned as written. */
  String atom() throws ImapSyntaxException {
    int start = pos;
    while (!atEnd() && isAtomChar(peek())) {
      pos++;
    }
    if (pos == start) {
      throw new ImapSyntaxException(
          "Expected an atom at offset " + start + " but found " + found());
    }
    return ascii(start, pos);
  }

  /**
   * Consumes {@code word} (any case) when it is the next atom, followed by a space or the end;
   * otherwise consumes nothing.
   */
  boolean acceptKeyword(String word) {
    int end = pos + word.length();
    if (end > buf.length || (end < buf.length && buf[end] != ' ')) {
      return false;
    }
    if (!ascii(pos, end).equalsIgnoreCase(word)) {
      return false;
    }
    pos = end;
    return true;
  }

  /** Skips everything up to the end of the command (arguments a command ignores). */
  void skipRest() {
    pos = buf.length;
  }

  /** An atom compared without regard to case: returned upper case. */
  String keyword() throws ImapSyntaxException {
    return atom().toUpperCase(Locale.ROOT);
  }

  /** An astring: atom (with ']' allowed), quoted string or literal. */
  String astring() throws ImapSyntaxException {
    int c = peek();
    if (c == '"' || c == '{') {
      return string();
    }
    int start = pos;
    while (!atEnd() && (isAtomChar(peek()) || peek() == ']')) {
      pos++;
    }
    if (pos == start) {
      throw new ImapSyntaxException(
          "Expected a string at offset " + start + " but found " + found());
    }
    return ascii(start, pos);
  }

  /** A quoted string or a literal. */
  String string() throws ImapSyntaxException {
    if (peek() == '"') {
      return quoted();
    }
    if (peek() == '{') {
      return new String(literal(), StandardCharsets.UTF_8);
    }
    throw new ImapSyntaxException("Expected a quoted string or a literal at offset " + pos);
  }

  private String quoted() throws ImapSyntaxException {
    expect('"');
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (true) {
      int c = peek();
      if (c < 0) {
        throw new ImapSyntaxException("Unterminated quoted string");
      }
      pos++;
      if (c == '"') {
        return out.toString(StandardCharsets.UTF_8);
      }
      if (c == '\\') {
        int e = peek();
        if (e != '"' && e != '\\') {
          throw new ImapSyntaxException("Only \\\" and \\\\ may be escaped in a quoted string");
        }
        pos++;
        out.write(e);
      } else if (c == '\r' || c == '\n' || c == 0) {
        throw new ImapSyntaxException("CR, LF and NUL are not allowed in a quoted string");
      } else {
        out.write(c);
      }
    }
  }

  /** A literal {@code {n}CRLF} or {@code {n+}CRLF} followed by n octets. */
  byte[] literal() throws ImapSyntaxException {
    expect('{');
    long n = number();
    accept('+');
    expect('}');
    if (!(accept('\r') && accept('\n'))) {
      throw new ImapSyntaxException("A literal's size must be followed by CRLF");
    }
    if (n > buf.length - pos) {
      throw new ImapSyntaxException("Literal shorter than announced");
    }
    byte[] data = java.util.Arrays.copyOfRange(buf, pos, pos + (int) n);
    pos += (int) n;
    return data;
  }

  /** A number (unsigned 32-bit). */
  long number() throws ImapSyntaxException {
    int start = pos;
    long n = 0;
    while (!atEnd() && peek() >= '0' && peek() <= '9') {
      n = n * 10 + (peek() - '0');
      if (n > 0xffffffffL) {
        throw new ImapSyntaxException("Number too large at offset " + start);
      }
      pos++;
    }
    if (pos == start) {
      throw new ImapSyntaxException(
          "Expected a number at offset " + start + " but found " + found());
    }
    return n;
  }

  long nzNumber() throws ImapSyntaxException {
    int start = pos;
    long n = number();
    if (n == 0) {
      throw new ImapSyntaxException("Zero is not allowed at offset " + start);
    }
    return n;
  }

  /** A sequence set: {@code 1}, {@code 2:4}, {@code *}, {@code 5:*}, comma separated. */
  SequenceSet sequenceSet() throws ImapSyntaxException {
    List<SequenceSet.Range> ranges = new ArrayList<>();
    do {
      long from = seqNumber();
      long to = accept(':') ? seqNumber() : from;
      ranges.add(new SequenceSet.Range(from, to));
    } while (accept(','));
    return new SequenceSet(ranges);
  }

  private long seqNumber() throws ImapSyntaxException {
    return accept('*') ? SequenceSet.STAR : nzNumber();
  }

  private boolean atSequenceSet() {
    int c = peek();
    return c == '*' || (c >= '1' && c <= '9');
  }

  /** A mailbox name; INBOX in any case is returned as "INBOX". */
  String mailbox() throws ImapSyntaxException {
    String name = astring();
    return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
  }

  /** A LIST pattern: astring or list-wildcards. */
  String listMailbox() throws ImapSyntaxException {
    int c = peek();
    if (c == '"' || c == '{') {
      return string();
    }
    int start = pos;
    while (!atEnd() && (isAtomChar(peek()) || peek() == ']' || peek() == '%' || peek() == '*')) {
      pos++;
    }
    if (pos == start) {
      throw new ImapSyntaxException("Expected a mailbox pattern at offset " + start);
    }
    return ascii(start, pos);
  }

  /** A parenthesised list of system flags, e.g. {@code (\Seen \Deleted)}, or one bare flag. */
  List<String> flagList() throws ImapSyntaxException {
    List<String> flags = new ArrayList<>();
    if (accept('(')) {
      if (!accept(')')) {
        do {
          flags.add(flag());
        } while (accept(' '));
        expect(')');
      }
    } else {
      do {
        flags.add(flag());
      } while (accept(' '));
    }
    return flags;
  }

  private String flag() throws ImapSyntaxException {
    if (accept('\\')) {
      String name = "\\" + atom();
      String upper = name.toUpperCase(Locale.ROOT);
      if (upper.equals("\\RECENT")) {
        throw new ImapSyntaxException("\\Recent cannot be stored");
      }
      if (!FLAGS.contains(upper)) {
        throw new ImapSyntaxException("Unknown system flag " + name);
      }
      return upper;
    }
    return atom(); // a keyword; accepted and ignored (PERMANENTFLAGS has no \*)
  }

  // ---------------------------------------------------------------- FETCH

  /** The FETCH items: a macro (ALL, FAST, FULL), one item or a parenthesised list. */
  List<FetchItem> fetchItems() throws ImapSyntaxException {
    List<FetchItem> items = new ArrayList<>();
    if (accept('(')) {
      do {
        items.add(fetchItem());
      } while (accept(' '));
      expect(')');
      return items;
    }
    int mark = pos;
    String word = keyword();
    switch (word) {
      case "ALL" -> {
        return List.of(
            FetchItem.Simple.FLAGS,
            FetchItem.Simple.INTERNALDATE,
            FetchItem.Simple.RFC822_SIZE,
            FetchItem.Simple.ENVELOPE);
      }
      case "FAST" -> {
        return List.of(
            FetchItem.Simple.FLAGS, FetchItem.Simple.INTERNALDATE, FetchItem.Simple.RFC822_SIZE);
      }
      case "FULL" -> {
        return List.of(
            FetchItem.Simple.FLAGS,
            FetchItem.Simple.INTERNALDATE,
            FetchItem.Simple.RFC822_SIZE,
            FetchItem.Simple.ENVELOPE,
            FetchItem.Simple.BODY);
      }
      default -> {
        pos = mark;
        items.add(fetchItem());
        return items;
      }
    }
  }

  private FetchItem fetchItem() throws ImapSyntaxException {
    int start = pos;
    while (!atEnd() && isAtomChar(peek()) && peek() != '[') {
      pos++;
    }
    String name = ascii(start, pos).toUpperCase(Locale.ROOT);
    switch (name) {
      case "FLAGS":
        return FetchItem.Simple.FLAGS;
      case "UID":
        return FetchItem.Simple.UID;
      case "INTERNALDATE":
        return FetchItem.Simple.INTERNALDATE;
      case "RFC822.SIZE":
        return FetchItem.Simple.RFC822_SIZE;
      case "ENVELOPE":
        return FetchItem.Simple.ENVELOPE;
      case "BODYSTRUCTURE":
        return FetchItem.Simple.BODYSTRUCTURE;
      case "RFC822":
        return FetchItem.Simple.RFC822;
      case "RFC822.HEADER":
        return FetchItem.Simple.RFC822_HEADER;
      case "RFC822.TEXT":
        return FetchItem.Simple.RFC822_TEXT;
      case "BODY":
        if (!peekIs('[')) {
          return FetchItem.Simple.BODY;
        }
        return section(false);
      case "BODY.PEEK":
        if (!peekIs('[')) {
          throw new ImapSyntaxException("BODY.PEEK needs a section in brackets");
        }
        return section(true);
      default:
        throw new ImapSyntaxException(
            name.isEmpty()
                ? "Expected a FETCH item at offset " + start
                : "Unknown FETCH item " + name);
    }
  }

  private FetchItem.Section section(boolean peek) throws ImapSyntaxException {
    expect('[');
    List<Integer> path = new ArrayList<>();
    String text = "";
    List<String> fields = List.of();
    if (!peekIs(']')) {
      while (peek() >= '1' && peek() <= '9') {
        long n = nzNumber();
        if (n > 10_000) {
          throw new ImapSyntaxException("Part number too large");
        }
        path.add((int) n);
        if (!accept('.')) {
          break;
        }
      }
      if (!peekIs(']')) {
        if (!path.isEmpty() && buf[pos - 1] != '.') {
          throw new ImapSyntaxException("Expected '.' or ']' after a part number");
        }
        int start = pos;
        while (!atEnd() && (Character.isLetter(peek()) || peek() == '.')) {
          pos++;
        }
        text = ascii(start, pos).toUpperCase(Locale.ROOT);
        switch (text) {
          case "HEADER", "TEXT" -> {}
          case "MIME" -> {
            if (path.isEmpty()) {
              throw new ImapSyntaxException("MIME needs a part number");
            }
          }
          case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
            sp();
            fields = headerList();
          }
          default -> throw new ImapSyntaxException("Unknown section text '" + text + "'");
        }
      } else if (buf[pos - 1] == '.') {
        throw new ImapSyntaxException("A section may not end with '.'");
      }
    }
    expect(']');
    long partialStart = -1;
    long partialLength = 0;
    if (accept('<')) {
      partialStart = number();
      expect('.');
      partialLength = nzNumber();
      expect('>');
    }
    return new FetchItem.Section(peek, path, text, fields, partialStart, partialLength);
  }

  private List<String> headerList() throws ImapSyntaxException {
    expect('(');
    List<String> names = new ArrayList<>();
    do {
      names.add(astring().toUpperCase(Locale.ROOT));
    } while (accept(' '));
    expect(')');
    return names;
  }

  // ---------------------------------------------------------------- SEARCH

  /** The search criteria after SEARCH (and an optional CHARSET, read by the caller). */
  SearchKey searchKeys() throws ImapSyntaxException {
    List<SearchKey> keys = new ArrayList<>();
    do {
      keys.add(searchKey());
    } while (accept(' '));
    return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
  }

  private SearchKey searchKey() throws ImapSyntaxException {
    if (accept('(')) {
      List<SearchKey> keys = new ArrayList<>();
      do {
        keys.add(searchKey());
      } while (accept(' '));
      expect(')');
      return new SearchKey.And(keys);
    }
    if (atSequenceSet()) {
      return new SearchKey.Sequence(sequenceSet());
    }
    String word = keyword();
    switch (word) {
      case "ALL":
        return new SearchKey.All();
      case "ANSWERED", "DELETED", "DRAFT", "FLAGGED", "SEEN":
        return new SearchKey.Flag("\\" + word, true);
      case "UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED", "UNSEEN":
        return new SearchKey.Flag("\\" + word.substring(2), false);
      case "NEW", "RECENT":
        return new SearchKey.Recent(true);
      case "OLD":
        return new SearchKey.Recent(false);
      case "KEYWORD", "UNKEYWORD":
        sp();
        return new SearchKey.Keyword(atom(), word.equals("KEYWORD"));
      case "FROM", "TO", "CC", "BCC", "SUBJECT":
        sp();
        return new SearchKey.Header(word, astring());
      case "HEADER":
        {
          sp();
          String name = astring();
          sp();
          return new SearchKey.Header(name.toUpperCase(Locale.ROOT), astring());
        }
      case "BODY":
        sp();
        return new SearchKey.Text(astring(), true);
      case "TEXT":
        sp();
        return new SearchKey.Text(astring(), false);
      case "SINCE", "BEFORE", "ON":
        sp();
        return new SearchKey.Date(word, date(), false);
      case "SENTSINCE", "SENTBEFORE", "SENTON":
        sp();
        return new SearchKey.Date(word.substring(4), date(), true);
      case "LARGER", "SMALLER":
        sp();
        return new SearchKey.Size(number(), word.equals("LARGER"));
      case "UID":
        sp();
        return new SearchKey.Uid(sequenceSet());
      case "NOT":
        sp();
        return new SearchKey.Not(searchKey());
      case "OR":
        {
          sp();
          SearchKey left = searchKey();
          sp();
          return new SearchKey.Or(left, searchKey());
        }
      default:
        throw new ImapSyntaxException("Unknown SEARCH key " + word);
    }
  }

  /** A date such as {@code 1-Feb-1994}, optionally quoted. */
  LocalDate date() throws ImapSyntaxException {
    boolean quoted = accept('"');
    int start = pos;
    while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '-')) {
      pos++;
    }
    String text = ascii(start, pos);
    if (quoted) {
      expect('"');
    }
    try {
      return LocalDate.parse(text, SEARCH_DATE);
    } catch (DateTimeParseException e) {
      throw new ImapSyntaxException("Invalid date '" + text + "' (expected e.g. 1-Feb-1994)");
    }
  }

  private String ascii(int from, int to) {
    return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
