package dev.mailsink.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.testing.TestMail;
import dev.mailsink.testing.TestReader;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import dev.mailsink.web.support.SseClient;
import dev.mailsink.web.support.SseClient.Event;
import dev.mailsink.web.support.WebSink;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deletions made by POP3 and IMAP clients (Angus Mail's {@code pop3} and {@code imap} providers)
 * are deletions of the mailbox the JSON API serves: gone from the list, 404 by id, a {@code
 * deleted} event on the stream.
 */
@Timeout(30)
class ReaderDeletionApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ALICE = "alice@example.com";

  @RegisterExtension
  static final WebSink web = new WebSink(MailsinkConfig.builder().pop3Port(0).imapPort(0).build());

  private static CapturedMessage send(Mailsink to, String subject) {
    TestMail.message()
        .from("app@example.com")
        .to(ALICE)
        .subject(subject)
        .text("body of " + subject)
        .sendTo(to.smtpHost(), to.smtpPort());
    return to.mailbox().latest().orElseThrow();
  }

  private static TestReader reader(String protocol, int port) {
    return TestReader.via(protocol, web.sink().smtpHost(), port);
  }

  private static SseClient events() {
    SseClient events = new SseClient(web.api().client(), web.api().uri("/api/v1/events"));
    events.next("hello", WAIT);
    return events;
  }

  /** The ids of {@code deleted} events until {@code id} is among them. */
  private static List<Long> deletedIdsUntil(SseClient events, long id) {
    List<Long> ids = new ArrayList<>();
    while (!ids.contains(id)) {
      Event deleted = events.next("deleted", WAIT);
      deleted.data().get("ids").forEach(n -> ids.add(n.asLong()));
    }
    return ids;
  }

  private static void assertGoneFromTheApi(CapturedMessage gone, CapturedMessage kept) {
    JsonNode list = web.api().get("/api/v1/messages").json();
    assertThat(list.get("total").asInt()).isEqualTo(1);
    assertThat(list.get("messages").findValuesAsText("subject")).containsExactly(kept.subject());

    Response r = web.api().get("/api/v1/messages/" + gone.id());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().get("error").asText()).isEqualTo("not_found");
    assertThat(r.json().get("message").asText()).isEqualTo("No message with id " + gone.id());
    assertThat(web.api().get("/api/v1/messages/" + kept.id()).status()).isEqualTo(200);
  }

  /** The message of {@code folder} whose subject is {@code subject}. */
  private static Message bySubject(Folder folder, String subject) throws MessagingException {
    for (Message m : folder.getMessages()) {
      if (subject.equals(m.getSubject())) {
        return m;
      }
    }
    throw new AssertionError("no message '" + subject + "' in " + folder.getFullName());
  }

  @Test
  void aMessageExpungedOverImapIsGoneFromTheApiWithADeletedEvent() throws Exception {
    CapturedMessage kept = send(web.sink(), "Keep");
    CapturedMessage doomed = send(web.sink(), "Expunge me");
    try (SseClient events = events()) {
      Store store = reader("imap", web.sink().imapPort()).connect(ALICE, "any password");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      bySubject(inbox, "Expunge me").setFlag(Flags.Flag.DELETED, true);
      assertThat(web.api().get("/api/v1/messages/" + doomed.id()).status())
          .as("flagged \\Deleted but not yet expunged")
          .isEqualTo(200);

      assertThat(inbox.expunge()).hasSize(1);
      inbox.close(false);
      store.close();

      assertThat(deletedIdsUntil(events, doomed.id())).containsExactly(doomed.id());
    }
    assertGoneFromTheApi(doomed, kept);
  }

  @ParameterizedTest
  @ValueSource(strings = {"imap", "pop3"})
  void aMessageDeletedWhenTheFolderClosesIsGoneFromTheApiWithADeletedEvent(String protocol)
      throws Exception {
    CapturedMessage kept = send(web.sink(), "Keep");
    CapturedMessage doomed = send(web.sink(), "Delete me");
    int port = protocol.equals("imap") ? web.sink().imapPort() : web.sink().pop3Port();
    try (SseClient events = events()) {
      // IMAP: STORE +FLAGS \Deleted, then CLOSE; POP3: DELE, then QUIT
      assertThat(reader(protocol, port).deleteBySubject(ALICE, "x", "Delete me")).isEqualTo(1);

      assertThat(deletedIdsUntil(events, doomed.id())).containsExactly(doomed.id());
    }
    assertGoneFromTheApi(doomed, kept);
  }

  @Test
  void aMessageForTwoRecipientsStaysInTheApiUntilBothHaveDeletedIt() throws Exception {
    TestMail.message()
        .from("app@example.com")
        .to(ALICE, "bob@example.com")
        .subject("Shared")
        .text("for both")
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());
    CapturedMessage shared = web.sink().mailbox().latest().orElseThrow();
    try (SseClient events = events()) {
      assertThat(reader("imap", web.sink().imapPort()).deleteBySubject(ALICE, "x", "Shared"))
          .isEqualTo(1);
      assertThat(web.api().get("/api/v1/messages/" + shared.id()).status())
          .as("deleted from Alice's inbox only")
          .isEqualTo(200);

      assertThat(
              reader("pop3", web.sink().pop3Port())
                  .deleteBySubject("bob@example.com", "x", "Shared"))
          .isEqualTo(1);

      assertThat(deletedIdsUntil(events, shared.id())).containsExactly(shared.id());
    }
    assertThat(web.api().get("/api/v1/messages").json().get("total").asInt()).isZero();
    assertThat(web.api().get("/api/v1/messages/" + shared.id()).status()).isEqualTo(404);
  }

  @Test
  void pop3DeleWithoutQuitDeletesNothingWhenTheConnectionDrops() throws Exception {
    // One reader connection at a time: the next one is admitted only after the dropped session
    // has ended, so whatever it did on the way out is done when the assertions run.
    try (Mailsink one =
            Mailsink.start(MailsinkConfig.builder().pop3Port(0).readerMaxConnections(1).build());
        MailsinkWebServer oneWeb = MailsinkWebServer.start(one)) {
      HttpApi oneApi = new HttpApi(oneWeb.url());
      CapturedMessage m = send(one, "Survivor");
      try (Pop3 pop = new Pop3(one)) {
        assertThat(pop.greeting).startsWith("+OK");
        assertThat(pop.send("USER " + ALICE)).startsWith("+OK");
        assertThat(pop.send("PASS x")).startsWith("+OK " + ALICE + " has 1 messages");
        assertThat(pop.send("DELE 1")).isEqualTo("+OK message 1 deleted");
      } // dropped: no QUIT

      try (Pop3 pop = admitted(one)) {
        assertThat(pop.send("USER " + ALICE)).startsWith("+OK");
        assertThat(pop.send("PASS x")).startsWith("+OK " + ALICE + " has 1 messages");
        assertThat(pop.send("QUIT"))
            .isEqualTo("+OK Mailsink POP3 signing off (0 messages deleted)");
      }
      assertThat(oneApi.get("/api/v1/messages").json().get("total").asInt()).isEqualTo(1);
      assertThat(oneApi.get("/api/v1/messages/" + m.id()).json().get("subject").asText())
          .isEqualTo("Survivor");
    }
  }

  /**
   * A POP3 connection past its greeting, once the server admits one again: while its single
   * connection slot is taken it refuses with {@code -ERR [SYS/TEMP]} and closes.
   */
  private static Pop3 admitted(Mailsink on) throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Pop3 pop = new Pop3(on);
      if (pop.greeting != null && pop.greeting.startsWith("+OK")) {
        return pop;
      }
      pop.close();
      assertThat(pop.greeting).startsWith("-ERR [SYS/TEMP]");
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the dropped POP3 session still holds its slot after " + WAIT);
      }
    }
  }

  /** A raw POP3 connection, one line per command and reply. */
  private static final class Pop3 implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final OutputStream out;
    final String greeting;

    Pop3(Mailsink on) throws IOException {
      socket = new Socket(on.smtpHost(), on.pop3Port());
      socket.setSoTimeout(10_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      out = socket.getOutputStream();
      greeting = in.readLine();
    }

    String send(String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return in.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
