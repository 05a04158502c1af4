package dev.mailsink;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** Parses raw message bytes into the views {@link CapturedMessage} exposes, with Jakarta Mail. */
final class MimeView {
  private static final Session SESSION = newSession();

  private MimeView() {}

  private static Session newSession() {
    Properties props = new Properties();
    // Messages sent with SMTPUTF8 carry raw UTF-8 in their headers.
    props.setProperty("mail.mime.allowutf8", "true");
    return Session.getInstance(props);
  }

  record Headers(
      List<Header> all,
      String subject,
      List<MailAddress> from,
      List<MailAddress> to,
      List<MailAddress> cc,
      List<MailAddress> bcc,
      List<MailAddress> replyTo,
      Instant date,
      String problem) {

    Headers withoutList() {
      return new Headers(List.of(), subject, from, to, cc, bcc, replyTo, date, problem);
    }
  }

  record Body(String text, String html, List<Attachment> attachments, String problem) {}

  static Headers parseHeaders(byte[] raw) {
    List<String> problems = new ArrayList<>();
    List<Header> all = new ArrayList<>();
    List<jakarta.mail.Header> rawHeaders = new ArrayList<>();
    try {
      InternetHeaders parsed = new InternetHeaders(new ByteArrayInputStream(raw), true);
      Enumeration<jakarta.mail.Header> e = parsed.getAllHeaders();
      while (e.hasMoreElements()) {
        jakarta.mail.Header h = e.nextElement();
        rawHeaders.add(h);
        all.add(new Header(h.getName(), decodeText(MimeUtility.unfold(h.getValue()))));
      }
    } catch (MessagingException | RuntimeException e) {
      problems.add("headers: " + e.getMessage());
    }
    String subject = "";
    Instant date = null;
    for (jakarta.mail.Header h : rawHeaders) {
      if (h.getName().equalsIgnoreCase("Subject") && subject.isEmpty()) {
        subject = decodeText(MimeUtility.unfold(h.getValue())).strip();
      } else if (h.getName().equalsIgnoreCase("Date") && date == null) {
        try {
          Date d = new MailDateFormat().parse(MimeUtility.unfold(h.getValue()).strip());
          date = d == null ? null : d.toInstant();
        } catch (java.text.ParseException | RuntimeException ex) {
          problems.add("unreadable Date header: " + h.getValue().strip());
        }
      }
    }
    return new Headers(
        List.copyOf(all),
        subject,
        addresses(rawHeaders, "From", problems),
        addresses(rawHeaders, "To", problems),
        addresses(rawHeaders, "Cc", problems),
        addresses(rawHeaders, "Bcc", problems),
        addresses(rawHeaders, "Reply-To", problems),
        date,
        problems.isEmpty() ? null : String.join("; ", problems));
  }

  private static List<MailAddress> addresses(
      List<jakarta.mail.Header> headers, String name, List<String> problems) {
    List<MailAddress> result = new ArrayList<>();
    for (jakarta.mail.Header h : headers) {
      if (!h.getName().equalsIgnoreCase(name)) {
        continue;
      }
      String value = MimeUtility.unfold(h.getValue()).strip();
      if (value.isEmpty()) {
        continue;
      }
      try {
        for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
          String personal = a.getPersonal();
          result.add(new MailAddress(a.getAddress(), personal == null ? "" : personal));
        }
      } catch (AddressException e) {
        problems.add("unreadable " + name + " header: " + value);
        result.add(new MailAddress(value, ""));
      }
    }
    return Collections.unmodifiableList(result);
  }

  static Body parseBody(byte[] raw) {
    BodyBuilder b = new BodyBuilder();
    try {
      MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
      b.walk(message);
    } catch (MessagingException | IOException | RuntimeException e) {
      b.problems.add(describe(e));
    }
    return new Body(
        b.text == null ? null : b.text.toString(),
        b.html == null ? null : b.html.toString(),
        List.copyOf(b.attachments),
        b.problems.isEmpty() ? null : String.join("; ", b.problems));
  }

  private static final class BodyBuilder {
    StringBuilder text;
    StringBuilder html;
    final List<Attachment> attachments = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    void walk(Part part) throws MessagingException, IOException {
      String contentType = contentTypeOf(part);
      String mimeType = baseType(contentType);
      if (mimeType.startsWith("multipart/")) {
        Object content = part.getContent();
        if (!(content instanceof Multipart multipart)) {
          problems.add("multipart without parts: " + contentType);
          return;
        }
        for (int i = 0; i < multipart.getCount(); i++) {
          BodyPart child = multipart.getBodyPart(i);
          try {
            walk(child);
          } catch (MessagingException | IOException | RuntimeException e) {
            problems.add("part " + (i + 1) + " of " + mimeType + ": " + describe(e));
          }
        }
        return;
      }
      String disposition = dispositionOf(part);
      String filename = filenameOf(part);
      boolean isBody =
          (mimeType.equals("text/plain") || mimeType.equals("text/html"))
              && !"attachment".equals(disposition)
              && filename.isEmpty();
      if (isBody) {
        String decoded = readText(part, contentType);
        if (mimeType.equals("text/plain")) {
          text = append(text, decoded);
        } else {
          html = append(html, decoded);
        }
        return;
      }
      byte[] bytes = part.getInputStream().readAllBytes();
      String contentId = contentIdOf(part);
      if (filename.isEmpty() && mimeType.equals("message/rfc822")) {
        filename = "attached-message.eml";
      }
      boolean inline = "inline".equals(disposition) || (disposition == null && contentId != null);
      attachments.add(new Attachment(filename, contentType, contentId, inline, bytes));
    }

    private String readText(Part part, String contentType) throws MessagingException, IOException {
      byte[] bytes = part.getInputStream().readAllBytes();
      Charset charset = StandardCharsets.UTF_8;
      String declared = null;
      try {
        declared = new ContentType(contentType).getParameter("charset");
      } catch (ParseException e) {
        problems.add("unreadable Content-Type: " + contentType);
      }
      if (declared != null && !declared.isBlank()) {
        try {
          charset = Charset.forName(MimeUtility.javaCharset(declared.strip()));
        } catch (IllegalArgumentException e) {
          problems.add("unknown charset " + declared + ", decoded as UTF-8");
        }
      }
      return new String(bytes, charset);
    }

    private static StringBuilder append(StringBuilder sb, String s) {
      if (sb == null) {
        return new StringBuilder(s);
      }
      return sb.append('\n').append(s);
    }
  }

  private static String contentTypeOf(Part part) throws MessagingException {
    String[] values = part.getHeader("Content-Type");
    if (values == null || values.length == 0 || values[0].isBlank()) {
      return "text/plain";
    }
    return MimeUtility.unfold(values[0]).strip();
  }

  private static String baseType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String base = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return base.strip().toLowerCase(Locale.ROOT);
  }

  private static String dispositionOf(Part part) {
    try {
      String d = part.getDisposition();
      return d == null ? null : d.toLowerCase(Locale.ROOT);
    } catch (MessagingException e) {
      return null;
    }
  }

  private static String filenameOf(Part part) {
    String name;
    try {
      name = part.getFileName();
    } catch (MessagingException e) {
      return "";
    }
    if (name == null) {
      return "";
    }
    // RFC 2231 parameters are decoded by Jakarta Mail; RFC 2047 words in file names are not
    // standard but common (Outlook, many mailers), so decode those too.
    return name.contains("=?") ? decodeText(name) : name;
  }

  private static String contentIdOf(Part part) throws MessagingException {
    String[] values = part.getHeader("Content-ID");
    if (values == null || values.length == 0) {
      return null;
    }
    String id = values[0].strip();
    if (id.startsWith("<") && id.endsWith(">")) {
      id = id.substring(1, id.length() - 1);
    }
    return id.isEmpty() ? null : id;
  }

  private static String decodeText(String value) {
    try {
      return MimeUtility.decodeText(value);
    } catch (UnsupportedEncodingException | RuntimeException e) {
      return value;
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
