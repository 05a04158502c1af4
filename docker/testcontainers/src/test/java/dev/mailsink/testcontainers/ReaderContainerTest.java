package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Credentials;
import dev.mailsink.ReaderAuth;
import dev.mailsink.testing.TestMail;
import dev.mailsink.testing.TestReader;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The image's POP3 and IMAP servers at the mapped ports, read with Angus Mail's own {@code pop3},
 * {@code imap}, {@code pop3s} and {@code imaps} providers: mail sent over SMTP to the container is
 * read back byte for byte, a reader's deletion is a deletion of the container's mailbox, and the
 * reader logins set with {@link MailsinkContainer#withReaderAuth(ReaderAuth)} are enforced. One
 * container per configuration (plain, implicit TLS, reader logins), shared by its tests
 * ({@code @Container} on a static field: started before them, stopped after).
 */
@Tag("docker")
@Timeout(180)
@Testcontainers
class ReaderContainerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ALICE = "alice@example.com";

  /** The mapped port of {@code protocol}'s reader port. */
  private static int port(MailsinkContainer mailsink, String protocol) {
    return switch (protocol) {
      case "pop3" -> mailsink.getPop3Port();
      case "imap" -> mailsink.getImapPort();
      case "pop3s" -> mailsink.getPop3sPort();
      case "imaps" -> mailsink.getImapsPort();
      default -> throw new IllegalArgumentException("no reader protocol " + protocol);
    };
  }

  /** A plain-text reader of {@code protocol} at its mapped port. */
  private static TestReader plain(MailsinkContainer mailsink, String protocol) {
    return TestReader.via(protocol, mailsink.getHost(), port(mailsink, protocol));
  }

  /**
   * A reader trusting the container's certificate: implicit TLS for {@code pop3s} and {@code
   * imaps}, STLS or STARTTLS required on the plain ports.
   */
  private static TestReader overTls(MailsinkContainer mailsink, String protocol) {
    TestReader reader = plain(mailsink, protocol);
    return protocol.endsWith("s")
        ? reader.trusting(mailsink.tls().sslContext())
        : reader.startTls(mailsink.tls().sslContext());
  }

  /** A multipart message with a binary attachment and a line that starts with a dot. */
  private static CapturedMessage sendInvoice(MailsinkContainer mailsink) throws Exception {
    byte[] pdf = new byte[3000];
    for (int i = 0; i < pdf.length; i++) {
      pdf[i] = (byte) i;
    }
    TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
        .from("app@example.com")
        .to(ALICE)
        .subject("Invoice")
        .text("see attached\n.a line starting with a dot\n")
        .attach("invoice.pdf", "application/pdf", pdf)
        .send();
    return mailsink.mailbox().await(1, WAIT).get(0);
  }

  private static byte[] bytesOf(Message m) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.writeTo(bytes);
    return bytes.toByteArray();
  }

  /** Logs in as Alice, checks her only message is {@code captured} byte for byte, logs out. */
  private static void readsExactly(TestReader reader, String password, CapturedMessage captured)
      throws Exception {
    Store store = reader.connect(ALICE, password);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      assertThat(bytesOf(inbox.getMessage(1))).isEqualTo(captured.raw());
      inbox.close(false);
    } finally {
      store.close();
    }
  }

  @Nested
  class Plain {
    @Container static final MailsinkContainer mailsink = new MailsinkContainer(LocalImage.get());

    @BeforeEach
    void empty() {
      mailsink.mailbox().clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pop3", "imap"})
    void readsTheMessageByteForByteAndItsDeletionEmptiesTheContainersMailbox(String protocol)
        throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);
      Store store = plain(mailsink, protocol).connect(ALICE, "any password");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      Message m = inbox.getMessage(1);
      assertThat(m.getSubject()).isEqualTo("Invoice");
      assertThat(bytesOf(m)).isEqualTo(captured.raw());
      if (inbox instanceof UIDFolder uids) {
        assertThat(uids.getUID(m)).as("IMAP UID").isEqualTo(captured.id());
      }

      m.setFlag(Flags.Flag.DELETED, true);
      assertThat(mailsink.mailbox().findById(captured.id())).as("before QUIT/CLOSE").isPresent();
      inbox.close(true);
      store.close();

      assertThat(mailsink.mailbox().findById(captured.id())).isEmpty();
      assertThat(mailsink.mailbox().count()).isZero();
    }
  }

  @Nested
  class ImplicitTls {
    @Container
    static final MailsinkContainer mailsink =
        new MailsinkContainer(LocalImage.get()).withReaderTls();

    @BeforeEach
    void empty() {
      mailsink.mailbox().clear();
    }

    /** POP3S and IMAPS on their own ports, STLS and STARTTLS on the plain ones. */
    @ParameterizedTest
    @ValueSource(strings = {"pop3s", "imaps", "pop3", "imap"})
    void readsTheMessageByteForByteOverTlsTrustingTheContainersCertificate(String protocol)
        throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);

      readsExactly(overTls(mailsink, protocol), "x", captured);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pop3s", "imaps"})
    void aClientThatDoesNotTrustTheCertificateIsRefused(String protocol) {
      // the JDK's default trust store, which does not hold the container's self-signed certificate
      Store untrusting = plain(mailsink, protocol).store();

      assertThatThrownBy(() -> untrusting.connect(ALICE, "x"))
          .isInstanceOf(MessagingException.class)
          .hasStackTraceContaining("PKIX");
    }
  }

  @Nested
  class Auth {
    @Container
    static final MailsinkContainer mailsink =
        new MailsinkContainer(LocalImage.get())
            .withReaderAuth(
                ReaderAuth.users(Credentials.of(ALICE, "s3cret"), Credentials.of("all", "all-pw"))
                    .withCatchAll("all")
                    .tlsOnly());

    @BeforeEach
    void empty() {
      mailsink.mailbox().clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pop3", "imap"})
    void aWrongPasswordIsRefusedAndTheConfiguredOneWorks(String protocol) throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);
      Store wrong = overTls(mailsink, protocol).store();

      assertThatThrownBy(() -> wrong.connect(ALICE, "wrong"))
          .isInstanceOf(AuthenticationFailedException.class);
      readsExactly(overTls(mailsink, protocol), "s3cret", captured);
    }

    @Test
    void anUnknownUserIsRefusedWhateverThePassword() {
      Store stranger = overTls(mailsink, "imap").store();

      assertThatThrownBy(() -> stranger.connect("mallory@example.com", "s3cret"))
          .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void theRightPasswordInPlainTextIsRefusedWhenLoginsNeedTls() {
      Store pop3 = plain(mailsink, "pop3").store();
      Store imap = plain(mailsink, "imap").store();

      assertThatThrownBy(() -> pop3.connect(ALICE, "s3cret"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("TLS");
      // the server announces LOGINDISABLED, so Angus does not even try
      assertThatThrownBy(() -> imap.connect(ALICE, "s3cret"))
          .isInstanceOf(MessagingException.class);
      assertThat(imap.isConnected()).isFalse();
    }

    @Test
    void theCatchAllLoginReadsEveryRecipientsMail() throws Exception {
      for (String to : List.of(ALICE, "bob@example.com")) {
        TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
            .to(to)
            .subject("For " + to)
            .send();
      }
      mailsink.mailbox().await(2, WAIT);

      assertThat(overTls(mailsink, "imap").inboxSubjects("all", "all-pw"))
          .containsExactly("For " + ALICE, "For bob@example.com");
    }
  }
}
