package dev.mailsink.internal.imap;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** ENVELOPE and BODY/BODYSTRUCTURE of a parsed message (RFC 3501 section 7.4.2). */
final class Structure {
  private Structure() {}

  static void envelope(ByteArrayOutputStream out, MimePart m) {
    out.write('(');
    Wire.nstring(out, m.header("Date"));
    out.write(' ');
    Wire.nstring(out, m.header("Subject"));
    String from = m.header("From");
    out.write(' ');
    addresses(out, from);
    out.write(' ');
    addresses(out, m.header("Sender") != null ? m.header("Sender") : from);
    out.write(' ');
    addresses(out, m.header("Reply-To") != null ? m.header("Reply-To") : from);
    out.write(' ');
    addresses(out, m.header("To"));
    out.write(' ');
    addresses(out, m.header("Cc"));
    out.write(' ');
    addresses(out, m.header("Bcc"));
    out.write(' ');
    Wire.nstring(out, m.header("In-Reply-To"));
    out.write(' ');
    Wire.nstring(out, m.header("Message-ID"));
    out.write(')');
  }

  private static void addresses(ByteArrayOutputStream out, String value) {
    List<InternetAddress> list = new ArrayList<>();
    if (value != null && !value.isBlank()) {
      try {
        for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
          if (a.isGroup()) {
            InternetAddress[] members = a.getGroup(false);
            if (members != null) {
              list.addAll(List.of(members));
            }
          } else {
            list.add(a);
          }
        }
      } catch (AddressException e) {
        list.clear();
      }
    }
    if (list.isEmpty()) {
      Wire.ascii(out, "NIL");
      return;
    }
    out.write('(');
    for (InternetAddress a : list) {
      String address = a.getAddress() == null ? "" : a.getAddress();
      int at = address.lastIndexOf('@');
      out.write('(');
      Wire.nstring(out, personal(a.getPersonal()));
      Wire.ascii(out, " NIL ");
      Wire.nstring(out, at < 0 ? address : address.substring(0, at));
      out.write(' ');
      Wire.nstring(out, at < 0 ? null : address.substring(at + 1));
      out.write(')');
    }
    out.write(')');
  }

  private static String personal(String decoded) {
    if (decoded == null) {
      return null;
    }
    for (int i = 0; i < decoded.length(); i++) {
      if (decoded.charAt(i) >= 0x7f) {
        try {
          return MimeUtility.encodeWord(decoded, "UTF-8", "B");
        } catch (UnsupportedEncodingException e) {
          return decoded;
        }
      }
    }
    return decoded;
  }

  /** BODYSTRUCTURE ({@code extensible}) or BODY of the message or part {@code p}. */
  static void body(ByteArrayOutputStream out, MimePart p, boolean extensible) {
    out.write('(');
    if (p.isMultipart()) {
      for (MimePart child : p.children) {
        body(out, child, extensible);
      }
      out.write(' ');
      Wire.string(out, p.subtype.toUpperCase(Locale.ROOT));
      if (extensible) {
        out.write(' ');
        params(out, p.params);
        out.write(' ');
        disposition(out, p);
        out.write(' ');
        Wire.nstring(out, p.header("Content-Language"));
        Wire.ascii(out, " NIL");
      }
      out.write(')');
      return;
    }
    Wire.string(out, p.type.toUpperCase(Locale.ROOT));
    out.write(' ');
    Wire.string(out, p.subtype.toUpperCase(Locale.ROOT));
    out.write(' ');
    params(out, p.params);
    out.write(' ');
    Wire.nstring(out, p.header("Content-ID"));
    out.write(' ');
    Wire.nstring(out, p.header("Content-Description"));
    out.write(' ');
    String encoding = p.header("Content-Transfer-Encoding");
    Wire.string(out, encoding == null ? "7BIT" : encoding.trim().toUpperCase(Locale.ROOT));
    Wire.ascii(out, " " + p.bodySize());
    if (p.message != null) {
      out.write(' ');
      envelope(out, p.message);
      out.write(' ');
      body(out, p.message, extensible);
      Wire.ascii(out, " " + p.bodyLines());
    } else if (p.type.equals("text")) {
      Wire.ascii(out, " " + p.bodyLines());
    }
    if (extensible) {
      out.write(' ');
      Wire.nstring(out, p.header("Content-MD5"));
      out.write(' ');
      disposition(out, p);
      out.write(' ');
      Wire.nstring(out, p.header("Content-Language"));
      Wire.ascii(out, " NIL");
    }
    out.write(')');
  }

  private static void params(ByteArrayOutputStream out, Map<String, String> params) {
    if (params.isEmpty()) {
      Wire.ascii(out, "NIL");
      return;
    }
    out.write('(');
    boolean first = true;
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!first) {
        out.write(' ');
      }
      first = false;
      Wire.string(out, e.getKey().toUpperCase(Locale.ROOT));
      out.write(' ');
      Wire.string(out, e.getValue());
    }
    out.write(')');
  }

  private static void disposition(ByteArrayOutputStream out, MimePart p) {
    String value = p.header("Content-Disposition");
    if (value == null) {
      Wire.ascii(out, "NIL");
      return;
    }
    Map<String, String> params = new LinkedHashMap<>();
    String kind = MimePart.splitParams(value, params)[0].trim();
    if (kind.isEmpty()) {
      Wire.ascii(out, "NIL");
      return;
    }
    out.write('(');
    Wire.string(out, kind.toUpperCase(Locale.ROOT));
    out.write(' ');
    params(out, params);
    out.write(')');
  }
}
