package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mailsink.testing.TestMail;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MailsinkLifecycleTest {

  @Test
  void startsOnAFreeLoopbackPort() {
    try (Mailsink sink = Mailsink.start()) {
      assertThat(sink.isRunning()).isTrue();
      assertThat(sink.smtpHost()).isEqualTo("127.0.0.1");
      assertThat(sink.smtpPort()).isPositive();
      assertThat(sink).hasToString("Mailsink{smtp=127.0.0.1:" + sink.smtpPort() + ", running}");
    }
  }

  @Test
  void closeIsIdempotentAndLaterUseFailsFast() {
    Mailsink sink = Mailsink.start();
    sink.close();
    sink.close();
    assertThat(sink.isRunning()).isFalse();
    assertThat(sink).hasToString("Mailsink{closed}");
    assertThatThrownBy(sink::smtpPort)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("smtpPort() called on a closed Mailsink; start a new one");
  }

  @Test
  void closeReleasesThePort() throws Exception {
    Mailsink sink = Mailsink.start();
    int port = sink.smtpPort();
    sink.close();
    try (ServerSocket reuse =
        new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(reuse.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void closeReturnsQuicklyWithClientsMidTransaction() throws Exception {
    Mailsink sink = Mailsink.start();
    SmtpScript midData = SmtpScript.ehlo(sink);
    midData.send("MAIL FROM:<a@x.test>").expectCode(250);
    midData.send("RCPT TO:<b@y.test>").expectCode(250);
    midData.send("DATA").expectCode(354);
    midData.sendRaw("Subject: never finished\r\n\r\nhalf");
    SmtpScript silent = SmtpScript.connect(sink);
    silent.expectCode(220);
    try (midData;
        silent;
        Socket idle = new Socket(sink.smtpHost(), sink.smtpPort())) {
      assertTimeoutPreemptively(Duration.ofSeconds(5), sink::close);
      assertThat(midData.isClosedByServer()).isTrue();
    }
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void portInUseSaysWhichPortAndHowToFixIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      MailsinkConfig config = MailsinkConfig.builder().smtpPort(taken.getLocalPort()).build();
      assertThatThrownBy(() -> Mailsink.start(config))
          .isInstanceOf(MailsinkException.class)
          .hasMessage(
              "Port "
                  + taken.getLocalPort()
                  + " on 127.0.0.1 is in use (or not allowed); use smtpPort(0) for a free port");
    }
  }

  @Test
  void badConfigurationNamesTheValueAndTheRule() {
    assertThatThrownBy(() -> MailsinkConfig.builder().maxMessageBytes(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxMessageBytes must be > 0, was -1");
    assertThatThrownBy(() -> MailsinkConfig.builder().smtpPort(70000).build())
        .hasMessage("smtpPort must be between 0 and 65535 (0 = a free port), was 70000");
    assertThatThrownBy(() -> MailsinkConfig.builder().retainedBytes(10).build())
        .hasMessageStartingWith("retainedBytes must be >= maxMessageBytes");
    assertThatThrownBy(() -> MailsinkConfig.builder().idleTimeout(Duration.ZERO).build())
        .hasMessage("idleTimeout must be positive, was PT0S");
    assertThatThrownBy(() -> MailsinkConfig.builder().bindAddress("no such host.invalid").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mailboxStaysReadableAfterClose() throws Exception {
    Mailsink sink = Mailsink.start();
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "kept", "x");
    sink.close();
    assertThat(sink.mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("kept");
  }

  @Test
  void anExecutorThatRefusesTheFirstThreadFailsTheStartAndFreesThePort() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    MailsinkConfig config =
        MailsinkConfig.builder()
            .smtpPort(port)
            .connectionExecutor(
                () -> {
                  java.util.concurrent.ExecutorService shut =
                      java.util.concurrent.Executors.newCachedThreadPool();
                  shut.shutdown();
                  return shut;
                })
            .build();
    assertThatThrownBy(() -> Mailsink.start(config))
        .isInstanceOf(MailsinkException.class)
        .hasMessageContaining("refused the first thread");
    try (ServerSocket reuse =
        new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(reuse.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void customExecutorRunsTheSessions() throws Exception {
    java.util.concurrent.atomic.AtomicInteger created =
        new java.util.concurrent.atomic.AtomicInteger();
    MailsinkConfig config =
        MailsinkConfig.builder()
            .connectionExecutor(
                () ->
                    java.util.concurrent.Executors.newCachedThreadPool(
                        r -> {
                          created.incrementAndGet();
                          return new Thread(r);
                        }))
            .build();
    try (Mailsink sink = Mailsink.start(config)) {
      TestMail.send(
          sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "via custom executor", "x");
    }
    assertThat(created.get()).isPositive();
  }
}
