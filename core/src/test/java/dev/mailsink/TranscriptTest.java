package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.session.TranscriptEntry;
import dev.mailsink.testing.TestMail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class TranscriptTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String PASSWORD = "s3cret-Pa55word";

  private static List<Transcript> ended(Mailsink sink, int count) {
    return sink.sessions().await(t -> !t.isOpen(), count, WAIT);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMessageLinksToTheTranscriptOfItsSession() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "Hello", "body text");
      CapturedMessage message = sink.mailbox().await(1, WAIT).get(0);
      Transcript t = ended(sink, 1).get(0);

      assertThat(message.transcript())
          .hasValueSatisfying(m -> assertThat(m.id()).isEqualTo(t.id()));
      assertThat(t.id()).isEqualTo(message.envelope().sessionId());
      assertThat(t.messageIds()).containsExactly(message.id());
      assertThat(t.end()).isEqualTo(SessionEnd.QUIT);
      assertThat(t.clientAddress()).isEqualTo("127.0.0.1");
      assertThat(t.serverPort()).isEqualTo(sink.smtpPort());
      assertThat(t.heloName()).isEqualTo(message.envelope().heloName());
      assertThat(t.commands())
          .containsExactly(
              "EHLO " + message.envelope().heloName(),
              "MAIL FROM:<a@x.test>",
              "RCPT TO:<b@y.test>",
              "DATA",
              "QUIT");
      assertThat(t.replies().get(0)).startsWith("220 localhost ESMTP");
      assertThat(t.replies()).contains("354 End data with <CR><LF>.<CR><LF>");
      assertThat(t.replies()).contains("250 2.0.0 Ok: queued as " + message.id());
      assertThat(t.replies()).last().isEqualTo("221 2.0.0 Bye");
      assertThat(t.entries(TranscriptEntry.Kind.DATA))
          .singleElement()
          .extracting(TranscriptEntry::text)
          .isEqualTo(message.size() + " bytes");
      assertThat(t.toText()).doesNotContain("body text").contains("C: MAIL FROM:<a@x.test>");
      assertThat(t.entries()).isSortedAccordingTo((x, y) -> x.at().compareTo(y.at()));
    }
  }

  @Test
  void startTlsAuthGreylistAndRetryAreReadBackWithoutCredentials() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder()
            .startTls(TlsMode.REQUIRED)
            .auth(AuthConfig.required(Credentials.of("app", PASSWORD)))
            .build();
    try (Mailsink sink = Mailsink.start(config)) {
      sink.faults().add(FaultRule.on(SmtpStage.RCPT).greylist(Duration.ZERO));
      TestMail mail =
          TestMail.via(sink.smtpHost(), sink.smtpPort())
              .from("app@x.test")
              .to("b@y.test")
              .subject("greylisted")
              .startTls(sink.tls().sslContext())
              .auth("app", PASSWORD);
      assertThatThrownBy(mail::send)
          .isInstanceOf(SendFailedException.class)
          .hasStackTraceContaining("451 4.7.1");
      mail.send();

      List<Transcript> sessions = ended(sink, 2);
      Transcript first = sessions.get(0);
      Transcript second = sessions.get(1);
      assertThat(first.messageIds()).isEmpty();
      assertThat(first.replies()).contains("451 4.7.1 Greylisted, please try again later");
      assertThat(first.faults())
          .containsExactly("rule #1 at RCPT: 451 4.7.1 Greylisted, please try again later");
      assertThat(second.messageIds()).hasSize(1);
      assertThat(second.faults()).isEmpty();
      assertThat(second.startedAt()).isAfterOrEqualTo(first.startedAt());
      for (Transcript t : sessions) {
        assertThat(t.tlsProtocol()).startsWith("TLSv1.");
        assertThat(t.tlsCipher()).isNotBlank();
        assertThat(t.authMechanism()).isEqualTo("LOGIN");
        assertThat(t.authenticatedUser()).isEqualTo("app");
        assertThat(t.commands())
            .contains("STARTTLS", "AUTH LOGIN", "[credentials redacted]")
            .doesNotContain(b64("app"), b64(PASSWORD));
        assertThat(t.entries(TranscriptEntry.Kind.AUTH))
            .extracting(TranscriptEntry::text)
            .containsExactly("LOGIN as app: authenticated");
        assertThat(t.entries(TranscriptEntry.Kind.TLS)).hasSize(1);
        String text = t.toText();
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(b64(PASSWORD));
      }
      CapturedMessage delivered = sink.mailbox().await(1, WAIT).get(0);
      assertThat(delivered.transcript().orElseThrow().id()).isEqualTo(second.id());
    }
  }

  private static void send(Session session, String user, String password)
      throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom("app@x.test");
    message.setRecipients(Message.RecipientType.TO, "b@y.test");
    message.setSubject("greylisted");
    message.setText("x");
    Transport.send(message, user, password);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "LOGIN"})
  void everyMechanismsResponsesAreRedactedButTheUserIsNamed(String mechanism) throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().auth(AuthConfig.optional(Credentials.of("app", PASSWORD))).build();
    try (Mailsink sink = Mailsink.start(config)) {
      Properties props = new Properties();
      props.put("mail.smtp.host", sink.smtpHost());
      props.put("mail.smtp.port", String.valueOf(sink.smtpPort()));
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.auth.mechanisms", mechanism);
      send(Session.getInstance(props), "app", PASSWORD);
      assertThatThrownBy(() -> send(Session.getInstance(props), "app", "wrong-" + PASSWORD))
          .isInstanceOf(jakarta.mail.AuthenticationFailedException.class);

      List<Transcript> sessions = ended(sink, 2);
      assertThat(sessions.get(0).entries(TranscriptEntry.Kind.AUTH))
          .extracting(TranscriptEntry::text)
          .containsExactly(mechanism + " as app: authenticated");
      assertThat(sessions.get(1).entries(TranscriptEntry.Kind.AUTH))
          .extracting(TranscriptEntry::text)
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith(mechanism + " as app: refused (535 5.7.8");
      assertThat(sessions.get(1).authenticatedUser()).isNull();
      for (Transcript t : sessions) {
        assertThat(t.commands())
            .filteredOn(c -> !isPlainCommand(c) && !c.equals("AUTH " + mechanism))
            .isNotEmpty()
            .allMatch(c -> c.endsWith("[credentials redacted]"));
        assertThat(t.toText()).doesNotContain(PASSWORD).doesNotContain(b64(PASSWORD));
      }
    }
  }

  @Test
  void challengeResponseExchangesAreRedactedLineByLine() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().auth(AuthConfig.optional(Credentials.of("app", PASSWORD))).build();
    try (Mailsink sink = Mailsink.start(config)) {
      try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
        String challenge =
            new String(
                Base64.getDecoder().decode(smtp.send("AUTH CRAM-MD5").expectCode(334).text()),
                StandardCharsets.US_ASCII);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
        mac.init(
            new javax.crypto.spec.SecretKeySpec(
                PASSWORD.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        String digest =
            java.util.HexFormat.of()
                .formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.US_ASCII)));
        smtp.send(b64("app " + digest)).expectCode(235);
        smtp.send("QUIT").expectCode(221);
      }
      try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
        smtp.send("AUTH PLAIN").expectCode(334);
        smtp.send(b64("\0app\0" + PASSWORD)).expectCode(235);
      }
      List<Transcript> sessions = ended(sink, 2);
      assertThat(sessions.get(0).commands())
          .containsExactly("EHLO client.test", "AUTH CRAM-MD5", "[credentials redacted]", "QUIT");
      assertThat(sessions.get(0).authMechanism()).isEqualTo("CRAM-MD5");
      assertThat(sessions.get(0).authenticatedUser()).isEqualTo("app");
      assertThat(sessions.get(1).commands())
          .containsExactly("EHLO client.test", "AUTH PLAIN", "[credentials redacted]");
      assertThat(sessions.get(1).entries(TranscriptEntry.Kind.AUTH))
          .extracting(TranscriptEntry::text)
          .containsExactly("PLAIN as app: authenticated");
      assertThat(sessions.get(1).end()).isEqualTo(SessionEnd.CLIENT_DISCONNECTED);
    }
  }

  private static boolean isPlainCommand(String c) {
    return c.startsWith("EHLO")
        || c.startsWith("MAIL")
        || c.startsWith("RCPT")
        || c.equals("DATA")
        || c.equals("QUIT");
  }

  @Test
  void aClientThatVanishesMidDataLeavesASessionThatSaysSo() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
        smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
        smtp.send("RCPT TO:<b@y.test>").expectCode(250);
        smtp.send("DATA").expectCode(354);
        smtp.sendRaw("Subject: cut\r\n\r\nhalf a mess");
      }
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.end()).isEqualTo(SessionEnd.CLIENT_DISCONNECTED);
      assertThat(t.endDetail())
          .isEqualTo(
              "the client closed the connection during DATA, after 27 bytes of message data");
      assertThat(t.messageIds()).isEmpty();
      assertThat(sink.mailbox().count()).isZero();
      assertThat(t.entries())
          .last()
          .extracting(TranscriptEntry::kind)
          .isEqualTo(TranscriptEntry.Kind.END);
    }
  }

  @Test
  void pipelinedCommandsAndDataAreTakenApartCorrectly() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      sink.faults()
          .add(
              FaultRule.on(SmtpStage.RCPT)
                  .when(dev.mailsink.fault.Match.recipient("nobody@y.test"))
                  .reply(550, "5.1.1 No such user"));
      try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
        smtp.sendRaw(
            "MAIL FROM:<a@x.test>\r\nRCPT TO:<nobody@y.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n");
        smtp.expectCode(250);
        smtp.expectCode(550);
        smtp.expectCode(250);
        smtp.expectCode(354);
        // a line of just "..": stuffed, and the terminator and the next command in one write
        smtp.sendRaw("Subject: p\r\n\r\n..\r\nQUIT is not a command here\r\n.\r\nNOOP\r\n");
        smtp.expectCode(250);
        smtp.expectCode(250);
        smtp.send("QUIT").expectCode(221);
      }
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.commands())
          .containsExactly(
              "EHLO client.test",
              "MAIL FROM:<a@x.test>",
              "RCPT TO:<nobody@y.test>",
              "RCPT TO:<b@y.test>",
              "DATA",
              "NOOP",
              "QUIT");
      assertThat(t.entries(TranscriptEntry.Kind.DATA))
          .extracting(TranscriptEntry::text)
          .containsExactly("46 bytes");
      assertThat(t.end()).isEqualTo(SessionEnd.QUIT);
    }
  }

  @Test
  void aRefusedDataDoesNotSwallowTheCommandsAfterIt() throws Exception {
    try (Mailsink sink = Mailsink.start();
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("DATA").expectCode(503);
      smtp.send("NOOP").expectCode(250);
      smtp.send("QUIT").expectCode(221);
      smtp.close();
      assertThat(ended(sink, 1).get(0).commands())
          .containsExactly("EHLO client.test", "DATA", "NOOP", "QUIT");
    }
  }

  @Test
  void bdatChunksAreSizesAndTheCommandsAroundThemStayCommands() throws Exception {
    try (Mailsink sink = Mailsink.start();
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.sendRaw("BDAT 14\r\nSubject: b\r\n\r\nBDAT 3 LAST\r\nx\r\nNOOP\r\n");
      smtp.expectCode(250);
      smtp.expectCode(250);
      smtp.expectCode(250);
      smtp.send("QUIT").expectCode(221);
      smtp.close();
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.commands())
          .containsExactly(
              "EHLO client.test",
              "MAIL FROM:<a@x.test>",
              "RCPT TO:<b@y.test>",
              "BDAT 14",
              "BDAT 3 LAST",
              "NOOP",
              "QUIT");
      assertThat(t.entries(TranscriptEntry.Kind.DATA))
          .extracting(TranscriptEntry::text)
          .containsExactly("BDAT chunk, 14 bytes", "BDAT chunk, 3 bytes");
      assertThat(t.messageIds()).hasSize(1);
    }
  }

  @Test
  void anIdleClientIsRecordedAsTimedOut() throws Exception {
    MailsinkConfig config = MailsinkConfig.builder().idleTimeout(Duration.ofMillis(200)).build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      assertThat(smtp.expectCode(421).text()).startsWith("4.4.2");
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.end()).isEqualTo(SessionEnd.IDLE_TIMEOUT);
      assertThat(t.endDetail()).startsWith("421 4.4.2");
    }
  }

  @Test
  void aFaultDisconnectAtDataIsRecordedAsTheEnd() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      long rule = sink.faults().add(FaultRule.on(SmtpStage.DATA).disconnect());
      assertThatThrownBy(
              () ->
                  TestMail.send(
                      sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "cut", "x"))
          .isInstanceOf(MessagingException.class);
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.end()).isEqualTo(SessionEnd.FAULT);
      assertThat(t.endDetail()).isEqualTo("rule #" + rule + " at DATA cut the connection");
      assertThat(t.faults()).containsExactly("rule #" + rule + " at DATA: disconnect");
    }
  }

  @Test
  void aSessionOverTheConnectionLimitIsRecordedAsRefused() throws Exception {
    MailsinkConfig config = MailsinkConfig.builder().maxConnections(1).build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript first = SmtpScript.ehlo(sink);
        SmtpScript second = SmtpScript.connect(sink)) {
      second.expectCode(421);
      Transcript refused = ended(sink, 1).get(0);
      assertThat(refused.end()).isEqualTo(SessionEnd.REFUSED);
      assertThat(refused.replies())
          .containsExactly("421 4.7.0 Too many connections, try again later");
      assertThat(sink.sessions().sessions()).hasSize(2).filteredOn(Transcript::isOpen).hasSize(1);
    }
  }

  @Test
  void aLineTooLongIsAProtocolError() throws Exception {
    try (Mailsink sink = Mailsink.start();
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("NOOP " + "x".repeat(1500)).expectCode(501);
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.end()).isEqualTo(SessionEnd.PROTOCOL_ERROR);
      assertThat(t.commands().get(1)).startsWith("NOOP xxx").endsWith("more bytes]");
    }
  }

  @Test
  void closingTheServerEndsOpenSessionsAsServerClosing() throws Exception {
    Mailsink sink = Mailsink.start();
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      sink.close();
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.end()).isEqualTo(SessionEnd.SERVER_CLOSING);
    }
  }

  @Test
  void implicitTlsSessionsRecordTheirTls() throws Exception {
    MailsinkConfig config = MailsinkConfig.builder().smtpsPort(0).build();
    try (Mailsink sink = Mailsink.start(config)) {
      Properties props = new Properties();
      props.put("mail.smtps.host", sink.smtpHost());
      props.put("mail.smtps.port", String.valueOf(sink.smtpsPort()));
      props.put("mail.smtps.ssl.socketFactory", sink.tls().sslContext().getSocketFactory());
      Session session = Session.getInstance(props);
      MimeMessage message = new MimeMessage(session);
      message.setFrom("a@x.test");
      message.setRecipients(Message.RecipientType.TO, "b@y.test");
      message.setText("x");
      try (Transport transport = session.getTransport("smtps")) {
        transport.connect();
        transport.sendMessage(message, message.getAllRecipients());
      }
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.serverPort()).isEqualTo(sink.smtpsPort());
      assertThat(t.tlsProtocol()).startsWith("TLSv1.");
      assertThat(t.entries().get(0).kind()).isEqualTo(TranscriptEntry.Kind.REPLY);
      assertThat(t.entries().get(1).kind()).isEqualTo(TranscriptEntry.Kind.TLS);
      assertThat(t.end()).isEqualTo(SessionEnd.QUIT);
    }
  }

  @Test
  void aFailedTlsHandshakeIsRecorded() throws Exception {
    MailsinkConfig config = MailsinkConfig.builder().smtpsPort(0).build();
    try (Mailsink sink = Mailsink.start(config)) {
      try (Socket plain = new Socket(sink.smtpHost(), sink.smtpsPort())) {
        OutputStream out = plain.getOutputStream();
        out.write("EHLO not-tls\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        plain.getInputStream().read();
      } catch (IOException expected) {
        // the server may reset the connection
      }
      Transcript t = ended(sink, 1).get(0);
      assertThat(t.end()).isEqualTo(SessionEnd.TLS_FAILED);
      assertThat(t.tlsProtocol()).isNull();
    }
  }

  @Test
  void theLogKeepsAtMostTheConfiguredNumberOfSessions() throws Exception {
    MailsinkConfig config = MailsinkConfig.builder().retainedSessions(2).build();
    try (Mailsink sink = Mailsink.start(config)) {
      for (int i = 0; i < 4; i++) {
        try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
          smtp.send("NOOP " + i).expectCode(250);
          smtp.send("QUIT").expectCode(221);
        }
        // each session must have ended before the next counts, or open ones would be kept
        int done = i + 1;
        sink.sessions()
            .await(t -> t.commands().contains("NOOP " + (done - 1)) && !t.isOpen(), 1, WAIT);
      }
      assertThat(sink.sessions().sessions())
          .extracting(t -> t.commands().get(1))
          .containsExactly("NOOP 2", "NOOP 3");
      assertThat(sink.sessions().evictedCount()).isEqualTo(2);
    }
  }

  @Test
  void aLongSessionKeepsItsFirstAndLastEntries() throws Exception {
    try (Mailsink sink = Mailsink.start();
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 600; i++) {
        many.append("NOOP ").append(i).append("\r\n");
      }
      smtp.sendRaw(many.toString());
      for (int i = 0; i < 600; i++) {
        smtp.expectCode(250);
      }
      smtp.send("QUIT").expectCode(221);
      Transcript t = ended(sink, 1).get(0);
      // 3 + 1200 + 2 + 1 entries: the first 100 and at least the last 400 are kept
      assertThat(t.entries().size())
          .isBetween(Transcript.HEAD_ENTRIES + Transcript.TAIL_ENTRIES, 600);
      assertThat(t.entries().size() + t.omittedEntries()).isEqualTo(1206);
      assertThat(t.entries().get(Transcript.HEAD_ENTRIES - 1).text())
          .isEqualTo("NOOP 96"); // pipelined: all 600 lines came before the replies
      assertThat(t.commands().get(0)).isEqualTo("EHLO client.test");
      assertThat(t.commands()).last().isEqualTo("QUIT");
      assertThat(t.toText()).contains("entries omitted");
    }
  }

  @Test
  void recordingCanBeTurnedOff() throws Exception {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.builder().recordSessions(false).build())) {
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "x", "x");
      assertThat(sink.mailbox().await(1, WAIT).get(0).transcript()).isEmpty();
      assertThat(sink.sessions().sessions()).isEmpty();
    }
  }

  @Test
  void clearForgetsEndedSessions() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "x", "x");
      ended(sink, 1);
      assertThat(sink.sessions().clear()).isEqualTo(1);
      assertThat(sink.sessions().sessions()).isEmpty();
      assertThat(sink.mailbox().await(1, WAIT).get(0).transcript()).isEmpty();
    }
  }

  @Test
  void awaitFailsListingTheSessionsThereWere() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "x", "x");
      ended(sink, 1);
      assertThatThrownBy(
              () ->
                  sink.sessions().await(t -> t.end() == SessionEnd.FAULT, 1, Duration.ofMillis(50)))
          .isInstanceOf(MailsinkAssertionError.class)
          .hasMessageStartingWith(
              "Expected 1 session matching the filter within PT0.05S but 0 matched of 1 session:")
          .hasMessageContaining("ended QUIT");
    }
  }
}
