package dev.mailsink.web.support;

import dev.mailsink.Mailsink;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Builds a message and sends it over real SMTP with Jakarta Mail. */
public final class TestMail {
  private String from = "sender@example.com";
  private final List<String> to = new ArrayList<>();
  private final List<String> cc = new ArrayList<>();
  private final List<String> bcc = new ArrayList<>();
  private String subject = "Hello";
  private String text;
  private String html;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final List<Part> attachments = new ArrayList<>();
  private final List<Part> inline = new ArrayList<>();

  private TestMail() {}

  public static TestMail message() {
    return new TestMail();
  }

  public TestMail from(String address) {
    this.from = address;
    return this;
  }

  public TestMail to(String... addresses) {
    to.addAll(List.of(addresses));
    return this;
  }

  public TestMail cc(String... addresses) {
    cc.addAll(List.of(addresses));
    return this;
  }

  public TestMail bcc(String... addresses) {
    bcc.addAll(List.of(addresses));
    return this;
  }

  public TestMail subject(String subject) {
    this.subject = subject;
    return this;
  }

  public TestMail text(String text) {
    this.text = text;
    return this;
  }

  public TestMail html(String html) {
    this.html = html;
    return this;
  }

  public TestMail header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public TestMail attach(String filename, String mimeType, byte[] content) {
    try {
      MimeBodyPart p = new MimeBodyPart();
      p.setDataHandler(new DataHandler(new ByteArrayDataSource(content, mimeType)));
      p.setFileName(filename);
      p.setDisposition(Part.ATTACHMENT);
      attachments.add(p);
      return this;
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  public TestMail inlineImage(String contentId, String mimeType, byte[] content) {
    try {
      MimeBodyPart p = new MimeBodyPart();
      p.setDataHandler(new DataHandler(new ByteArrayDataSource(content, mimeType)));
      p.setContentID("<" + contentId + ">");
      p.setDisposition(Part.INLINE);
      inline.add(p);
      return this;
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  public MimeMessage build(Session session) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    for (String a : to) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(a));
    }
    for (String a : cc) {
      m.addRecipient(Message.RecipientType.CC, new InternetAddress(a));
    }
    for (String a : bcc) {
      m.addRecipient(Message.RecipientType.BCC, new InternetAddress(a));
    }
    m.setSubject(subject, "UTF-8");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      m.setHeader(h.getKey(), h.getValue());
    }
    if (inline.isEmpty() && attachments.isEmpty()) {
      if (text != null && html != null) {
        m.setContent(alternative());
      } else if (html != null) {
        m.setText(html, "UTF-8", "html");
      } else {
        m.setText(text == null ? "" : text, "UTF-8");
      }
    } else {
      MimeBodyPart content = new MimeBodyPart();
      if (text != null && html != null) {
        content.setContent(alternative());
      } else if (html != null) {
        content.setText(html, "UTF-8", "html");
      } else {
        content.setText(text == null ? "" : text, "UTF-8");
      }
      if (!inline.isEmpty()) {
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(content);
        for (Part p : inline) {
          related.addBodyPart((MimeBodyPart) p);
        }
        if (attachments.isEmpty()) {
          m.setContent(related);
        } else {
          content = new MimeBodyPart();
          content.setContent(related);
        }
      }
      if (!attachments.isEmpty()) {
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(content);
        for (Part p : attachments) {
          mixed.addBodyPart((MimeBodyPart) p);
        }
        m.setContent(mixed);
      }
    }
    m.saveChanges();
    return m;
  }

  private MimeMultipart alternative() throws MessagingException {
    MimeMultipart alt = new MimeMultipart("alternative");
    MimeBodyPart t = new MimeBodyPart();
    t.setText(text, "UTF-8");
    MimeBodyPart h = new MimeBodyPart();
    h.setText(html, "UTF-8", "html");
    alt.addBodyPart(t);
    alt.addBodyPart(h);
    return alt;
  }

  public static Session session(Mailsink sink) {
    Properties props = new Properties();
    props.setProperty("mail.smtp.host", sink.smtpHost());
    props.setProperty("mail.smtp.port", Integer.toString(sink.smtpPort()));
    props.setProperty("mail.smtp.localhost", "client.test");
    props.setProperty("mail.smtp.connectiontimeout", "5000");
    props.setProperty("mail.smtp.timeout", "10000");
    return Session.getInstance(props);
  }

  /** Sends this message over one new SMTP connection. */
  public void sendTo(Mailsink sink) {
    sendAll(sink, List.of(this));
  }

  /** Sends several messages over one SMTP connection. */
  public static void sendAll(Mailsink sink, List<TestMail> mails) {
    Session session = session(sink);
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      for (TestMail mail : mails) {
        MimeMessage m = mail.build(session);
        transport.sendMessage(m, m.getAllRecipients());
      }
    } catch (MessagingException e) {
      throw new IllegalStateException("sending failed: " + e, e);
    }
  }

  /** Sends raw DATA over a plain socket, for messages Jakarta Mail would not write. */
  public static void sendRaw(Mailsink sink, String from, String to, String data) {
    try (Socket s = new Socket(sink.smtpHost(), sink.smtpPort())) {
      s.setSoTimeout(10_000);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      expect(in, "220");
      command(out, in, "EHLO raw.test", "250");
      command(out, in, "MAIL FROM:<" + from + ">", "250");
      command(out, in, "RCPT TO:<" + to + ">", "250");
      command(out, in, "DATA", "354");
      String body = data.replace("\r\n", "\n").replace("\n", "\r\n");
      out.write(body.getBytes(StandardCharsets.UTF_8));
      command(out, in, (body.endsWith("\r\n") ? "" : "\r\n") + ".", "250");
      command(out, in, "QUIT", "221");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void command(OutputStream out, BufferedReader in, String line, String code)
      throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    expect(in, code);
  }

  private static void expect(BufferedReader in, String code) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed, expected " + code);
      }
      if (!line.startsWith(code)) {
        throw new IOException("got '" + line + "', want " + code);
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
  }
}
