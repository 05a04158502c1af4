package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SmtpProtocolTest {
  private static final int MAX_BYTES = 64 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static Mailsink sink;

  @BeforeAll
  static void start() {
    sink = Mailsink.start(MailsinkConfig.builder().maxMessageBytes(MAX_BYTES).build());
  }

  @AfterAll
  static void stop() {
    sink.close();
  }

  @BeforeEach
  void emptyMailbox() {
    sink.mailbox().clear();
  }

  @Test
  void ehloAdvertisesTheExtensionsThatWork() throws Exception {
    try (SmtpScript smtp = SmtpScript.connect(sink)) {
      assertThat(smtp.expectCode(220).text()).startsWith("localhost ESMTP");
      SmtpScript.Reply ehlo = smtp.send("EHLO client.test").expectCode(250);
      assertThat(ehlo.extensions())
          .contains(
              "PIPELINING",
              "SIZE " + MAX_BYTES,
              "8BITMIME",
              "SMTPUTF8",
              "CHUNKING",
              "ENHANCEDSTATUSCODES");
    }
  }

  @Test
  void heloIsEnoughForAPlainTransaction() throws Exception {
    try (SmtpScript smtp = SmtpScript.connect(sink)) {
      smtp.expectCode(220);
      assertThat(smtp.send("HELO").expectCode(501).text()).startsWith("5.5.4");
      assertThat(smtp.send("HELO old.client").expectCode(250).text()).isEqualTo("localhost");
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw("Subject: helo\r\n\r\nx\r\n.\r\n").expectCode(250);
    }
    assertThat(sink.mailbox().await(1, WAIT).get(0).envelope().heloName()).isEqualTo("old.client");
  }

  @Test
  void pipelinedTransactionIsAnsweredInOrderAndStoredOnce() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.sendRaw(
          "MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<c@y.test>\r\nDATA\r\n"
              + "Subject: piped\r\n\r\nhello\r\n.\r\n"
              + "MAIL FROM:<a@x.test>\r\nRCPT TO:<d@y.test>\r\nDATA\r\n"
              + "Subject: second\r\n\r\nagain\r\n.\r\nQUIT\r\n");
      smtp.expectCode(250);
      smtp.expectCode(250);
      smtp.expectCode(250);
      smtp.expectCode(354);
      assertThat(smtp.expectCode(250).text()).startsWith("2.0.0 Ok: queued as ");
      smtp.expectCode(250);
      smtp.expectCode(250);
      smtp.expectCode(354);
      smtp.expectCode(250);
      smtp.expectCode(221);
    }
    List<CapturedMessage> got = sink.mailbox().await(2, WAIT);
    assertThat(got).extracting(CapturedMessage::subject).containsExactly("piped", "second");
    assertThat(got.get(0).envelope().recipients()).containsExactly("b@y.test", "c@y.test");
    assertThat(new String(got.get(0).raw(), StandardCharsets.US_ASCII))
        .isEqualTo("Subject: piped\r\n\r\nhello\r\n");
  }

  @Test
  void bdatChunksAreJoinedIntoOneMessage() throws Exception {
    String part1 = "Subject: chunked\r\n\r\nfirst ";
    String part2 = "second\r\n.not stuffed\r\n";
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.sendRaw("BDAT " + part1.length() + "\r\n" + part1);
      assertThat(smtp.expectCode(250).text())
          .isEqualTo("2.0.0 " + part1.length() + " octets received");
      smtp.sendRaw("BDAT " + part2.length() + " LAST\r\n" + part2);
      assertThat(smtp.expectCode(250).text()).startsWith("2.0.0 Ok: queued as");
      smtp.send("NOOP").expectCode(250);
    }
    CapturedMessage m = sink.mailbox().await(1, WAIT).get(0);
    assertThat(new String(m.raw(), StandardCharsets.US_ASCII)).isEqualTo(part1 + part2);
  }

  @Test
  void bdatWithoutTransactionIsRefusedAfterReadingTheChunk() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.sendRaw("BDAT 12 LAST\r\nNOOP\r\nNOOP\r\n");
      assertThat(smtp.expectCode(503).text()).startsWith("5.5.1");
      smtp.send("NOOP").expectCode(250);
    }
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void dotStuffedLinesAreUnstuffed() throws Exception {
    send("Subject: dots\r\n\r\n..leading dot\r\n...two dots\r\n.\r\n", "a@x.test", "b@y.test");
    CapturedMessage m = sink.mailbox().await(1, WAIT).get(0);
    assertThat(new String(m.raw(), StandardCharsets.US_ASCII))
        .isEqualTo("Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n");
    assertThat(m.text()).contains(".leading dot\r\n..two dots\r\n");
  }

  @Test
  void aMessageOfExactlyTheLimitSentInUnevenPiecesIsStoredByteForByte() throws Exception {
    byte[] stored = messageOfLength(MAX_BYTES);
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      byte[] wire = dotStuffed(stored);
      for (int at = 0; at < wire.length; at += 7919) {
        smtp.sendRaw(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 7919)));
      }
      smtp.sendRaw(".\r\n").expectCode(250);
    }
    assertThat(sink.mailbox().await(1, WAIT).get(0).raw()).isEqualTo(stored);
  }

  @Test
  void oneByteOverTheLimitIsRefusedAndNotStored() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw(dotStuffed(messageOfLength(MAX_BYTES + 1))).sendRaw(".\r\n");
      assertThat(smtp.expectCode(552).text()).startsWith("5.3.4");
      smtp.send("NOOP").expectCode(250);
    }
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void bdatChunksUpToTheLimitAreJoinedByteForByte() throws Exception {
    byte[] stored = messageOfLength(MAX_BYTES);
    int[] cuts = {0, 3, 20_000, 20_001, 50_000, MAX_BYTES};
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      for (int i = 1; i < cuts.length; i++) {
        int size = cuts[i] - cuts[i - 1];
        String last = i == cuts.length - 1 ? " LAST" : "";
        smtp.sendRaw("BDAT " + size + last + "\r\n");
        smtp.sendRaw(Arrays.copyOfRange(stored, cuts[i - 1], cuts[i])).expectCode(250);
      }
    }
    assertThat(sink.mailbox().await(1, WAIT).get(0).raw()).isEqualTo(stored);
  }

  /** A message of exactly {@code length} bytes whose lines start with dots every so often. */
  private static byte[] messageOfLength(int length) {
    StringBuilder text = new StringBuilder("Subject: exact\r\n\r\n");
    for (int line = 0; text.length() < length; line++) {
      text.append(line % 3 == 0 ? "." : "")
          .append("line ")
          .append(line)
          .append(" ")
          .append("x".repeat(line % 90))
          .append("\r\n");
    }
    text.setLength(length - 2);
    return text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The DATA form of a message: a dot doubled at the start of each line. */
  private static byte[] dotStuffed(byte[] message) {
    String text = new String(message, StandardCharsets.US_ASCII);
    return (text.startsWith(".") ? "." : "")
        .concat(text.replace("\r\n.", "\r\n.."))
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void bareLineFeedsAreKeptAndDoNotEndTheData() throws Exception {
    send("Subject: lf\r\n\r\nline one\nline two\n.\nstill data\r\n.\r\n", "a@x.test", "b@y.test");
    CapturedMessage m = sink.mailbox().await(1, WAIT).get(0);
    assertThat(new String(m.raw(), StandardCharsets.US_ASCII))
        .isEqualTo("Subject: lf\r\n\r\nline one\nline two\n.\nstill data\r\n");
  }

  @Test
  void thousandCharacterLineIsStoredWhole() throws Exception {
    String longLine = "x".repeat(998);
    send("Subject: long\r\n\r\n" + longLine + "\r\n.\r\n", "a@x.test", "b@y.test");
    CapturedMessage m = sink.mailbox().await(1, WAIT).get(0);
    assertThat(m.text()).hasValue(longLine + "\r\n");
  }

  @Test
  void eightBitBodyIsStoredByteForByte() throws Exception {
    byte[] body =
        "Subject: 8bit\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGrüße, ½ €\r\n"
            .getBytes(StandardCharsets.UTF_8);
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test> BODY=8BITMIME").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw(body).sendRaw(".\r\n").expectCode(250);
    }
    CapturedMessage m = sink.mailbox().await(1, WAIT).get(0);
    assertThat(m.raw()).isEqualTo(body);
    assertThat(m.text()).hasValue("Grüße, ½ €\r\n");
  }

  @Test
  void nullSenderIsAccepted() throws Exception {
    send("Subject: bounce\r\n\r\nreturned\r\n.\r\n", "", "b@y.test");
    CapturedMessage m = sink.mailbox().await(1, WAIT).get(0);
    assertThat(m.envelope().sender()).isEmpty();
    assertThat(m.envelope().isNullSender()).isTrue();
  }

  @Test
  void thousandRecipientsAreAllRecorded() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      StringBuilder rcpts = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        rcpts.append("RCPT TO:<user").append(i).append("@y.test>\r\n");
      }
      smtp.sendRaw(rcpts.toString());
      for (int i = 0; i < 1000; i++) {
        smtp.expectCode(250);
      }
      smtp.send("RCPT TO:<one-too-many@y.test>");
      assertThat(smtp.expectCode(452).text()).startsWith("4.5.3");
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw("Subject: many\r\n\r\nhi\r\n.\r\n").expectCode(250);
    }
    CapturedMessage m = sink.mailbox().await(1, WAIT).get(0);
    assertThat(m.envelope().recipients())
        .hasSize(1000)
        .startsWith("user0@y.test")
        .endsWith("user999@y.test");
  }

  @Test
  void declaredSizeOverTheLimitIsRefusedAtMail() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test> SIZE=" + (MAX_BYTES + 1));
      assertThat(smtp.expectCode(552).text()).startsWith("5.3.4");
      smtp.send("MAIL FROM:<a@x.test> SIZE=" + MAX_BYTES).expectCode(250);
    }
  }

  @Test
  void undeclaredOversizedMessageIsRefusedDrainedAndNotStored() throws Exception {
    String big = "Subject: big\r\n\r\n" + ("y".repeat(76) + "\r\n").repeat(MAX_BYTES / 78 + 10);
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw(big + ".\r\n");
      assertThat(smtp.expectCode(552).text()).startsWith("5.3.4");
      // the rest of the message was drained, not read as commands
      smtp.send("NOOP").expectCode(250);
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw("Subject: small\r\n\r\nok\r\n.\r\n").expectCode(250);
    }
    assertThat(sink.mailbox().await(1, WAIT))
        .extracting(CapturedMessage::subject)
        .containsExactly("small");
  }

  @Test
  void oversizedBdatMessageIsRefusedAndNotStored() throws Exception {
    int chunk = MAX_BYTES / 2 + 1;
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.sendRaw("BDAT " + chunk + "\r\n" + "z".repeat(chunk)).expectCode(250);
      smtp.sendRaw("BDAT " + chunk + " LAST\r\n" + "z".repeat(chunk));
      assertThat(smtp.expectCode(552).text()).startsWith("5.3.4");
      smtp.send("NOOP").expectCode(250);
    }
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void commandsOutOfOrderAreAnswered503() throws Exception {
    try (SmtpScript smtp = SmtpScript.connect(sink)) {
      smtp.expectCode(220);
      assertThat(smtp.send("MAIL FROM:<a@x.test>").expectCode(503).text()).startsWith("5.5.1");
      smtp.send("EHLO client.test").expectCode(250);
      assertThat(smtp.send("RCPT TO:<b@y.test>").expectCode(503).text()).startsWith("5.5.1");
      assertThat(smtp.send("DATA").expectCode(503).text()).startsWith("5.5.1");
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      assertThat(smtp.send("MAIL FROM:<a@x.test>").expectCode(503).text()).startsWith("5.5.1");
      assertThat(smtp.send("DATA").expectCode(503).text()).startsWith("5.5.1");
    }
  }

  @Test
  void unknownCommandIsAnswered500WithEnhancedCode() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      assertThat(smtp.send("FROB nicate").expectCode(500).text()).startsWith("5.5.2 ");
      assertThat(smtp.send("XY").expectCode(500).text()).startsWith("5.5.2 ");
      smtp.send("NOOP").expectCode(250);
    }
  }

  @Test
  void syntaxErrorsAreAnswered501() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      assertThat(smtp.send("EHLO").expectCode(501).text()).startsWith("5.5.4");
      assertThat(smtp.send("MAIL TO:<a@x.test>").expectCode(501).text()).startsWith("5.5.4");
      assertThat(smtp.send("MAIL FROM:<a@x.test").expectCode(501).text()).startsWith("5.1.7");
      assertThat(smtp.send("MAIL FROM:<a@x.test> SIZE=big").expectCode(501).text())
          .startsWith("5.5.4");
      assertThat(smtp.send("MAIL FROM:<a@x.test> FROBNICATE=1").expectCode(555).text())
          .startsWith("5.5.4");
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      assertThat(smtp.send("RCPT TO:<>").expectCode(501).text()).startsWith("5.1.3");
      assertThat(smtp.send("RCPT TO:<a b@y.test>").expectCode(501).text()).startsWith("5.1.3");
    }
  }

  @Test
  void rsetNoopVrfyHelpAndQuitBehave() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      assertThat(smtp.send("RSET").expectCode(250).text()).startsWith("2.0.0");
      smtp.send("DATA").expectCode(503);
      assertThat(smtp.send("NOOP").expectCode(250).text()).startsWith("2.0.0");
      assertThat(smtp.send("VRFY bob@y.test").expectCode(252).text()).startsWith("2.5.2");
      assertThat(smtp.send("HELP").expectCode(214).text()).startsWith("2.0.0");
      assertThat(smtp.send("QUIT").expectCode(221).text()).startsWith("2.0.0");
      assertThat(smtp.isClosedByServer()).isTrue();
    }
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void everyReplyAfterTheGreetingCarriesAnEnhancedCode() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      String[] commands = {
        "NOOP",
        "VRFY x",
        "EXPN list",
        "STARTTLS",
        "MAIL FROM:<a@x.test>",
        "RCPT TO:<b@y.test>",
        "RSET",
        "BOGUS",
        "HELP"
      };
      for (String command : commands) {
        SmtpScript.Reply reply = smtp.send(command).reply();
        assertThat(reply.text())
            .as("reply to %s: %s", command, reply)
            .matches("[245]\\.\\d{1,3}\\.\\d{1,3}( .*)?");
      }
    }
  }

  @Test
  void messageIsStoredBeforeTheFinalReply() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      String queued = smtp.sendRaw("Subject: now\r\n\r\nx\r\n.\r\n").expectCode(250).text();
      long id = Long.parseLong(queued.substring(queued.lastIndexOf(' ') + 1));
      assertThat(sink.mailbox().findById(id)).isPresent();
    }
  }

  @Test
  void connectionDroppedMidDataStoresNothing() throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw("Subject: cut\r\n\r\nhalf a mess");
    }
    // a following complete message proves the server went on; the cut one must not be there
    send("Subject: whole\r\n\r\nx\r\n.\r\n", "a@x.test", "b@y.test");
    assertThat(sink.mailbox().await(1, WAIT))
        .extracting(CapturedMessage::subject)
        .containsExactly("whole");
  }

  @Test
  void envelopeRecordsHeloAndClient() throws Exception {
    send("Subject: env\r\n\r\nx\r\n.\r\n", "a@x.test", "b@y.test");
    Envelope e = sink.mailbox().await(1, WAIT).get(0).envelope();
    assertThat(e.heloName()).isEqualTo("client.test");
    assertThat(e.clientAddress()).isEqualTo("127.0.0.1");
    assertThat(e.clientPort()).isPositive();
    assertThat(e.sessionId()).isNotBlank();
    assertThat(e.isTls()).isFalse();
    assertThat(e.authenticatedUser()).isNull();
  }

  @Test
  void tooManyConnectionsAreRefusedWith421() throws Exception {
    try (Mailsink small = Mailsink.start(MailsinkConfig.builder().maxConnections(2).build());
        SmtpScript first = SmtpScript.ehlo(small);
        SmtpScript second = SmtpScript.ehlo(small);
        SmtpScript third = SmtpScript.connect(small)) {
      assertThat(third.expectCode(421).text()).startsWith("4.7.0");
      assertThat(third.isClosedByServer()).isTrue();
      first.send("NOOP").expectCode(250);
      second.send("NOOP").expectCode(250);
    }
  }

  @Test
  void idleConnectionIsClosedWith421() throws Exception {
    try (Mailsink impatient =
            Mailsink.start(MailsinkConfig.builder().idleTimeout(Duration.ofMillis(300)).build());
        SmtpScript smtp = SmtpScript.ehlo(impatient)) {
      // the server speaks first when the client stays silent
      assertThat(smtp.expectCode(421).text()).startsWith("4.4.2");
      assertThat(smtp.isClosedByServer()).isTrue();
    }
  }

  private static void send(String data, String from, String to) throws Exception {
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<" + from + ">").expectCode(250);
      smtp.send("RCPT TO:<" + to + ">").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw(data).expectCode(250);
      smtp.send("QUIT").expectCode(221);
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
