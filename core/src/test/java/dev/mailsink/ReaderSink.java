package dev.mailsink;

import dev.mailsink.testing.TestMail;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Properties;

/** What the Angus Mail POP3 and IMAP client tests share: the sink, its mail and a client store. */
final class ReaderSink {
  private ReaderSink() {}

  /** A sink with all four reader ports (POP3, POP3S, IMAP, IMAPS) on free ports. */
  static Mailsink start(ReaderAuth auth) {
    return Mailsink.start(
        MailsinkConfig.builder()
            .pop3Port(0)
            .pop3sPort(0)
            .imapPort(0)
            .imapsPort(0)
            .readerAuth(auth)
            .build());
  }

  /**
   * An unconnected Angus store for {@code protocol} ({@code pop3}, {@code pop3s}, {@code imap},
   * {@code imaps}) that trusts the sink's certificate and checks its name.
   *
   * @param startTls whether the plain protocol must upgrade with STLS or STARTTLS before login
   */
  static Store store(Mailsink sink, String protocol, int port, boolean startTls) {
    Properties p = new Properties();
    String prefix = "mail." + protocol + ".";
    p.put(prefix + "host", sink.smtpHost());
    p.put(prefix + "port", String.valueOf(port));
    p.put(prefix + "connectiontimeout", "5000");
    p.put(prefix + "timeout", "10000");
    if (protocol.endsWith("s") || startTls) {
      p.put(prefix + "ssl.socketFactory", sink.tls().sslContext().getSocketFactory());
      p.put(prefix + "ssl.checkserveridentity", "true");
    }
    if (startTls) {
      p.put(prefix + "starttls.enable", "true");
      p.put(prefix + "starttls.required", "true");
    }
    try {
      return Session.getInstance(p).getStore(protocol);
    } catch (MessagingException e) {
      throw new AssertionError(e);
    }
  }

  /** Sends a one-line text mail from {@code app@example.com} to {@code to}. */
  static void sendTo(Mailsink sink, String to, String subject) throws MessagingException {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "app@example.com", to, subject, "hello " + to);
  }
}
