package dev.mailsink;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** Sends simple messages to a sink with Jakarta Mail, one connection per message. */
final class TestMail {
  private TestMail() {}

  static Session session(Mailsink sink) {
    Properties props = new Properties();
    props.put("mail.smtp.host", sink.smtpHost());
    props.put("mail.smtp.port", String.valueOf(sink.smtpPort()));
    return Session.getInstance(props);
  }

  static void send(Mailsink sink, String from, String to, String subject, String body)
      throws MessagingException {
    send(session(sink), from, to, subject, body);
  }

  static void send(Session session, String from, String to, String subject, String body)
      throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(from);
    message.setRecipients(Message.RecipientType.TO, to);
    message.setSubject(subject, "UTF-8");
    message.setText(body, "UTF-8");
    Transport.send(message);
  }
}
