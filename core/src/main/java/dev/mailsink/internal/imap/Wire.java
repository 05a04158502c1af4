package dev.mailsink.internal.imap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** How strings go on the wire: quoted when they can be, else as literals; NIL for null. */
final class Wire {
  private Wire() {}

  static void ascii(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    out.write(b, 0, b.length);
  }

  static void nstring(ByteArrayOutputStream out, String s) {
    if (s == null) {
      ascii(out, "NIL");
    } else {
      string(out, s);
    }
  }

  static void string(ByteArrayOutputStream out, String s) {
    boolean quotable = s.length() < 1000;
    for (int i = 0; i < s.length() && quotable; i++) {
      char c = s.charAt(i);
      quotable = c >= 0x20 && c < 0x7f;
    }
    if (quotable) {
      out.write('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          out.write('\\');
        }
        out.write(c);
      }
      out.write('"');
    } else {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      ascii(out, "{" + b.length + "}\r\n");
      out.write(b, 0, b.length);
    }
  }
}
