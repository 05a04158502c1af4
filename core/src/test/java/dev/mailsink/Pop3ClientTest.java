package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.testing.TestReader;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Pop3ClientTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void listsAndReadsMultipartMessageByteForByte() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword())) {
      CapturedMessage captured = ReaderSink.sendInvoice(sink);

      Store store = ReaderSink.store(sink, "pop3", sink.pop3Port(), false);
      store.connect("alice@example.com", "anything");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      Message m = inbox.getMessage(1);
      assertThat(m.getSubject()).isEqualTo("Invoice");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      m.writeTo(bytes);
      assertThat(bytes.toByteArray()).isEqualTo(captured.raw());
      inbox.close(false);
      store.close();
    }
  }

  @Test
  void deletionAtCloseRemovesTheMessageFromTheMailbox() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword())) {
      ReaderSink.sendTo(sink, "alice@example.com", "Delete me");
      sink.mailbox().await(1, WAIT);
      Store store = ReaderSink.store(sink, "pop3", sink.pop3Port(), false);
      store.connect("alice@example.com", "x");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
      assertThat(sink.mailbox().count()).isEqualTo(1);
      inbox.close(true);
      store.close();
      assertThat(sink.mailbox().count()).isZero();
    }
  }

  @Test
  void readsOverStlsAndOverImplicitTls() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword().tlsOnly())) {
      ReaderSink.sendTo(sink, "alice@example.com", "Secret");
      sink.mailbox().await(1, WAIT);
      for (TestReader reader :
          List.of(
              ReaderSink.reader(sink, "pop3", sink.pop3Port(), true),
              ReaderSink.reader(sink, "pop3s", sink.pop3sPort(), false))) {
        assertThat(reader.inboxSubjects("alice@example.com", "anything")).containsExactly("Secret");
      }
    }
  }

  @Test
  void tlsOnlyRefusesPlainTextLogin() {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword().tlsOnly())) {
      Store store = ReaderSink.store(sink, "pop3", sink.pop3Port(), false);
      assertThatThrownBy(() -> store.connect("alice@example.com", "x"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("TLS");
    }
  }

  @Test
  void configuredUsersRefuseAWrongPassword() throws Exception {
    try (Mailsink sink =
        ReaderSink.start(ReaderAuth.users(Credentials.of("alice@example.com", "right")))) {
      Store wrong = ReaderSink.store(sink, "pop3", sink.pop3Port(), false);
      assertThatThrownBy(() -> wrong.connect("alice@example.com", "wrong"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("wrong user name or password");
      Store right = ReaderSink.store(sink, "pop3", sink.pop3Port(), false);
      right.connect("alice@example.com", "right");
      right.close();
    }
  }

  @Test
  void catchAllSeesEveryMessage() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword().withCatchAll("all"))) {
      ReaderSink.sendTo(sink, "alice@example.com", "A");
      ReaderSink.sendTo(sink, "bob@example.com", "B");
      sink.mailbox().await(2, WAIT);
      assertThat(
              ReaderSink.reader(sink, "pop3", sink.pop3Port(), false)
                  .inboxSubjects("all", "anything"))
          .containsExactlyInAnyOrder("A", "B");
    }
  }
}
