package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Credentials;
import dev.mailsink.ReaderAuth;
import dev.mailsink.testing.TestMail;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image's POP3 and IMAP servers at the mapped ports, read with Angus Mail's own {@code pop3},
 * {@code imap}, {@code pop3s} and {@code imaps} providers: mail sent over SMTP to the container is
 * read back byte for byte, a reader's deletion is a deletion of the container's mailbox, and the
 * reader logins set with {@link MailsinkContainer#withReaderAuth(ReaderAuth)} are enforced. One
 * container per configuration (plain, implicit TLS, reader logins), shared by its tests.
 */
@Tag("docker")
@Timeout(180)
class ReaderContainerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ALICE = "alice@example.com";

  /** How a client reaches a reader port: in plain text, upgraded with STLS/STARTTLS, or in TLS. */
  private enum Transport {
    PLAIN,
    UPGRADED,
    IMPLICIT_TLS
  }

  private static Store store(
      MailsinkContainer mailsink, String protocol, int port, Transport transport) {
    Properties p = new Properties();
    String prefix = "mail." + protocol + ".";
    p.put(prefix + "host", mailsink.getHost());
    p.put(prefix + "port", String.valueOf(port));
    p.put(prefix + "connectiontimeout", "10000");
    p.put(prefix + "timeout", "20000");
    if (transport != Transport.PLAIN) {
      p.put(prefix + "ssl.socketFactory", mailsink.tls().sslContext().getSocketFactory());
      p.put(prefix + "ssl.checkserveridentity", "true");
    }
    if (transport == Transport.UPGRADED) {
      p.put(prefix + "starttls.enable", "true");
      p.put(prefix + "starttls.required", "true");
    }
    try {
      return Session.getInstance(p).getStore(protocol);
    } catch (MessagingException e) {
      throw new AssertionError(e);
    }
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
  private static void readsExactly(Store store, String password, CapturedMessage captured)
      throws Exception {
    store.connect(ALICE, password);
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
    static MailsinkContainer mailsink;

    @BeforeAll
    static void start() {
      mailsink = new MailsinkContainer(LocalImage.get());
      mailsink.start();
    }

    @AfterAll
    static void stop() {
      mailsink.stop();
    }

    @BeforeEach
    void empty() {
      mailsink.mailbox().clear();
    }

    @Test
    void pop3ReadsTheMessageByteForByteAndItsDeletionEmptiesTheContainersMailbox()
        throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);
      Store store = store(mailsink, "pop3", mailsink.getPop3Port(), Transport.PLAIN);
      store.connect(ALICE, "any password");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      Message m = inbox.getMessage(1);
      assertThat(m.getSubject()).isEqualTo("Invoice");
      assertThat(bytesOf(m)).isEqualTo(captured.raw());

      m.setFlag(Flags.Flag.DELETED, true);
      assertThat(mailsink.mailbox().findById(captured.id())).as("before QUIT").isPresent();
      inbox.close(true);
      store.close();

      assertThat(mailsink.mailbox().findById(captured.id())).isEmpty();
      assertThat(mailsink.mailbox().count()).isZero();
    }

    @Test
    void imapReadsTheMessageByteForByteAndItsExpungeEmptiesTheContainersMailbox() throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);
      Store store = store(mailsink, "imap", mailsink.getImapPort(), Transport.PLAIN);
      store.connect(ALICE, "any password");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      Message m = inbox.getMessage(1);
      assertThat(m.getSubject()).isEqualTo("Invoice");
      assertThat(((UIDFolder) inbox).getUID(m)).isEqualTo(captured.id());
      assertThat(bytesOf(m)).isEqualTo(captured.raw());

      m.setFlag(Flags.Flag.DELETED, true);
      assertThat(mailsink.mailbox().findById(captured.id())).as("before EXPUNGE").isPresent();
      assertThat(inbox.expunge()).hasSize(1);
      inbox.close(false);
      store.close();

      assertThat(mailsink.mailbox().findById(captured.id())).isEmpty();
      assertThat(mailsink.mailbox().count()).isZero();
    }

    @Test
    void pop3StlsAndImapStartTlsUpgradeThePlainPortsTrustingTheContainersCertificate()
        throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);

      readsExactly(
          store(mailsink, "pop3", mailsink.getPop3Port(), Transport.UPGRADED), "x", captured);
      readsExactly(
          store(mailsink, "imap", mailsink.getImapPort(), Transport.UPGRADED), "x", captured);
    }
  }

  @Nested
  class ImplicitTls {
    static MailsinkContainer mailsink;

    @BeforeAll
    static void start() {
      mailsink = new MailsinkContainer(LocalImage.get()).withReaderTls();
      mailsink.start();
    }

    @AfterAll
    static void stop() {
      mailsink.stop();
    }

    @BeforeEach
    void empty() {
      mailsink.mailbox().clear();
    }

    @Test
    void pop3sReadsTheMessageByteForByteTrustingTheContainersCertificate() throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);

      readsExactly(
          store(mailsink, "pop3s", mailsink.getPop3sPort(), Transport.IMPLICIT_TLS), "x", captured);
    }

    @Test
    void imapsReadsTheMessageByteForByteTrustingTheContainersCertificate() throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);

      readsExactly(
          store(mailsink, "imaps", mailsink.getImapsPort(), Transport.IMPLICIT_TLS), "x", captured);
    }

    @Test
    void anUntrustedClientIsRefusedTheImplicitTlsPorts() {
      for (String protocol : new String[] {"pop3s", "imaps"}) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".host", mailsink.getHost());
        p.put(
            "mail." + protocol + ".port",
            String.valueOf(
                protocol.equals("pop3s") ? mailsink.getPop3sPort() : mailsink.getImapsPort()));
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "20000");

        assertThatThrownBy(() -> Session.getInstance(p).getStore(protocol).connect(ALICE, "x"))
            .as(protocol + " with the JDK's default trust store")
            .isInstanceOf(MessagingException.class)
            .hasStackTraceContaining("PKIX");
      }
    }
  }

  @Nested
  class Auth {
    static MailsinkContainer mailsink;

    @BeforeAll
    static void start() {
      mailsink =
          new MailsinkContainer(LocalImage.get())
              .withReaderAuth(
                  ReaderAuth.users(Credentials.of(ALICE, "s3cret"), Credentials.of("all", "all-pw"))
                      .withCatchAll("all")
                      .tlsOnly());
      mailsink.start();
    }

    @AfterAll
    static void stop() {
      mailsink.stop();
    }

    @BeforeEach
    void empty() {
      mailsink.mailbox().clear();
    }

    @Test
    void pop3RefusesAWrongPasswordAndAcceptsTheConfiguredOne() throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);
      Store wrong = store(mailsink, "pop3", mailsink.getPop3Port(), Transport.UPGRADED);

      assertThatThrownBy(() -> wrong.connect(ALICE, "wrong"))
          .isInstanceOf(AuthenticationFailedException.class);
      readsExactly(
          store(mailsink, "pop3", mailsink.getPop3Port(), Transport.UPGRADED), "s3cret", captured);
    }

    @Test
    void imapRefusesAWrongPasswordAndAcceptsTheConfiguredOne() throws Exception {
      CapturedMessage captured = sendInvoice(mailsink);
      Store wrong = store(mailsink, "imap", mailsink.getImapPort(), Transport.UPGRADED);

      assertThatThrownBy(() -> wrong.connect(ALICE, "wrong"))
          .isInstanceOf(AuthenticationFailedException.class);
      readsExactly(
          store(mailsink, "imap", mailsink.getImapPort(), Transport.UPGRADED), "s3cret", captured);
    }

    @Test
    void anUnknownUserIsRefusedWhateverThePassword() {
      Store stranger = store(mailsink, "imap", mailsink.getImapPort(), Transport.UPGRADED);

      assertThatThrownBy(() -> stranger.connect("mallory@example.com", "s3cret"))
          .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void theRightPasswordInPlainTextIsRefusedWhenLoginsNeedTls() {
      Store pop3 = store(mailsink, "pop3", mailsink.getPop3Port(), Transport.PLAIN);
      Store imap = store(mailsink, "imap", mailsink.getImapPort(), Transport.PLAIN);

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
      for (String to : new String[] {ALICE, "bob@example.com"}) {
        TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
            .to(to)
            .subject("For " + to)
            .send();
      }
      mailsink.mailbox().await(2, WAIT);
      Store store = store(mailsink, "imap", mailsink.getImapPort(), Transport.UPGRADED);
      store.connect("all", "all-pw");
      try {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        List<String> subjects = new ArrayList<>();
        for (Message m : inbox.getMessages()) {
          subjects.add(m.getSubject());
        }
        assertThat(subjects).containsExactly("For " + ALICE, "For bob@example.com");
        inbox.close(false);
      } finally {
        store.close();
      }
    }
  }
}
