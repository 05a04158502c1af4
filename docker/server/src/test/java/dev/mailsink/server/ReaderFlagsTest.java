package dev.mailsink.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Credentials;
import dev.mailsink.ReaderAuth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class ReaderFlagsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private ServerSettings settings(Map<String, String> env, String... args) {
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    CommandLine cmd = Main.commandLine(env, print, print);
    cmd.parseArgs(args);
    return ((ServerCommand) cmd.getCommand()).settings();
  }

  @Test
  void pop3AndImapAreOnByDefaultAndTheirTlsPortsOff() {
    ServerSettings s = settings(Map.of());

    assertThat(s.smtp().pop3Port()).isEqualTo(1110);
    assertThat(s.smtp().imapPort()).isEqualTo(1143);
    assertThat(s.smtp().pop3sPort()).isEqualTo(-1);
    assertThat(s.smtp().imapsPort()).isEqualTo(-1);
    assertThat(s.smtp().readerAuth()).isEqualTo(ReaderAuth.anyPassword());
  }

  @Test
  void flagsSetTheReaderPortsAndLogins() {
    ServerSettings s =
        settings(
            Map.of(),
            "--pop3-port",
            "off",
            "--pop3s-port",
            "1995",
            "--imap-port",
            "0",
            "--imaps-port",
            "1993",
            "--reader-users",
            "alice@x.test:s3cret,bob@x.test:pw",
            "--reader-catch-all",
            "all",
            "--reader-tls-only");

    assertThat(s.smtp().pop3Port()).isEqualTo(-1);
    assertThat(s.smtp().pop3sPort()).isEqualTo(1995);
    assertThat(s.smtp().imapPort()).isZero();
    assertThat(s.smtp().imapsPort()).isEqualTo(1993);
    assertThat(s.smtp().readerAuth())
        .isEqualTo(
            ReaderAuth.users(
                    Credentials.of("alice@x.test", "s3cret"), Credentials.of("bob@x.test", "pw"))
                .withCatchAll("all")
                .tlsOnly());
  }

  @Test
  void environmentVariablesSetTheReaderFlags() {
    ServerSettings s =
        settings(
            Map.of(
                "MAILSINK_POP3_PORT", "2110",
                "MAILSINK_POP3S_PORT", "2995",
                "MAILSINK_READER_USERS", "alice@x.test:pw",
                "MAILSINK_READER_CATCH_ALL", "everything",
                "MAILSINK_READER_TLS_ONLY", "true"));

    assertThat(s.smtp().pop3Port()).isEqualTo(2110);
    assertThat(s.smtp().pop3sPort()).isEqualTo(2995);
    assertThat(s.smtp().readerAuth().users())
        .extracting(Credentials::user)
        .containsExactly("alice@x.test");
    assertThat(s.smtp().readerAuth().catchAll()).contains("everything");
    assertThat(s.smtp().readerAuth().isTlsOnly()).isTrue();
  }

  @Test
  void aReaderPortEqualToAnotherPortIsRefusedNamingTheFlags() {
    assertThatThrownBy(() -> settings(Map.of(), "--pop3-port", "1025"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--pop3-port")
        .hasMessageContaining("--smtp-port");
    assertThatThrownBy(() -> settings(Map.of(), "--imap-port", "8025"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--http-port");
  }

  @Test
  void helpNamesTheReaderFlagsAndTheirVariables() {
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    Main.commandLine(Map.of(), print, print).execute("--help");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--pop3-port", "MAILSINK_POP3_PORT", "--pop3s-port", "--imap-port")
        .contains("--imaps-port", "--reader-users", "--reader-catch-all", "--reader-tls-only");
  }
}
