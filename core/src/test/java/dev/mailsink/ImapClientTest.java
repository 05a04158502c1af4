package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.testing.TestReader;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Angus Mail's own IMAP and IMAPS providers against the sink. */
@Timeout(30)
class ImapClientTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static Store connect(Mailsink sink, String user) throws MessagingException {
    Store store = ReaderSink.store(sink, "imap", sink.imapPort(), false);
    store.connect(user, "anything");
    return store;
  }

  @Test
  void listsTheInboxAndReadsAMultipartMessageByteForByte() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword())) {
      CapturedMessage captured = ReaderSink.sendInvoice(sink);

      Store store = connect(sink, "alice@example.com");
      assertThat(store.getDefaultFolder().list("*"))
          .extracting(Folder::getFullName)
          .containsExactly("INBOX");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      Message m = inbox.getMessage(1);
      assertThat(m.getSubject()).isEqualTo("Invoice");
      assertThat(m.getFrom()[0].toString()).isEqualTo("app@example.com");
      assertThat(((UIDFolder) inbox).getUID(m)).isEqualTo(captured.id());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      m.writeTo(bytes);
      assertThat(bytes.toByteArray()).isEqualTo(captured.raw());

      Multipart multipart = (Multipart) m.getContent();
      assertThat(multipart.getCount()).isEqualTo(2);
      BodyPart attachment = multipart.getBodyPart(1);
      assertThat(attachment.getFileName()).isEqualTo("invoice.pdf");
      assertThat(attachment.getContentType()).startsWithIgnoringCase("application/pdf");
      try (InputStream in = attachment.getInputStream()) {
        assertThat(in.readAllBytes()).isEqualTo(ReaderSink.invoicePdf());
      }
      assertThat(((String) multipart.getBodyPart(0).getContent()).replace("\r\n", "\n"))
          .isEqualTo("see attached\n.a line starting with a dot\n");
      inbox.close(false);
      store.close();
    }
  }

  @Test
  void readingSetsSeenAndFlagsAreKeptPerLogin() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword())) {
      ReaderSink.sendTo(sink, "alice@example.com", "Read me");
      sink.mailbox().await(1, WAIT);
      Store store = connect(sink, "alice@example.com");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      assertThat(inbox.getUnreadMessageCount()).isEqualTo(1);
      Message m = inbox.getMessage(1);
      assertThat(m.isSet(Flags.Flag.SEEN)).isFalse();
      m.getContent();
      m.setFlag(Flags.Flag.FLAGGED, true);
      inbox.close(false);

      inbox.open(Folder.READ_WRITE);
      Message again = inbox.getMessage(1);
      assertThat(again.isSet(Flags.Flag.SEEN)).isTrue();
      assertThat(again.isSet(Flags.Flag.FLAGGED)).isTrue();
      assertThat(inbox.getUnreadMessageCount()).isZero();
      assertThat(inbox.search(new SubjectTerm("read"))).hasSize(1);
      inbox.close(false);
      store.close();
    }
  }

  @Test
  void deleteAndExpungeIsTheMailboxDeletionWithItsEvent() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword())) {
      ReaderSink.sendTo(sink, "alice@example.com", "Keep");
      ReaderSink.sendTo(sink, "alice@example.com", "Delete me");
      List<CapturedMessage> both = sink.mailbox().await(2, WAIT);
      CompletableFuture<CapturedMessage> deleted = new CompletableFuture<>();
      try (Mailbox.Subscription s =
          sink.mailbox()
              .subscribe(
                  new MailboxListener() {
                    @Override
                    public void deleted(CapturedMessage message) {
                      deleted.complete(message);
                    }
                  })) {
        Store store = connect(sink, "alice@example.com");
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        inbox.getMessage(2).setFlag(Flags.Flag.DELETED, true);
        Message[] expunged = inbox.expunge();
        assertThat(expunged).hasSize(1);
        assertThat(inbox.getMessageCount()).isEqualTo(1);
        assertThat(inbox.getMessage(1).getSubject()).isEqualTo("Keep");
        inbox.close(false);
        store.close();
        assertThat(deleted.get(5, TimeUnit.SECONDS).id()).isEqualTo(both.get(1).id());
      }
      assertThat(sink.mailbox().messages())
          .extracting(CapturedMessage::subject)
          .containsExactly("Keep");
    }
  }

  @Test
  void readsOverStartTlsAndOverImplicitTls() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword())) {
      ReaderSink.sendTo(sink, "alice@example.com", "Secret");
      sink.mailbox().await(1, WAIT);
      for (TestReader reader :
          List.of(
              ReaderSink.reader(sink, "imap", sink.imapPort(), true),
              ReaderSink.reader(sink, "imaps", sink.imapsPort(), false))) {
        assertThat(reader.inboxSubjects("alice@example.com", "anything")).containsExactly("Secret");
      }
    }
  }

  @Test
  void tlsOnlyRefusesPlainTextLoginButNotAfterStartTls() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword().tlsOnly())) {
      assertThatThrownBy(() -> connect(sink, "alice@example.com"))
          .isInstanceOf(MessagingException.class);
      Store store = ReaderSink.store(sink, "imap", sink.imapPort(), true);
      store.connect("alice@example.com", "x");
      assertThat(store.isConnected()).isTrue();
      store.close();
    }
  }

  @Test
  void configuredUsersRefuseAWrongPassword() throws Exception {
    try (Mailsink sink =
        ReaderSink.start(ReaderAuth.users(Credentials.of("alice@example.com", "s3cret")))) {
      Store wrong = ReaderSink.store(sink, "imap", sink.imapPort(), false);
      assertThatThrownBy(() -> wrong.connect("alice@example.com", "nope"))
          .isInstanceOf(AuthenticationFailedException.class);
      Store right = ReaderSink.store(sink, "imap", sink.imapPort(), false);
      right.connect("alice@example.com", "s3cret");
      assertThat(right.isConnected()).isTrue();
      right.close();
    }
  }

  @Test
  void catchAllSeesEveryMessageAndRecipientsOnlyTheirOwn() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword().withCatchAll("all"))) {
      ReaderSink.sendTo(sink, "alice@example.com", "A");
      ReaderSink.sendTo(sink, "bob@example.com", "B");
      sink.mailbox().await(2, WAIT);
      assertThat(subjects(sink, "all")).containsExactly("A", "B");
      assertThat(subjects(sink, "bob@example.com")).containsExactly("B");
      assertThat(subjects(sink, "carol@example.com")).isEmpty();
    }
  }

  private static List<String> subjects(Mailsink sink, String user) throws MessagingException {
    return ReaderSink.reader(sink, "imap", sink.imapPort(), false).inboxSubjects(user, "anything");
  }

  @Test
  void idleWakesUpWhenAMessageIsCaptured() throws Exception {
    try (Mailsink sink = ReaderSink.start(ReaderAuth.anyPassword())) {
      Store store = connect(sink, "alice@example.com");
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      assertThat(inbox.getMessageCount()).isZero();
      CountDownLatch added = new CountDownLatch(1);
      inbox.addMessageCountListener(
          new jakarta.mail.event.MessageCountAdapter() {
            @Override
            public void messagesAdded(jakarta.mail.event.MessageCountEvent e) {
              added.countDown();
            }
          });
      CompletableFuture<Void> idle =
          CompletableFuture.runAsync(
              () -> {
                try {
                  inbox.idle(true);
                } catch (MessagingException e) {
                  throw new IllegalStateException(e);
                }
              });
      // the IDLE command is under way once the server has a session that waits in it; sending
      // before that is also fine: the session then reports the message when IDLE starts
      ReaderSink.sendTo(sink, "alice@example.com", "Wake up");
      assertThat(added.await(10, TimeUnit.SECONDS)).isTrue();
      idle.get(10, TimeUnit.SECONDS);
      assertThat(inbox.getMessageCount()).isEqualTo(1);
      assertThat(inbox.getMessage(1).getSubject()).isEqualTo("Wake up");
      inbox.close(false);
      store.close();
    }
  }
}
