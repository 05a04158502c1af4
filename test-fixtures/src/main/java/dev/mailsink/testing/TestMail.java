package dev.mailsink.testing;

import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
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
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * Builds a message and sends it over real SMTP with Jakarta Mail, as an application under test
 * would. Shared by the tests of every module.
 *
 * <pre>{@code
 * TestMail.message().to("alice@example.com").subject("Hi").text("Hello").sendTo(host, port);
 * TestMail.via(host, port).startTls(trust).auth("app", "s3cret").to("bob@example.com").send();
 * }</pre>
 *
 * <p>Defaults: from {@code shop@example.com}, to {@code customer@example.com} when no recipient is
 * given, subject {@code Hello}, an empty text body. Not thread-safe; build one per message.
 */
public final class TestMail {
  private String host;
  private int port;
  private final Properties transport = new Properties();
  private String user;
  private String password;

  private String from = "shop@example.com";
  private final List<String> to = new ArrayList<>();
  private final List<String> cc = new ArrayList<>();
  private final List<String> bcc = new ArrayList<>();
  private String subject = "Hello";
  private String text;
  private String html;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final List<MimeBodyPart> attachments = new ArrayList<>();
  private final List<MimeBodyPart> inline = new ArrayList<>();

  private TestMail() {}

  /** A new message, to be sent with {@link #sendTo(String, int)} or {@link #send(Session)}. */
  public static TestMail message() {
    return new TestMail();
  }

  /** A new message for the SMTP server at {@code host:port}, to be sent with {@link #send()}. */
  public static TestMail via(String host, int port) {
    TestMail mail = new TestMail();
    mail.host = Objects.requireNonNull(host, "host");
    mail.port = port;
    return mail;
  }

  /** A Jakarta Mail session for a plain SMTP server, with short timeouts. */
  public static Session session(String host, int port) {
    return Session.getInstance(properties(host, port));
  }

  /**
   * Sends a one-part text message over a new connection; {@code to} may list several,
   * comma-separated.
   */
  public static void send(
      String host, int port, String from, String to, String subject, String text)
      throws MessagingException {
    send(session(host, port), from, to, subject, text);
  }

  /** Sends a one-part text message through {@code session}; {@code to} may list several. */
  public static void send(Session session, String from, String to, String subject, String text)
      throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(from);
    m.setRecipients(Message.RecipientType.TO, to);
    m.setSubject(subject, "UTF-8");
    m.setText(text, "UTF-8");
    Transport.send(m);
  }

  /** Sends several messages over one SMTP connection. */
  public static void sendAll(String host, int port, List<TestMail> mails) {
    Session session = session(host, port);
    try (Transport t = session.getTransport("smtp")) {
      t.connect();
      for (TestMail mail : mails) {
        MimeMessage m = mail.build(session);
        t.sendMessage(m, mail.envelopeRecipients());
      }
    } catch (MessagingException e) {
      throw new IllegalStateException("sending failed: " + e, e);
    }
  }

  /**
   * Sends {@code data} as the message over a plain socket, for messages Jakarta Mail would not
   * write; line ends are made CRLF, the terminating dot is added.
   */
  public static void sendRaw(String host, int port, String from, String to, String data) {
    try (Socket s = new Socket(host, port)) {
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

  // --- the message ------------------------------------------------------------------------------

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

  /** Adds envelope recipients that no header names. */
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
    MimeBodyPart p = part(mimeType, content);
    try {
      p.setFileName(filename);
      p.setDisposition(Part.ATTACHMENT);
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
    attachments.add(p);
    return this;
  }

  public TestMail inlineImage(String contentId, String mimeType, byte[] content) {
    MimeBodyPart p = part(mimeType, content);
    try {
      p.setContentID("<" + contentId + ">");
      p.setDisposition(Part.INLINE);
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
    inline.add(p);
    return this;
  }

  // --- the transport ----------------------------------------------------------------------------

  /** STARTTLS required, trusting only the certificates that {@code trust} trusts. */
  public TestMail startTls(SSLContext trust) {
    transport.put("mail.smtp.starttls.enable", "true");
    transport.put("mail.smtp.starttls.required", "true");
    transport.put("mail.smtp.ssl.socketFactory", trust.getSocketFactory());
    transport.put("mail.smtp.ssl.checkserveridentity", "true");
    return this;
  }

  /** Implicit TLS (SMTPS), trusting only the certificates that {@code trust} trusts. */
  public TestMail implicitTls(SSLContext trust) {
    transport.put("mail.smtp.ssl.enable", "true");
    transport.put("mail.smtp.ssl.socketFactory", trust.getSocketFactory());
    transport.put("mail.smtp.ssl.checkserveridentity", "true");
    return this;
  }

  /** Authenticates with SMTP AUTH. */
  public TestMail auth(String user, String password) {
    transport.put("mail.smtp.auth", "true");
    this.user = user;
    this.password = password;
    return this;
  }

  /** Sends to the server given to {@link #via}, over a new connection. */
  public void send() throws MessagingException {
    if (host == null) {
      throw new IllegalStateException(
          "no server: use TestMail.via(host, port) or sendTo(host, port)");
    }
    Properties props = properties(host, port);
    props.putAll(transport);
    Session session = Session.getInstance(props);
    MimeMessage m = build(session);
    try (Transport t = session.getTransport("smtp")) {
      if (user != null) {
        t.connect(user, password);
      } else {
        t.connect();
      }
      t.sendMessage(m, envelopeRecipients());
    }
  }

  /** Sends to the plain SMTP server at {@code host:port} over a new connection. */
  public void sendTo(String host, int port) {
    this.host = host;
    this.port = port;
    try {
      send();
    } catch (MessagingException e) {
      throw new IllegalStateException("sending failed: " + e, e);
    }
  }

  /** Sends through {@code session} over a new connection. */
  public void send(Session session) throws MessagingException {
    MimeMessage m = build(session);
    Transport.send(m, envelopeRecipients());
  }

  /** Builds the message, as it would be sent. */
  public MimeMessage build(Session session) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    for (String a : to.isEmpty() ? List.of("customer@example.com") : to) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(a));
    }
    for (String a : cc) {
      m.addRecipient(Message.RecipientType.CC, new InternetAddress(a));
    }
    m.setSubject(subject, "UTF-8");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      m.setHeader(h.getKey(), h.getValue());
    }
    if (inline.isEmpty() && attachments.isEmpty()) {
      setBody(m);
    } else {
      MimeBodyPart content = new MimeBodyPart();
      setBody(content);
      if (!inline.isEmpty()) {
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(content);
        for (MimeBodyPart p : inline) {
          related.addBodyPart(p);
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
        for (MimeBodyPart p : attachments) {
          mixed.addBodyPart(p);
        }
        m.setContent(mixed);
      }
    }
    m.saveChanges();
    return m;
  }

  private Address[] envelopeRecipients() throws MessagingException {
    List<Address> all = new ArrayList<>();
    for (String a : to.isEmpty() ? List.of("customer@example.com") : to) {
      all.add(new InternetAddress(a));
    }
    for (String a : cc) {
      all.add(new InternetAddress(a));
    }
    for (String a : bcc) {
      all.add(new InternetAddress(a));
    }
    return all.toArray(Address[]::new);
  }

  private void setBody(Part part) throws MessagingException {
    if (text != null && html != null) {
      MimeMultipart alt = new MimeMultipart("alternative");
      MimeBodyPart t = new MimeBodyPart();
      t.setText(text, "UTF-8");
      MimeBodyPart h = new MimeBodyPart();
      h.setText(html, "UTF-8", "html");
      alt.addBodyPart(t);
      alt.addBodyPart(h);
      part.setContent(alt);
    } else if (html != null) {
      ((MimePart) part).setText(html, "UTF-8", "html");
    } else {
      ((MimePart) part).setText(text == null ? "" : text, "UTF-8");
    }
  }

  private static MimeBodyPart part(String mimeType, byte[] content) {
    try {
      MimeBodyPart p = new MimeBodyPart();
      p.setDataHandler(new DataHandler(new ByteArrayDataSource(content, mimeType)));
      return p;
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Properties properties(String host, int port) {
    Properties props = new Properties();
    props.setProperty("mail.smtp.host", host);
    props.setProperty("mail.smtp.port", Integer.toString(port));
    props.setProperty("mail.smtp.localhost", "client.test");
    props.setProperty("mail.smtp.connectiontimeout", "10000");
    props.setProperty("mail.smtp.timeout", "10000");
    return props;
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
