package dev.mailsink.internal.imap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MIME structure of a message as offsets into its captured bytes: every part's header and body
 * ranges, so that sections are served byte-exact from the original array without copying it.
 */
final class MimePart {
  private static final int MAX_DEPTH = 20;

  final byte[] raw;
  final int start;
  final int bodyStart;
  final int end;
  final List<Field> fields;
  final String type;
  final String subtype;
  final Map<String, String> params;
  final List<MimePart> children = new ArrayList<>();

  /** The encapsulated message of a message/rfc822 part, else null. */
  MimePart message;

  /** A header field: its name and the byte range of the whole field (folded lines, CRLF). */
  record Field(String name, int start, int end, String value) {}

  private MimePart(byte[] raw, int start, int end, boolean digestChild, int depth) {
    this.raw = raw;
    this.start = start;
    this.end = end;
    this.fields = new ArrayList<>();
    this.bodyStart = parseHeader();
    String ct = header("Content-Type");
    String t = "text";
    String s = "plain";
    Map<String, String> p = new LinkedHashMap<>();
    if (ct == null && digestChild) {
      t = "message";
      s = "rfc822";
    } else if (ct != null) {
      String[] typeAndParams = splitParams(ct, p);
      String full = typeAndParams[0].trim().toLowerCase(Locale.ROOT);
      int slash = full.indexOf('/');
      if (slash > 0 && slash < full.length() - 1) {
        t = full.substring(0, slash).trim();
        s = full.substring(slash + 1).trim();
      } else {
        p.clear();
      }
    }
    if (t.equals("text") && !p.containsKey("charset")) {
      p.put("charset", "us-ascii");
    }
    this.type = t;
    this.subtype = s;
    this.params = p;
    if (depth < MAX_DEPTH) {
      if (t.equals("multipart") && p.get("boundary") != null) {
        splitMultipart(p.get("boundary"), s.equals("digest"), depth);
      } else if (t.equals("message") && s.equals("rfc822")) {
        message = new MimePart(raw, bodyStart, end, false, depth + 1);
      }
    }
  }

  /** Parses the message {@code raw}. */
  static MimePart parse(byte[] raw) {
    return new MimePart(raw, 0, raw.length, false, 0);
  }

  boolean isMultipart() {
    return type.equals("multipart") && !children.isEmpty();
  }

  int bodySize() {
    return end - bodyStart;
  }

  /** The first value of a header, unfolded, as written (not decoded); null when absent. */
  String header(String name) {
    for (Field f : fields) {
      if (f.name.equalsIgnoreCase(name)) {
        return f.value;
      }
    }
    return null;
  }

  /** Lines in the body, as IMAP counts them for text parts. */
  int bodyLines() {
    int lines = 0;
    for (int i = bodyStart; i < end; i++) {
      if (raw[i] == '\n') {
        lines++;
      }
    }
    if (end > bodyStart && raw[end - 1] != '\n') {
      lines++;
    }
    return lines;
  }

  // ---------------------------------------------------------------- parsing

  /** Reads the header fields; returns where the body starts (after the blank line). */
  private int parseHeader() {
    int i = start;
    int fieldStart = -1;
    while (i < end) {
      int lineEnd = indexOf((byte) '\n', i);
      int next = lineEnd < 0 ? end : lineEnd + 1;
      int contentEnd =
          lineEnd < 0 ? end : (lineEnd > i && raw[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd);
      if (contentEnd == i) { // blank line: end of header
        if (fieldStart >= 0) {
          addField(fieldStart, i);
        }
        return next;
      }
      byte first = raw[i];
      if ((first == ' ' || first == '\t') && fieldStart >= 0) {
        // continuation line
      } else {
        if (fieldStart >= 0) {
          addField(fieldStart, i);
        }
        fieldStart = i;
      }
      i = next;
    }
    if (fieldStart >= 0) {
      addField(fieldStart, end);
    }
    return end;
  }

  private void addField(int from, int to) {
    int colon = -1;
    for (int k = from; k < to; k++) {
      if (raw[k] == ':') {
        colon = k;
        break;
      }
      if (raw[k] == '\n') {
        break;
      }
    }
    if (colon <= from) {
      fields.add(new Field("", from, to, ""));
      return;
    }
    String name = new String(raw, from, colon - from, StandardCharsets.ISO_8859_1).trim();
    String value =
        new String(raw, colon + 1, to - colon - 1, StandardCharsets.UTF_8)
            .replaceAll("\r?\n(?=[ \t])", "")
            .replaceAll("\r?\n$", "")
            .trim();
    fields.add(new Field(name, from, to, value));
  }

  private int indexOf(byte b, int from) {
    for (int k = from; k < end; k++) {
      if (raw[k] == b) {
        return k;
      }
    }
    return -1;
  }

  private void splitMultipart(String boundary, boolean digest, int depth) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int partStart = -1;
    int i = bodyStart;
    while (i < end) {
      int lineEnd = indexOf((byte) '\n', i);
      int next = lineEnd < 0 ? end : lineEnd + 1;
      if (startsWith(i, delimiter)) {
        int after = i + delimiter.length;
        boolean close = after + 1 < end && raw[after] == '-' && raw[after + 1] == '-';
        if (close || onlySpaceToLineEnd(after, lineEnd < 0 ? end : lineEnd)) {
          if (partStart >= 0) {
            // the CRLF before the delimiter belongs to the delimiter
            int partEnd = i;
            if (partEnd > partStart && raw[partEnd - 1] == '\n') {
              partEnd--;
              if (partEnd > partStart && raw[partEnd - 1] == '\r') {
                partEnd--;
              }
            }
            children.add(
                new MimePart(raw, partStart, Math.max(partStart, partEnd), digest, depth + 1));
          }
          if (close) {
            return;
          }
          partStart = next;
        }
      }
      i = next;
    }
    if (partStart >= 0 && partStart < end) {
      children.add(new MimePart(raw, partStart, end, digest, depth + 1)); // no close delimiter
    }
  }

  private boolean onlySpaceToLineEnd(int from, int lineEnd) {
    for (int k = from; k < lineEnd; k++) {
      if (raw[k] != ' ' && raw[k] != '\t' && raw[k] != '\r') {
        return false;
      }
    }
    return true;
  }

  private boolean startsWith(int at, byte[] prefix) {
    if (at + prefix.length > end) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (raw[at + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Splits {@code value; a=b; c="d"} into the value (returned first) and its parameters (names
   * lower case, into {@code params}). RFC 2231 continuations are joined, not decoded.
   */
  static String[] splitParams(String value, Map<String, String> params) {
    List<String> pieces = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        cur.append(c);
      } else if (c == '\\' && quoted && i + 1 < value.length()) {
        cur.append(c).append(value.charAt(++i));
      } else if (c == ';' && !quoted) {
        pieces.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    pieces.add(cur.toString());
    for (int i = 1; i < pieces.size(); i++) {
      String piece = pieces.get(i).trim();
      int eq = piece.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = piece.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String v = piece.substring(eq + 1).trim();
      if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
        v = v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1");
      }
      params.putIfAbsent(name, v);
    }
    return new String[] {pieces.get(0)};
  }

  // ---------------------------------------------------------------- sections

  /**
   * The part at {@code path} of this message (RFC 3501 section 6.4.5 numbering), or null when there
   * is none.
   */
  MimePart part(List<Integer> path) {
    MimePart cur = this;
    for (int i = 0; i < path.size(); i++) {
      MimePart container = cur;
      if (i > 0 && container.message != null) {
        container = container.message;
      }
      int k = path.get(i);
      if (container.isMultipart()) {
        if (k > container.children.size()) {
          return null;
        }
        cur = container.children.get(k - 1);
      } else if (k == 1) {
        cur = container;
      } else {
        return null;
      }
    }
    return cur;
  }
}
