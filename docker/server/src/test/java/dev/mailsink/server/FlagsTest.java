package dev.mailsink.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.server.FlagValues.Mode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** The flags, their environment variables and the messages for wrong input, without a server. */
class FlagsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private ServerSettings settings(Map<String, String> env, String... args) {
    CommandLine cmd = commandLine(env);
    cmd.parseArgs(args);
    return ((ServerCommand) cmd.getCommand()).settings();
  }

  private CommandLine commandLine(Map<String, String> env) {
    return Main.commandLine(
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private int run(Map<String, String> env, String... args) {
    return commandLine(env).execute(args);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void defaultsAreTheWellKnownPortsOnLoopback() {
    ServerSettings s = settings(Map.of());

    assertThat(s.smtp().smtpPort()).isEqualTo(1025);
    assertThat(s.httpPort()).isEqualTo(8025);
    assertThat(s.smtp().bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(s.smtpsPort()).isNull();
    assertThat(s.starttls()).isEqualTo(Mode.OFF);
    assertThat(s.auth()).isEqualTo(Mode.OFF);
    assertThat(s.smtp().maxMessageBytes()).isEqualTo(25L * 1024 * 1024);
  }

  @Test
  void environmentVariablesSetTheFlags() {
    ServerSettings s =
        settings(
            Map.of(
                "MAILSINK_SMTP_PORT", "2525",
                "MAILSINK_BIND", "0.0.0.0",
                "MAILSINK_MAX_MESSAGE_SIZE", "10MB",
                "MAILSINK_STARTTLS", "REQUIRED",
                "MAILSINK_IDLE_TIMEOUT", "PT5S"));

    assertThat(s.smtp().smtpPort()).isEqualTo(2525);
    assertThat(s.smtp().bindAddress().isAnyLocalAddress()).isTrue();
    assertThat(s.smtp().maxMessageBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(s.starttls()).isEqualTo(Mode.REQUIRED);
    assertThat(s.smtp().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aFlagOnTheCommandLineWinsOverItsEnvironmentVariable() {
    ServerSettings s = settings(Map.of("MAILSINK_SMTP_PORT", "2525"), "--smtp-port", "3535");

    assertThat(s.smtp().smtpPort()).isEqualTo(3535);
  }

  @Test
  void anEmptyEnvironmentVariableLeavesTheDefault() {
    ServerSettings s = settings(Map.of("MAILSINK_HTTP_PORT", ""));

    assertThat(s.httpPort()).isEqualTo(8025);
  }

  @Test
  void everySettingFlagNamesItsEnvironmentVariableInTheHelp() {
    CommandLine cmd = commandLine(Map.of());
    for (OptionSpec option : cmd.getCommandSpec().options()) {
      String variable = EnvironmentDefaults.variableOf(option);
      if (variable == null) {
        assertThat(ServerCommand.FLAGS_WITHOUT_ENV).contains(option.longestName());
        continue;
      }
      assertThat(String.join(" ", option.description()))
          .as("description of %s", option.longestName())
          .contains("Env: " + variable + ".");
    }
  }

  @Test
  void helpListsTheFlagsAndExitsZero() {
    assertThat(run(Map.of(), "--help")).isZero();

    assertThat(stdout()).contains("--smtp-port", "MAILSINK_SMTP_PORT", "--faults", "Exit codes");
  }

  @Test
  void versionPrintsTheProjectVersion() {
    assertThat(run(Map.of(), "--version")).isZero();

    assertThat(stdout()).startsWith("Mailsink " + BuildInfo.version());
    assertThat(BuildInfo.version()).isNotEqualTo("unknown").doesNotContain("${");
  }

  @Test
  void aWrongValueExitsWithTwoAndSaysWhatToUse() {
    assertThat(run(Map.of(), "--smtp-port", "70000")).isEqualTo(Main.USAGE);

    assertThat(stderr())
        .contains("invalid value for --smtp-port")
        .contains("'70000' is not a port; use a number from 1 to 65535, or 0 for a free port")
        .contains("mailsink --help");
  }

  @Test
  void anUnknownFlagExitsWithTwoAndSuggestsTheClosestFlag() {
    assertThat(run(Map.of(), "--smtp-prot", "2525")).isEqualTo(Main.USAGE);

    assertThat(stderr()).contains("--smtp-prot").contains("Did you mean --smtp-port");
  }

  @Test
  void aWrongEnvironmentValueNamesTheVariable() {
    assertThat(run(Map.of("MAILSINK_MAX_MESSAGES", "lots"))).isEqualTo(Main.USAGE);

    assertThat(stderr())
        .contains("environment variable MAILSINK_MAX_MESSAGES=lots (--max-messages)")
        .contains("not a positive whole number");
  }

  @Test
  void passwordsNeverAppearInErrorMessages() {
    assertThat(run(Map.of("MAILSINK_USERS", "app:topsecret,broken"), "--auth", "required"))
        .isEqualTo(Main.USAGE);

    assertThat(stderr()).contains("MAILSINK_USERS=app:***").doesNotContain("topsecret");
  }

  @Test
  void usersWithoutAuthAreRefusedWithTheFix() {
    assertThatThrownBy(() -> settings(Map.of(), "--users", "app:pw"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--auth is off; add --auth required");
  }

  @Test
  void aUserListedTwiceIsRefused() {
    assertThatThrownBy(() -> settings(Map.of(), "--auth", "required", "--users", "a:1,a:2"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("names 'a' twice");
  }

  @Test
  void usersAreSplitAtCommasAndPasswordsMayHoldColons() {
    ServerSettings s = settings(Map.of(), "--auth", "optional", "--users", "app:s3:cret,bob:pw");

    assertThat(s.users())
        .extracting(FlagValues.Credentials::user, FlagValues.Credentials::password)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("app", "s3:cret"),
            org.assertj.core.groups.Tuple.tuple("bob", "pw"));
  }

  @Test
  void aTlsKeyWithoutItsCertificateIsRefused(@TempDir Path dir) throws IOException {
    Path key = Files.writeString(dir.resolve("key.pem"), "x");

    assertThatThrownBy(() -> settings(Map.of(), "--tls-key", key.toString()))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--tls-key needs --tls-cert");
  }

  @Test
  void aMissingTlsFileIsNamedWithItsFlag(@TempDir Path dir) {
    Path missing = dir.resolve("nope.p12");

    assertThatThrownBy(() -> settings(Map.of(), "--tls-keystore", missing.toString()))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--tls-keystore: no readable file at")
        .hasMessageContaining("check the path");
  }

  @Test
  void theSameSmtpAndHttpPortIsRefused() {
    assertThatThrownBy(() -> settings(Map.of(), "--smtp-port", "2525", "--http-port", "2525"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("give each its own port");
  }

  @Test
  void faultRulesAreReadFromAFileOrTakenInline(@TempDir Path dir) throws IOException {
    String rules =
        "[{\"stage\":\"RCPT\",\"match\":{\"recipient\":\"bob@example.com\"},"
            + "\"action\":{\"type\":\"reply\",\"code\":550,\"text\":\"5.1.1 No such user\"},"
            + "\"times\":1}]";
    Path file = Files.writeString(dir.resolve("faults.json"), rules);

    for (ServerSettings s :
        List.of(
            settings(Map.of(), "--faults", file.toString()),
            settings(Map.of("MAILSINK_FAULTS", rules)))) {
      assertThat(s.faultRules()).hasSize(1);
      FaultRule rule = s.faultRules().get(0);
      assertThat(rule.stage()).isEqualTo(SmtpStage.RCPT);
      assertThat(rule.match().recipient()).isEqualTo("bob@example.com");
      assertThat(rule.times()).isEqualTo(1);
    }
  }

  @Test
  void aWrongFaultRuleExitsWithTwoAndShowsWhatARuleLooksLike() {
    assertThat(
            run(
                Map.of(),
                "--faults",
                "[{\"stage\":\"NOPE\",\"action\":{\"type\":\"disconnect\"}}]"))
        .isEqualTo(Main.USAGE);

    assertThat(stderr()).contains("--faults: rule 0:").contains("a rule looks like {\"stage\"");
  }

  @Test
  void retentionSmallerThanOneMessageIsRefusedInFlagWords() {
    assertThatThrownBy(() -> settings(Map.of(), "--max-bytes", "1MB"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--max-bytes must be >= --max-message-size");
  }
}
