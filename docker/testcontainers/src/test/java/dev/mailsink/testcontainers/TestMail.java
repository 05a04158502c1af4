package dev.mailsink.testcontainers;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/** Sends mail with Jakarta Mail, as an application under test would. */
final class TestMail {
  private final Properties props = new Properties();
  private String user;
  private String password;
  private String subject = "Hello";
  private String text = "Hello from a test";
  private String html;
  private byte[] attachment;
  private String from = "shop@example.com";
  private final List<String> to = new ArrayList<>();
  private final List<String> bcc = new ArrayList<>();

  private TestMail(String host, int port) {
    props.put("mail.smtp.host", host);
    props.put("mail.smtp.port", Integer.toString(port));
    props.put("mail.smtp.connectiontimeout", "10000");
    props.put("mail.smtp.timeout", "10000");
    props.put("mail.smtp.localhost", "test.client");
  }

  static TestMail to(String host, int port) {
    return new TestMail(host, port);
  }

  TestMail subject(String subject) {
    this.subject = subject;
    return this;
  }

  TestMail text(String text) {
    this.text = text;
    return this;
  }

  TestMail html(String html) {
    this.html = html;
    return this;
  }

  TestMail attachment(byte[] png) {
    this.attachment = png;
    return this;
  }

  TestMail from(String from) {
    this.from = from;
    return this;
  }

  TestMail recipient(String address) {
    to.add(address);
    return this;
  }

  TestMail bcc(String address) {
    bcc.add(address);
    return this;
  }

  /** STARTTLS required, trusting only the given context's certificates. */
  TestMail startTls(SSLContext trust) {
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.socketFactory", trust.getSocketFactory());
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    return this;
  }

  /** Implicit TLS (SMTPS), trusting only the given context's certificates. */
  TestMail implicitTls(SSLContext trust) {
    props.put("mail.smtp.ssl.enable", "true");
    props.put("mail.smtp.ssl.socketFactory", trust.getSocketFactory());
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    return this;
  }

  TestMail auth(String user, String password) {
    props.put("mail.smtp.auth", "true");
    this.user = user;
    this.password = password;
    return this;
  }

  void send() throws MessagingException {
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(from));
    if (to.isEmpty()) {
      to.add("customer@example.com");
    }
    for (String t : to) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
    }
    message.setSubject(subject, "UTF-8");
    if (html == null && attachment == null) {
      message.setText(text, "UTF-8");
    } else {
      MimeMultipart mixed = new MimeMultipart("mixed");
      MimeBodyPart body = new MimeBodyPart();
      if (html != null) {
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(html, "UTF-8", "html");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(rich);
        body.setContent(alternative);
      } else {
        body.setText(text, "UTF-8");
      }
      mixed.addBodyPart(body);
      if (attachment != null) {
        MimeBodyPart file = new MimeBodyPart();
        file.setContent(attachment, "image/png");
        file.setFileName("logo.png");
        file.setDisposition("attachment");
        mixed.addBodyPart(file);
      }
      message.setContent(mixed);
    }
    message.saveChanges();
    List<Address> envelope = new ArrayList<>();
    for (String t : to) {
      envelope.add(new InternetAddress(t));
    }
    for (String b : bcc) {
      envelope.add(new InternetAddress(b));
    }
    try (Transport transport = session.getTransport("smtp")) {
      if (user != null) {
        transport.connect(user, password);
      } else {
        transport.connect();
      }
      transport.sendMessage(message, envelope.toArray(Address[]::new));
    }
  }
}
