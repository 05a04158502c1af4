package dev.mailsink.junit;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.Mailsink;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/** Sends messages to a sink with Jakarta Mail, and builds captured messages without a server. */
final class TestMail {
  private TestMail() {}

  /** Fills in a message before it is sent. */
  interface Setup {
    void apply(MimeMessage message) throws MessagingException;
  }

  static void send(Mailsink sink, String to, String subject, String text) throws Exception {
    send(
        sink,
        m -> {
          m.setRecipients(Message.RecipientType.TO, to);
          m.setSubject(subject, "UTF-8");
          m.setText(text, "UTF-8");
        });
  }

  static void send(Mailsink sink, Setup setup) throws MessagingException {
    Properties props = new Properties();
    props.put("mail.smtp.host", sink.smtpHost());
    props.put("mail.smtp.port", String.valueOf(sink.smtpPort()));
    MimeMessage message = new MimeMessage(Session.getInstance(props));
    message.setFrom("shop@example.com");
    setup.apply(message);
    Transport.send(message);
  }

  /** A message as a server would have captured it, from its raw text (lines end with LF). */
  static CapturedMessage captured(Envelope envelope, String raw) {
    byte[] bytes = raw.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    return CapturedMessage.of(1, Instant.parse("2025-01-01T10:00:00Z"), envelope, bytes);
  }

  static Envelope envelope(String tlsProtocol, String authenticatedUser) {
    return new Envelope(
        "shop@example.com",
        List.of("alice@example.com"),
        "client.example.com",
        "127.0.0.1",
        40000,
        "session-1",
        tlsProtocol,
        tlsProtocol == null ? null : "TLS_AES_128_GCM_SHA256",
        authenticatedUser);
  }

  static CapturedMessage captured(String raw) {
    return captured(envelope(null, null), raw);
  }
}
