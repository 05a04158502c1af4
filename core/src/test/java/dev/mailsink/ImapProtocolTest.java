package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.testing.TestMail;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** IMAP protocol edges over a raw socket. */
@Timeout(30)
class ImapProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private Mailsink sink;
  private List<CapturedMessage> sent;

  @BeforeEach
  void start() {
    sink = start(MailsinkConfig.builder());
  }

  private Mailsink start(MailsinkConfig.Builder builder) {
    if (sink != null) {
      sink.close();
    }
    Mailsink started = Mailsink.start(builder.imapPort(0).build());
    send(started, "alice@x.test", "One", "first body");
    send(started, "bob@x.test", "For Bob", "not alice's");
    send(started, "alice@x.test", "Two", "second body");
    sent = started.mailbox().await(3, WAIT);
    return started;
  }

  private static void send(Mailsink sink, String to, String subject, String body) {
    TestMail.sendRaw(
        sink.smtpHost(),
        sink.smtpPort(),
        "a@x.test",
        to,
        "From: A <a@x.test>\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n");
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  /** A raw IMAP connection; responses with literals are read as one line with the data inline. */
  private final class Imap implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final String greeting;
    int next = 1;

    Imap() throws IOException {
      socket = new Socket(sink.smtpHost(), sink.imapPort());
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      greeting = line();
    }

    /** One response line, with the data of any literal it announces inline; null at EOF. */
    String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        int c = in.read();
        if (c < 0) {
          return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
        }
        if (c == '\n') {
          String s = b.toString(StandardCharsets.UTF_8);
          s = s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
          Matcher m = Pattern.compile("\\{(\\d+)}$").matcher(s);
          if (!m.find()) {
            return s;
          }
          b.reset();
          b.write(s.getBytes(StandardCharsets.UTF_8));
          b.write('\n');
          b.write(in.readNBytes(Integer.parseInt(m.group(1))));
          continue;
        }
        b.write(c);
      }
    }

    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** Sends a tagged command, returns every line up to and including the tagged reply. */
    List<String> run(String command) throws IOException {
      String tag = "t" + next++;
      write(tag + " " + command + "\r\n");
      return until(tag);
    }

    List<String> until(String tag) throws IOException {
      List<String> lines = new ArrayList<>();
      while (true) {
        String l = line();
        assertThat(l).as("reply to %s", tag).isNotNull();
        lines.add(l);
        if (l.startsWith(tag + " ")) {
          return lines;
        }
      }
    }

    /** The tagged reply of a command. */
    String last(String command) throws IOException {
      List<String> lines = run(command);
      return lines.get(lines.size() - 1).replaceFirst("^t\\d+ ", "");
    }

    void login(String user) throws IOException {
      assertThat(last("LOGIN " + user + " secret")).startsWith("OK");
    }

    void select() throws IOException {
      assertThat(last("SELECT INBOX")).startsWith("OK [READ-WRITE]");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void greetsWithCapabilitiesAndRefusesCommandsBeforeLogin() throws Exception {
    try (Imap imap = new Imap()) {
      assertThat(imap.greeting)
          .startsWith("* OK [CAPABILITY IMAP4rev1")
          .contains("IDLE", "AUTH=PLAIN", "LITERAL+", "SASL-IR");
      assertThat(imap.last("SELECT INBOX")).startsWith("NO");
      assertThat(imap.last("FETCH 1 FLAGS")).startsWith("NO");
      assertThat(imap.last("FROBNICATE")).startsWith("BAD");
      assertThat(imap.run("CAPABILITY")).first().asString().startsWith("* CAPABILITY IMAP4rev1");
    }
  }

  @Test
  void badSyntaxGetsBadAndTheSessionGoesOn() throws Exception {
    try (Imap imap = new Imap()) {
      assertThat(imap.last("LOGIN alice@x.test")).startsWith("BAD");
      imap.write("(no tag\r\n");
      assertThat(imap.line()).startsWith("* BAD");
      imap.login("alice@x.test");
      imap.select();
      assertThat(imap.last("FETCH x FLAGS")).startsWith("BAD");
      assertThat(imap.last("FETCH 1 (FLAGS")).startsWith("BAD");
      assertThat(imap.last("FETCH 9 FLAGS")).startsWith("BAD");
      assertThat(imap.last("FETCH 1 (BODY[1.]))")).startsWith("BAD");
      assertThat(imap.last("STORE 1 +FLAGS (\\Recent)")).startsWith("BAD");
      assertThat(imap.last("SEARCH SINCE 31-Foo-2020")).startsWith("BAD");
      assertThat(imap.last("FETCH 1:2 (UID)")).startsWith("OK");
    }
  }

  @Test
  void refusesAHugeLiteralOrLineAndGoesOn() throws Exception {
    try (Imap imap = new Imap()) {
      imap.write("t1 LOGIN {999999999}\r\n");
      assertThat(imap.line()).startsWith("t1 BAD [TOOBIG]");
      // a non-synchronising literal is already on its way: it is skipped, never stored
      imap.write("t2 LOGIN {200000+}\r\n" + "x".repeat(200000) + " secret\r\n");
      assertThat(imap.line()).startsWith("t2 BAD [TOOBIG]");
      imap.write("t3 NOOP " + "y".repeat(100_000) + "\r\n");
      assertThat(imap.line()).startsWith("t3 BAD").contains("too long");
      imap.write("t4 LOGIN {12}\r\n");
      assertThat(imap.line()).startsWith("+");
      imap.write("alice@x.test {6+}\r\nsecret\r\n");
      assertThat(imap.line()).startsWith("t4 OK");
    }
  }

  @Test
  void answersPipelinedCommandsInOrder() throws Exception {
    try (Imap imap = new Imap()) {
      imap.write("a LOGIN alice@x.test pw\r\nb SELECT INBOX\r\nc FETCH 1:* (FLAGS)\r\nd NOOP\r\n");
      List<String> lines = imap.until("d");
      assertThat(lines.stream().filter(l -> l.matches("^[abcd] OK.*")))
          .extracting(l -> l.substring(0, 1))
          .containsExactly("a", "b", "c", "d");
      assertThat(lines).contains("* 2 EXISTS", "* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS ())");
    }
  }

  @Test
  void fetchesUidRangesWithStar() throws Exception {
    long one = sent.get(0).id();
    long two = sent.get(2).id();
    try (Imap imap = new Imap()) {
      imap.login("alice@x.test");
      List<String> select = imap.run("SELECT INBOX");
      assertThat(select).contains("* 2 EXISTS").anyMatch(l -> l.contains("[UIDVALIDITY "));
      assertThat(select).contains("* OK [UIDNEXT " + (two + 1) + "] Predicted next UID");
      assertThat(imap.run("UID FETCH 1:* (UID)"))
          .contains("* 1 FETCH (UID " + one + ")", "* 2 FETCH (UID " + two + ")");
      assertThat(imap.run("FETCH * (UID)")).first().isEqualTo("* 2 FETCH (UID " + two + ")");
      // n:* with n above every UID still names the largest (RFC 3501 6.4.8)
      assertThat(imap.run("UID FETCH 999:* (FLAGS)"))
          .hasSize(2)
          .first()
          .isEqualTo("* 2 FETCH (UID " + two + " FLAGS ())");
      assertThat(imap.run("UID FETCH 998:999 (FLAGS)")).hasSize(1);
    }
  }

  @Test
  void fetchesSectionsPartialsAndStructure() throws Exception {
    try (Imap imap = new Imap()) {
      imap.login("alice@x.test");
      imap.select();
      assertThat(imap.run("FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject)])").get(0))
          .isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {16}\nSubject: One\r\n\r\n)");
      assertThat(imap.run("FETCH 1 (BODY.PEEK[TEXT]<0.5> FLAGS)").get(0))
          .isEqualTo("* 1 FETCH (BODY[TEXT]<0> {5}\nfirst FLAGS ())");
      assertThat(imap.run("FETCH 1 (BODY.PEEK[1])").get(0))
          .isEqualTo("* 1 FETCH (BODY[1] {12}\nfirst body\r\n)");
      assertThat(imap.run("FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (Subject)])").get(0))
          .doesNotContain("Subject:")
          .contains("From: A <a@x.test>\r\nTo: alice@x.test\r\n");
      assertThat(imap.run("FETCH 1 (ENVELOPE RFC822.SIZE)").get(0))
          .contains("\"One\" ((\"A\" NIL \"a\" \"x.test\"))")
          .contains("RFC822.SIZE " + sent.get(0).size());
      assertThat(imap.run("FETCH 1 BODYSTRUCTURE").get(0))
          .startsWith("* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\")");
      assertThat(imap.run("FETCH 1 FAST").get(0)).contains("INTERNALDATE \"", "RFC822.SIZE");
      assertThat(imap.run("FETCH 1 FLAGS").get(0)).isEqualTo("* 1 FETCH (FLAGS ())");
      // BODY[] without PEEK sets \Seen and says so
      List<String> read = imap.run("FETCH 1 BODY[]");
      assertThat(read.get(0)).endsWith(" FLAGS (\\Seen))").contains("first body");
      assertThat(imap.run("FETCH 1 RFC822.HEADER").get(0)).contains("Subject: One");
      assertThat(imap.run("FETCH 1 FLAGS").get(0)).isEqualTo("* 1 FETCH (FLAGS (\\Seen))");
    }
  }

  @Test
  void searchesAndStoresBySequenceAndUid() throws Exception {
    long two = sent.get(2).id();
    try (Imap imap = new Imap()) {
      imap.login("alice@x.test");
      imap.select();
      assertThat(imap.run("SEARCH ALL").get(0)).isEqualTo("* SEARCH 1 2");
      assertThat(imap.run("UID SEARCH SUBJECT two").get(0)).isEqualTo("* SEARCH " + two);
      assertThat(imap.run("SEARCH FROM a@x.test TO alice").get(0)).isEqualTo("* SEARCH 1 2");
      assertThat(imap.run("SEARCH BODY \"second\"").get(0)).isEqualTo("* SEARCH 2");
      assertThat(imap.run("SEARCH TEXT one").get(0)).isEqualTo("* SEARCH 1");
      assertThat(imap.run("SEARCH SINCE 1-Jan-2000 BEFORE 1-Jan-2999").get(0))
          .isEqualTo("* SEARCH 1 2");
      assertThat(imap.run("SEARCH ON 1-Jan-2000").get(0)).isEqualTo("* SEARCH");
      assertThat(imap.run("UID SEARCH UID " + two + ":*").get(0)).isEqualTo("* SEARCH " + two);
      assertThat(imap.run("SEARCH 2:*").get(0)).isEqualTo("* SEARCH 2");
      assertThat(imap.run("STORE 2 +FLAGS (\\Seen \\Flagged)").get(0))
          .isEqualTo("* 2 FETCH (FLAGS (\\Flagged \\Seen))");
      assertThat(imap.run("SEARCH UNSEEN").get(0)).isEqualTo("* SEARCH 1");
      assertThat(imap.run("SEARCH OR SEEN FLAGGED").get(0)).isEqualTo("* SEARCH 2");
      assertThat(imap.run("SEARCH NOT SEEN").get(0)).isEqualTo("* SEARCH 1");
      assertThat(imap.run("SEARCH CHARSET UTF-8 SEEN").get(0)).isEqualTo("* SEARCH 2");
      assertThat(imap.run("UID STORE " + two + " -FLAGS.SILENT (\\Flagged)"))
          .containsExactly("t17 OK UID STORE completed");
      assertThat(imap.run("UID STORE " + two + " FLAGS (\\Deleted)").get(0))
          .isEqualTo("* 2 FETCH (UID " + two + " FLAGS (\\Deleted))");
      assertThat(imap.run("STATUS INBOX (MESSAGES UNSEEN UIDVALIDITY)").get(0))
          .matches("\\* STATUS INBOX \\(MESSAGES 2 UNSEEN 2 UIDVALIDITY \\d+\\)");
    }
  }

  @Test
  void aDeletionIsSeenByASecondSessionOnNoop() throws Exception {
    try (Imap first = new Imap();
        Imap second = new Imap()) {
      first.login("alice@x.test");
      first.select();
      second.login("alice@x.test");
      second.select();
      first.run("STORE 1 +FLAGS.SILENT (\\Deleted)");
      assertThat(first.run("EXPUNGE")).containsExactly("* 1 EXPUNGE", "t4 OK EXPUNGE completed");
      assertThat(second.run("NOOP")).containsExactly("* 1 EXPUNGE", "t3 OK NOOP completed");
      assertThat(sink.mailbox().findById(sent.get(0).id())).isEmpty();
      assertThat(second.run("FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])").get(0))
          .contains("Subject: Two");
    }
  }

  @Test
  void hidingAMessageOtherRecipientsHoldWakesAnIdlingSessionOfTheSameLogin() throws Exception {
    TestMail.message()
        .from("a@x.test")
        .to("alice@x.test", "bob@x.test")
        .subject("Shared")
        .text("for both")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    CapturedMessage shared = sink.mailbox().await(4, WAIT).get(3);
    try (Imap deleter = new Imap();
        Imap idler = new Imap()) {
      deleter.login("alice@x.test");
      deleter.select();
      idler.login("alice@x.test");
      idler.select();
      idler.write("t3 IDLE\r\n");
      assertThat(idler.line()).startsWith("+ ");
      deleter.run("STORE 3 +FLAGS.SILENT (\\Deleted)");
      assertThat(deleter.run("EXPUNGE")).containsExactly("* 3 EXPUNGE", "t4 OK EXPUNGE completed");
      // only alice's inbox hides it: no deleted event, yet the idling session hears of it
      assertThat(idler.line()).isEqualTo("* 3 EXPUNGE");
      idler.write("DONE\r\n");
      assertThat(idler.line()).isEqualTo("t3 OK IDLE terminated");
    }
    assertThat(sink.mailbox().findById(shared.id())).isPresent();
    assertThat(sink.mailbox().forRecipient("bob@x.test").findById(shared.id())).isPresent();
    assertThat(sink.mailbox().forRecipient("alice@x.test").findById(shared.id())).isEmpty();
  }

  @Test
  void aDeletionInTheJavaApiIsReportedAfterTheNextCommand() throws Exception {
    try (Imap imap = new Imap()) {
      imap.login("alice@x.test");
      imap.select();
      sink.mailbox().delete(sent.get(2).id());
      assertThat(imap.run("NOOP")).containsExactly("* 2 EXPUNGE", "t3 OK NOOP completed");
      send(sink, "alice@x.test", "Three", "third");
      sink.mailbox().await(3, WAIT);
      assertThat(imap.run("NOOP")).containsExactly("* 2 EXISTS", "t4 OK NOOP completed");
    }
  }

  @Test
  void idleReportsACapturedMessageAtOnceAndEndsWithDone() throws Exception {
    try (Imap imap = new Imap()) {
      imap.login("alice@x.test");
      imap.select();
      imap.write("t3 IDLE\r\n");
      assertThat(imap.line()).startsWith("+ ");
      send(sink, "alice@x.test", "Three", "third");
      assertThat(imap.line()).isEqualTo("* 3 EXISTS");
      sink.mailbox().delete(sent.get(0).id());
      assertThat(imap.line()).isEqualTo("* 1 EXPUNGE");
      imap.write("DONE\r\n");
      assertThat(imap.line()).isEqualTo("t3 OK IDLE terminated");
      assertThat(imap.last("NOOP")).isEqualTo("OK NOOP completed");
    }
  }

  @Test
  void authenticatePlainWithAnInitialResponseAndWithAContinuation() throws Exception {
    String plain =
        Base64.getEncoder().encodeToString("\0alice@x.test\0pw".getBytes(StandardCharsets.UTF_8));
    try (Imap imap = new Imap()) {
      assertThat(imap.last("AUTHENTICATE PLAIN " + plain)).startsWith("OK");
    }
    try (Imap imap = new Imap()) {
      imap.write("t1 AUTHENTICATE PLAIN\r\n");
      assertThat(imap.line()).isEqualTo("+ ");
      imap.write(plain + "\r\n");
      assertThat(imap.line()).startsWith("t1 OK");
      assertThat(imap.last("LIST \"\" *")).isEqualTo("OK LIST completed");
      assertThat(imap.run("LIST \"\" *").get(0)).isEqualTo("* LIST (\\HasNoChildren) \"/\" INBOX");
      assertThat(imap.last("SELECT Trash")).startsWith("NO");
      assertThat(imap.last("EXAMINE inbox")).startsWith("OK [READ-ONLY]");
      assertThat(imap.last("STORE 1 +FLAGS (\\Seen)")).startsWith("NO [READ-ONLY]");
    }
  }

  @Test
  void tlsOnlyDisablesLoginBeforeStartTls() throws Exception {
    sink = start(MailsinkConfig.builder().readerAuth(ReaderAuth.anyPassword().tlsOnly()));
    try (Imap imap = new Imap()) {
      assertThat(imap.greeting).contains("STARTTLS", "LOGINDISABLED").doesNotContain("AUTH=");
      assertThat(imap.last("LOGIN alice@x.test pw")).startsWith("NO [PRIVACYREQUIRED]");
      assertThat(imap.last("STARTTLS")).startsWith("OK");
    }
  }

  @Test
  void logoutSaysByeAndCloses() throws Exception {
    try (Imap imap = new Imap()) {
      assertThat(imap.run("LOGOUT"))
          .containsExactly("* BYE Mailsink IMAP logging out", "t1 OK LOGOUT completed");
      assertThat(imap.line()).isNull();
    }
  }

  @Test
  void refusesConnectionsOverTheLimit() throws Exception {
    sink = start(MailsinkConfig.builder().readerMaxConnections(1));
    try (Imap first = new Imap()) {
      assertThat(first.greeting).startsWith("* OK");
      try (Imap second = new Imap()) {
        assertThat(second.greeting).startsWith("* BYE [UNAVAILABLE]");
        assertThat(second.line()).isNull();
      }
      assertThat(first.last("NOOP")).startsWith("OK");
    }
  }

  @Test
  void closesASilentConnectionAfterTheIdleTimeout() throws Exception {
    sink = start(MailsinkConfig.builder().readerIdleTimeout(Duration.ofMillis(300)));
    try (Imap imap = new Imap()) {
      imap.login("alice@x.test");
      assertThat(imap.line()).isEqualTo("* BYE idle timeout, closing connection");
      assertThat(imap.line()).isNull();
    }
  }

  @Test
  void closeReturnsAtOnceWithSessionsInIdle() throws Exception {
    Imap imap = new Imap();
    imap.login("alice@x.test");
    imap.select();
    imap.write("t3 IDLE\r\n");
    assertThat(imap.line()).startsWith("+ ");
    sink.close();
    assertThat(imap.line()).isNull();
    imap.close();
  }
}
