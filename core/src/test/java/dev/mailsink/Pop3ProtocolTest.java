package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.testing.TestMail;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Pop3ProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private Mailsink sink;

  @BeforeEach
  void start() throws Exception {
    sink = Mailsink.start(MailsinkConfig.builder().pop3Port(0).build());
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "alice@x.test", "One", "first");
    TestMail.sendRaw(
        sink.smtpHost(),
        sink.smtpPort(),
        "a@x.test",
        "alice@x.test",
        "Subject: Two\r\n\r\nline 1\r\n..dot line\r\nline 3\r\n");
    sink.mailbox().await(2, WAIT);
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  /** A raw POP3 connection: send a line, read a one-line or multi-line reply. */
  private final class Pop3 implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final OutputStream out;

    Pop3() throws IOException {
      socket = new Socket(sink.smtpHost(), sink.pop3Port());
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      out = socket.getOutputStream();
      assertThat(in.readLine()).startsWith("+OK");
    }

    String send(String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return in.readLine();
    }

    List<String> multi(String line) throws IOException {
      String first = send(line);
      assertThat(first).as(line).startsWith("+OK");
      return rest();
    }

    List<String> rest() throws IOException {
      List<String> lines = new ArrayList<>();
      for (String l = in.readLine(); !l.equals("."); l = in.readLine()) {
        lines.add(l);
      }
      return lines;
    }

    void login() throws IOException {
      assertThat(send("USER alice@x.test")).startsWith("+OK");
      assertThat(send("PASS any")).startsWith("+OK alice@x.test has 2 messages");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void refusesTransactionCommandsBeforeLogin() throws Exception {
    try (Pop3 pop = new Pop3()) {
      for (String c : List.of("STAT", "LIST", "RETR 1", "DELE 1", "UIDL", "TOP 1 0", "RSET")) {
        assertThat(pop.send(c)).as(c).isEqualTo("-ERR log in first (USER/PASS or AUTH PLAIN)");
      }
      assertThat(pop.send("PASS x")).isEqualTo("-ERR send USER first");
      pop.login();
    }
  }

  @Test
  void answersBadSyntaxWithErrAndGoesOn() throws Exception {
    try (Pop3 pop = new Pop3()) {
      assertThat(pop.send("")).isEqualTo("-ERR empty command line");
      assertThat(pop.send("XYZZY")).startsWith("-ERR a command keyword is 3 or 4 letters");
      assertThat(pop.send("FROB")).isEqualTo("-ERR unknown command FROB");
      assertThat(pop.send("USER  two-spaces")).contains("single spaces");
      pop.login();
      assertThat(pop.send("RETR x"))
          .isEqualTo("-ERR the message number must be a decimal number, was 'x'");
      assertThat(pop.send("RETR 9")).isEqualTo("-ERR no message 9 (maildrop has 2)");
      assertThat(pop.send("STAT 1")).isEqualTo("-ERR STAT takes no arguments, got 1");
      assertThat(pop.send("USER bob")).isEqualTo("-ERR already logged in");
      assertThat(pop.send("NOOP")).isEqualTo("+OK");
    }
  }

  @Test
  void refusesAnOverLongLineAndGoesOn() throws Exception {
    try (Pop3 pop = new Pop3()) {
      assertThat(pop.send("USER " + "a".repeat(5000))).startsWith("-ERR line too long");
      pop.login();
    }
  }

  @Test
  void answersPipelinedCommandsInOrder() throws Exception {
    try (Pop3 pop = new Pop3()) {
      pop.out.write(
          "CAPA\r\nUSER alice@x.test\r\nPASS p\r\nSTAT\r\nLIST 2\r\nQUIT\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      pop.out.flush();
      assertThat(pop.in.readLine()).startsWith("+OK");
      assertThat(pop.rest()).contains("PIPELINING", "UIDL", "TOP", "USER", "SASL PLAIN");
      assertThat(pop.in.readLine()).startsWith("+OK");
      assertThat(pop.in.readLine()).startsWith("+OK alice@x.test has 2");
      int size2 = sink.mailbox().messages().get(1).size();
      int size1 = sink.mailbox().messages().get(0).size();
      assertThat(pop.in.readLine()).isEqualTo("+OK 2 " + (size1 + size2));
      assertThat(pop.in.readLine()).isEqualTo("+OK 2 " + size2);
      assertThat(pop.in.readLine()).startsWith("+OK Mailsink POP3 signing off");
      assertThat(pop.in.readLine()).isNull();
    }
  }

  @Test
  void servesMessagesDotStuffedAndTopOfMessage() throws Exception {
    try (Pop3 pop = new Pop3()) {
      pop.login();
      assertThat(pop.multi("RETR 2"))
          .containsExactly("Subject: Two", "", "line 1", "..dot line", "line 3");
      assertThat(pop.multi("TOP 2 1")).containsExactly("Subject: Two", "", "line 1");
      assertThat(pop.multi("TOP 2 0")).containsExactly("Subject: Two", "");
    }
  }

  @Test
  void keepsUidlStableAcrossSessions() throws Exception {
    List<String> first;
    try (Pop3 pop = new Pop3()) {
      pop.login();
      first = pop.multi("UIDL");
      assertThat(pop.send("UIDL 2")).isEqualTo("+OK " + first.get(1));
    }
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "alice@x.test", "Three", "3");
    sink.mailbox().await(3, WAIT);
    try (Pop3 pop = new Pop3()) {
      assertThat(pop.send("USER alice@x.test")).startsWith("+OK");
      assertThat(pop.send("PASS any")).startsWith("+OK alice@x.test has 3 messages");
      List<String> second = pop.multi("UIDL");
      assertThat(second).hasSize(3).startsWith(first.toArray(String[]::new));
      assertThat(second.get(2)).isNotIn(first);
    }
  }

  @Test
  void appliesDeletionsOnlyAtQuitAndRsetUndoesThem() throws Exception {
    try (Pop3 pop = new Pop3()) {
      pop.login();
      assertThat(pop.send("DELE 1")).isEqualTo("+OK message 1 deleted");
      assertThat(pop.send("RETR 1")).isEqualTo("-ERR message 1 is deleted");
      assertThat(pop.send("DELE 1")).isEqualTo("-ERR message 1 is deleted");
      assertThat(pop.multi("LIST")).hasSize(1);
      assertThat(pop.send("RSET")).isEqualTo("+OK maildrop has 2 messages");
      assertThat(pop.multi("LIST")).hasSize(2);
      assertThat(pop.send("DELE 2")).startsWith("+OK");
      assertThat(sink.mailbox().count()).isEqualTo(2);
      assertThat(pop.send("QUIT")).isEqualTo("+OK Mailsink POP3 signing off (1 messages deleted)");
    }
    assertThat(sink.mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("One");
  }

  @Test
  void dropsDeletionsWhenTheConnectionEndsWithoutQuit() throws Exception {
    try (Pop3 pop = new Pop3()) {
      pop.login();
      assertThat(pop.send("DELE 1")).startsWith("+OK");
    }
    try (Pop3 pop = new Pop3()) {
      pop.login(); // still two messages: no QUIT, no deletion
    }
  }

  @Test
  void aSecondConcurrentSessionSeesTheDeletionAfterQuit() throws Exception {
    try (Pop3 first = new Pop3();
        Pop3 second = new Pop3()) {
      first.login();
      second.login();
      assertThat(first.send("DELE 1")).startsWith("+OK");
      assertThat(first.send("QUIT")).contains("1 messages deleted");
      // the second session keeps its login snapshot, as RFC 1939 says
      assertThat(second.send("STAT")).startsWith("+OK 2 ");
      assertThat(second.send("QUIT")).contains("0 messages deleted");
    }
    try (Pop3 third = new Pop3()) {
      assertThat(third.send("USER alice@x.test")).startsWith("+OK");
      assertThat(third.send("PASS p")).startsWith("+OK alice@x.test has 1 messages");
    }
  }

  @Test
  void acceptsAuthPlainWithInitialResponseAndWithContinuation() throws Exception {
    String token =
        Base64.getEncoder().encodeToString("\0alice@x.test\0pw".getBytes(StandardCharsets.UTF_8));
    try (Pop3 pop = new Pop3()) {
      assertThat(pop.send("AUTH PLAIN " + token)).startsWith("+OK alice@x.test has 2");
    }
    try (Pop3 pop = new Pop3()) {
      assertThat(pop.send("AUTH PLAIN")).isEqualTo("+ ");
      assertThat(pop.send(token)).startsWith("+OK alice@x.test has 2");
    }
    try (Pop3 pop = new Pop3()) {
      assertThat(pop.send("AUTH PLAIN")).isEqualTo("+ ");
      assertThat(pop.send("*")).isEqualTo("-ERR AUTH cancelled");
      assertThat(pop.send("AUTH PLAIN !!!"))
          .isEqualTo("-ERR AUTH PLAIN response is not valid base64");
      assertThat(pop.send("AUTH LOGIN")).startsWith("-ERR unsupported SASL mechanism LOGIN");
    }
  }

  @Test
  void closeReturnsAtOnceAndClosesReaderSockets() throws Exception {
    try (Pop3 pop = new Pop3()) {
      pop.login();
      sink.close();
      assertThat(pop.in.readLine()).isNull();
    }
  }

  @Test
  void refusesConnectionsOverTheLimit() throws Exception {
    try (Mailsink small =
            Mailsink.start(MailsinkConfig.builder().pop3Port(0).readerMaxConnections(1).build());
        Socket first = new Socket(small.smtpHost(), small.pop3Port())) {
      BufferedReader a =
          new BufferedReader(
              new InputStreamReader(first.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(a.readLine()).startsWith("+OK");
      try (Socket second = new Socket(small.smtpHost(), small.pop3Port())) {
        BufferedReader b =
            new BufferedReader(
                new InputStreamReader(second.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(b.readLine()).startsWith("-ERR [SYS/TEMP] too many");
        assertThat(b.readLine()).isNull();
      }
    }
  }

  @Test
  void closesAnIdleConnection() throws Exception {
    try (Mailsink idle =
            Mailsink.start(
                MailsinkConfig.builder()
                    .pop3Port(0)
                    .readerIdleTimeout(Duration.ofMillis(300))
                    .build());
        Socket s = new Socket(idle.smtpHost(), idle.pop3Port())) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("+OK");
      assertThat(in.readLine()).isEqualTo("-ERR idle timeout, closing connection");
      assertThat(in.readLine()).isNull();
    }
  }
}
