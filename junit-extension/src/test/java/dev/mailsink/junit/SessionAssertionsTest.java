package dev.mailsink.junit;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Mailsink;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.testing.TestMail;
import jakarta.mail.MessagingException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
@MailsinkTest
class SessionAssertionsTest {

  private static void send(Mailsink sink) throws MessagingException {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "app@x.test", "bob@y.test", "Hi", "x");
  }

  @Test
  void aGreylistedFirstAttemptAndItsRetryAreAssertedSessionBySession(Mailsink sink)
      throws Exception {
    sink.faults().add(FaultRule.on(SmtpStage.RCPT).greylist(Duration.ZERO));
    assertThatThrownBy(() -> send(sink)).isInstanceOf(MessagingException.class);
    send(sink);

    TranscriptsAssert attempts = assertThat(sink).sessions().endedExactly(2);
    attempts
        .first()
        .hasCommand("RCPT TO:<bob@y.test>")
        .hasReply("451 4.7.1")
        .firedFault()
        .deliveredNothing()
        .endedWith(SessionEnd.QUIT);
    List<Transcript> sessions = attempts.actual();
    attempts
        .get(1)
        .hasNoReply("451")
        .firedNoFault()
        .delivered(1)
        .startedAtLeastAfter(sessions.get(0), Duration.ZERO);
  }

  @Test
  void aClientThatVanishesMidDataIsFoundByHowItEnded(Mailsink sink) throws Exception {
    try (Socket s = new Socket(sink.smtpHost(), sink.smtpPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          "EHLO x\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buffer = new byte[4096];
      int read = 0;
      // wait for the 354 before sending half a message
      while (!new String(buffer, 0, read, StandardCharsets.US_ASCII).contains("354 ")) {
        read += s.getInputStream().read(buffer, read, buffer.length - read);
      }
      out.write("Subject: cut\r\n\r\nhal".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    assertThat(sink.sessions())
        .someEnded(t -> t.end() == SessionEnd.CLIENT_DISCONNECTED)
        .endDetailContains("during DATA, after 19 bytes")
        .deliveredNothing();
  }

  @Test
  void failuresShowTheTranscript(Mailsink sink) throws Exception {
    send(sink);
    assertThatThrownBy(() -> assertThat(sink).sessions().endedAtLeast(1).first().hasReply("554"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a reply starting with '554', in:")
        .hasMessageContaining("C: MAIL FROM:<app@x.test>");
    assertThatThrownBy(
            () ->
                assertThat(sink)
                    .sessions()
                    .within(Duration.ofMillis(50))
                    .someEnded(t -> t.end() == SessionEnd.FAULT))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected 1 ended session(s) matching the filter within PT0.05S")
        .hasMessageContaining("ended QUIT");
  }

  @Test
  void eachTestSeesOnlyItsOwnSessions(Mailsink sink) throws Exception {
    // the other tests of this class left sessions behind; the extension cleared them
    send(sink);
    assertThat(sink).sessions().endedExactly(1);
  }

  @Test
  void sessionsNeedTheSink(Mailsink sink) {
    assertThatThrownBy(() -> assertThat(sink.mailbox()).sessions())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("sessions() needs the sink");
  }
}
