package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.relay.RelayAttempt;
import dev.mailsink.relay.RelayAttempt.Result;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.RetryPolicy;
import dev.mailsink.testing.TestMail;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases to postfix's {@code smtp-sink}, an SMTP server that is not Mailsink: what it dumps is
 * what went over the wire. CI installs postfix (see {@code .ci/run}); elsewhere the test is skipped
 * when smtp-sink is missing.
 */
@Timeout(30)
class SmtpSinkRelayTest {
  private static final Path SMTP_SINK = Path.of("/usr/sbin/smtp-sink");
  private static final String RAW =
      "From: app@x.test\r\nTo: bob@y.test\r\nSubject: To smtp-sink\r\n\r\nBody line\r\n"
          + "..two dots on the wire, one in the message\r\n";

  @TempDir Path dumps;
  private final List<Process> processes = new ArrayList<>();
  private final List<Mailsink> sinks = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    sinks.forEach(Mailsink::close);
    for (Process p : processes) {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Starts smtp-sink on a free port with extra options; returns the port once it accepts. */
  private int smtpSink(String... options) throws Exception {
    if (!Files.isExecutable(SMTP_SINK)) {
      Assumptions.assumeTrue(
          System.getenv("CI") == null, "smtp-sink is missing; .ci/run installs postfix");
      throw new AssertionError(SMTP_SINK + " is missing although CI is set");
    }
    Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(SMTP_SINK.toString()));
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("-u", "nobody"));
    }
    command.addAll(List.of("-d", dumps + "/msg."));
    command.addAll(List.of(options));
    command.addAll(List.of("127.0.0.1:" + port, "16"));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(p);
    // a process has no "ready" event: connect until it accepts, or fail when it exits
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return port;
      } catch (IOException notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("smtp-sink did not start: exit " + p.exitValue(), notYet);
        }
        p.waitFor(20, TimeUnit.MILLISECONDS);
      }
    }
  }

  private Mailsink sinkRelayingTo(int port, RetryPolicy retry) {
    Mailsink sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .relay(
                    RelayConfig.builder("127.0.0.1", port)
                        .tls(RelayTls.NONE)
                        .allowedRecipients("*@y.test")
                        .retry(retry)
                        .build())
                .build());
    sinks.add(sink);
    return sink;
  }

  private static CapturedMessage capture(Mailsink sink) {
    TestMail.sendRaw(sink.smtpHost(), sink.smtpPort(), "app@x.test", "bob@y.test", RAW);
    return sink.mailbox().await(1, Duration.ofSeconds(10)).get(0);
  }

  @Test
  void smtpSinkReceivesTheCapturedBytesAfterTheTraceHeader() throws Exception {
    int port = smtpSink();
    Mailsink sink = sinkRelayingTo(port, RetryPolicy.none());
    CapturedMessage captured = capture(sink);

    Release release = sink.release(captured, "bob@y.test").get(10, TimeUnit.SECONDS);

    assertThat(release.status()).isEqualTo(Release.Status.DELIVERED);
    assertThat(release.attempts().get(0).reply()).startsWith("250");
    String dump = onlyDump();
    // smtp-sink writes its own headers (X-Client-Addr, ..., its Received) before the message
    String trace =
        "Received: from "
            + captured.envelope().heloName()
            + " (127.0.0.1)\r\n\tby localhost (Mailsink) with ESMTP id "
            + captured.id()
            + ";\r\n\t"
            + java.time.format.DateTimeFormatter.ofPattern(
                    "EEE, d MMM yyyy HH:mm:ss xx", java.util.Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC)
                .format(captured.receivedAt())
            + "\r\n";
    String sent = trace + new String(captured.raw(), StandardCharsets.UTF_8);
    assertThat(dump.replace("\r\n", "\n")).contains(sent.replace("\r\n", "\n"));
    assertThat(dump).contains("X-Rcpt-Args: <bob@y.test>").contains("X-Mail-Args: <app@x.test>");
  }

  @Test
  void smtpSinkHardErrorsAreFinalAndSoftErrorsAreRetried() throws Exception {
    int hard = smtpSink("-f", "RCPT");
    Mailsink refused = sinkRelayingTo(hard, RetryPolicy.of(3, Duration.ofMillis(10)));
    Release r1 = refused.release(capture(refused), "bob@y.test").get(10, TimeUnit.SECONDS);
    assertThat(r1.status()).isEqualTo(Release.Status.FAILED);
    assertThat(r1.attempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.result()).isEqualTo(Result.REFUSED);
              assertThat(a.replyCode()).isBetween(500, 599);
            });

    int soft = smtpSink("-r", "MAIL");
    Mailsink deferred = sinkRelayingTo(soft, RetryPolicy.of(3, Duration.ofMillis(10)));
    Release r2 = deferred.release(capture(deferred), "bob@y.test").get(10, TimeUnit.SECONDS);
    assertThat(r2.status()).isEqualTo(Release.Status.FAILED);
    assertThat(r2.attempts())
        .hasSize(3)
        .extracting(RelayAttempt::result)
        .containsOnly(Result.DEFERRED);
    assertThat(r2.attempts().get(0).replyCode()).isBetween(400, 499);
    assertThat(deferred.mailbox().count()).isEqualTo(1);
  }

  @Test
  void anUpstreamThatHangsUpIsAConnectionFailure() throws Exception {
    int port = smtpSink("-q", "DATA");
    Mailsink sink = sinkRelayingTo(port, RetryPolicy.of(2, Duration.ofMillis(10)));
    Release release = sink.release(capture(sink), "bob@y.test").get(10, TimeUnit.SECONDS);
    assertThat(release.status()).isEqualTo(Release.Status.FAILED);
    assertThat(release.attempts())
        .hasSize(2)
        .extracting(RelayAttempt::result)
        .containsOnly(Result.CONNECTION_FAILED);
    assertThat(release.attempts().get(0).reply())
        .isEqualTo("the upstream closed the connection instead of answering DATA ([EOF])");
  }

  private String onlyDump() throws IOException {
    try (Stream<Path> files = Files.list(dumps)) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      return Files.readString(all.get(0), StandardCharsets.UTF_8);
    }
  }
}
