package dev.mailsink;

import dev.mailsink.testing.TestMail;
import dev.mailsink.testing.TestReader;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.time.Duration;

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
   * A reader for {@code protocol} ({@code pop3}, {@code pop3s}, {@code imap}, {@code imaps}) that
   * trusts the sink's certificate and checks its name.
   *
   * @param startTls whether the plain protocol must upgrade with STLS or STARTTLS before login
   */
  static TestReader reader(Mailsink sink, String protocol, int port, boolean startTls) {
    TestReader reader = TestReader.via(protocol, sink.smtpHost(), port);
    if (startTls) {
      reader.startTls(sink.tls().sslContext());
    } else if (protocol.endsWith("s")) {
      reader.trusting(sink.tls().sslContext());
    }
    return reader;
  }

  /** An unconnected Angus store of {@link #reader}. */
  static Store store(Mailsink sink, String protocol, int port, boolean startTls) {
    return reader(sink, protocol, port, startTls).store();
  }

  /** The attachment of {@link #sendInvoice}: 3000 bytes taking every byte value. */
  static byte[] invoicePdf() {
    byte[] pdf = new byte[3000];
    for (int i = 0; i < pdf.length; i++) {
      pdf[i] = (byte) i;
    }
    return pdf;
  }

  /**
   * Sends alice@example.com a multipart "Invoice" (a text part with a line starting with a dot, and
   * {@link #invoicePdf()} attached) and bob@example.com another mail.
   *
   * @return alice's message as captured
   */
  static CapturedMessage sendInvoice(Mailsink sink) throws MessagingException {
    TestMail.message()
        .from("app@example.com")
        .to("alice@example.com")
        .subject("Invoice")
        .text("see attached\n.a line starting with a dot\n")
        .attach("invoice.pdf", "application/pdf", invoicePdf())
        .sendTo(sink.smtpHost(), sink.smtpPort());
    sendTo(sink, "bob@example.com", "For Bob");
    return sink.mailbox().await(2, Duration.ofSeconds(5)).get(0);
  }

  /** Sends a one-line text mail from {@code app@example.com} to {@code to}. */
  static void sendTo(Mailsink sink, String to, String subject) throws MessagingException {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "app@example.com", to, subject, "hello " + to);
  }
}
