package dev.mailsink.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsMode;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The relay and session flags and their environment variables, without a server. */
class RelayFlagsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private CommandLine commandLine(Map<String, String> env) {
    return Main.commandLine(
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private MailsinkConfig config(Map<String, String> env, String... args) {
    CommandLine cmd = commandLine(env);
    cmd.parseArgs(args);
    return ((ServerCommand) cmd.getCommand()).settings().smtp();
  }

  @Test
  void withoutARelayHostNothingIsRelayed() {
    assertThat(config(Map.of()).relay()).isNull();
  }

  @Test
  void environmentVariablesConfigureTheRelay() {
    RelayConfig relay =
        config(
                Map.of(
                    "MAILSINK_RELAY_HOST", "smtp.example.com",
                    "MAILSINK_RELAY_USER", "me@example.com",
                    "MAILSINK_RELAY_PASSWORD", "env-secret",
                    "MAILSINK_RELAY_ALLOW", "*@example.com,me@gmail.test",
                    "MAILSINK_RELAY_FROM", "bounces@example.com",
                    "MAILSINK_RELAY_AUTO", "qa-*@example.com",
                    "MAILSINK_RELAY_ATTEMPTS", "2",
                    "MAILSINK_RELAY_RETRY_DELAY", "5s",
                    "MAILSINK_RELAY_TIMEOUT", "10s"))
            .relay();
    assertThat(relay.host()).isEqualTo("smtp.example.com");
    assertThat(relay.port()).isEqualTo(587);
    assertThat(relay.tls()).isEqualTo(RelayTls.STARTTLS);
    assertThat(relay.credentials().user()).isEqualTo("me@example.com");
    assertThat(relay.credentials().password()).isEqualTo("env-secret");
    assertThat(relay.allowedRecipients()).containsExactly("*@example.com", "me@gmail.test");
    assertThat(relay.envelopeSender()).isEqualTo("bounces@example.com");
    assertThat(relay.autoRelay()).hasSize(1);
    assertThat(relay.retry().maxAttempts()).isEqualTo(2);
    assertThat(relay.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(relay.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(relay.toString()).doesNotContain("env-secret");
  }

  @Test
  void thePortFollowsTheTlsModeUnlessGiven() {
    assertThat(config(Map.of(), "--relay-host", "h", "--relay-tls", "implicit").relay().port())
        .isEqualTo(465);
    assertThat(config(Map.of(), "--relay-host", "h", "--relay-tls", "none").relay().port())
        .isEqualTo(25);
    assertThat(config(Map.of(), "--relay-host", "h", "--relay-port", "2525").relay().port())
        .isEqualTo(2525);
  }

  @Test
  void thePasswordCanComeFromAFile(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("pw");
    Files.writeString(secret, "from-a-file\n");
    RelayConfig relay =
        config(
                Map.of(),
                "--relay-host",
                "h",
                "--relay-user",
                "u",
                "--relay-password-file",
                secret.toString())
            .relay();
    assertThat(relay.credentials().password()).isEqualTo("from-a-file");
  }

  @Test
  void aTrustFileMayBeAPemCertificate(@TempDir Path dir) throws Exception {
    try (Mailsink tls =
        Mailsink.start(MailsinkConfig.builder().startTls(TlsMode.OPTIONAL).build())) {
      Path pem = dir.resolve("upstream.pem");
      Files.writeString(pem, tls.tls().certificatePem());
      RelayConfig relay =
          config(Map.of("MAILSINK_RELAY_TRUST", pem.toString()), "--relay-host", "h").relay();
      assertThat(relay.trust().sslContext()).isPresent();
    }
    assertThat(
            config(Map.of(), "--relay-host", "h", "--relay-trust", "insecure")
                .relay()
                .trust()
                .isInsecure())
        .isTrue();
  }

  @Test
  void wrongCombinationsAreRefusedWithTheFix() {
    assertThatThrownBy(() -> config(Map.of("MAILSINK_RELAY_ALLOW", "*")))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--relay-allow set but --relay-host is not; add --relay-host HOST");
    assertThatThrownBy(() -> config(Map.of(), "--relay-host", "h", "--relay-user", "u"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--relay-user needs a password");
    assertThatThrownBy(() -> config(Map.of(), "--relay-host", "h", "--relay-auto", "*@x.test"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--relay-allow");
    assertThatThrownBy(
            () -> config(Map.of(), "--relay-host", "h", "--relay-trust", "/no/such/file"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--relay-trust: no readable file at /no/such/file");
    assertThatThrownBy(
            () ->
                config(
                    Map.of(),
                    "--relay-host",
                    "h",
                    "--relay-allow",
                    "*",
                    "--relay-auto-query",
                    "subject:"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--relay-auto-query:");
  }

  @Test
  void thePasswordIsNeverEchoed() {
    int code =
        commandLine(Map.of("MAILSINK_RELAY_PASSWORD", "never-shown", "MAILSINK_RELAY_PORT", "x"))
            .execute();
    assertThat(code).isEqualTo(Main.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("never-shown");
    commandLine(Map.of()).execute("--help");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--relay-host", "MAILSINK_RELAY_PASSWORD", "--record-sessions");
  }

  @Test
  void sessionFlagsSetRecordingAndItsLimits() {
    MailsinkConfig c =
        config(
            Map.of("MAILSINK_RECORD_SESSIONS", "false", "MAILSINK_MAX_SESSIONS", "50"),
            "--max-session-bytes",
            "1MB");
    assertThat(c.recordSessions()).isFalse();
    assertThat(c.retainedSessions()).isEqualTo(50);
    assertThat(c.retainedSessionBytes()).isEqualTo(1024 * 1024);
  }
}
