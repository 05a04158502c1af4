package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.subethamail.smtp.internal.proxy.ProxyHandler;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.internal.server.ServerThread;
import org.subethamail.smtp.server.SMTPServer;

/**
 * What Mailsink relies on in SubEthaSMTP beyond its public API, checked so that an upgrade fails
 * here, loudly and by name, instead of somewhere in a protocol test.
 *
 * <p>Mailsink's command set ({@code internal.smtp.SmtpCommands}) extends {@code
 * org.subethamail.smtp.internal.server.BaseCommand}, replaces every built-in verb through {@code
 * SMTPServer.getCommandHandler().addCommand}, delegates AUTH exchanges to {@code
 * internal.command.AuthCommand}, reads message data from {@code Session.getRawInput()} and swaps
 * the socket on STARTTLS with {@code Session.setSocket}. {@code internal.smtp.Acceptor} accepts
 * connections itself and runs each {@code Session} on the accepting thread, with a {@code
 * ServerThread} that never runs as the session's bookkeeper. None of that is SubEthaSMTP's public
 * API, so the version is pinned in the parent pom and these checks say what to re-read after
 * changing it.
 */
@Timeout(30)
class SubEthaSmtpContractTest {
  private static final String PINNED = "7.2.2";

  /** The verbs Mailsink answers itself; SubEthaSMTP answers none of them. */
  private static final Set<String> OUR_VERBS =
      Set.of(
          "EHLO",
          "HELO",
          "MAIL",
          "RCPT",
          "DATA",
          "BDAT",
          "STARTTLS",
          "AUTH",
          "QUIT",
          "RSET",
          "NOOP",
          "VRFY",
          "EXPN",
          "HELP");

  @Test
  void theVersionOnTheClasspathIsThePinnedOne() throws IOException {
    Properties pom = new Properties();
    try (InputStream in =
        CommandHandler.class.getResourceAsStream(
            "/META-INF/maven/com.github.davidmoten/subethasmtp/pom.properties")) {
      assertThat(in).as("SubEthaSMTP's pom.properties").isNotNull();
      pom.load(in);
    }
    assertThat(pom.getProperty("version"))
        .as(
            "SubEthaSMTP is pinned at %s because Mailsink extends its internal command classes;"
                + " after an upgrade re-check the points of SubEthaSmtpContractTest and"
                + " /work/shared/reference/subethasmtp-notes.md, then update PINNED",
            PINNED)
        .isEqualTo(PINNED);
  }

  @Test
  void everyBuiltInVerbIsOneMailsinkReplaces() {
    Set<String> builtIn = new TreeSet<>(new CommandHandler().getVerbs());
    builtIn.removeAll(OUR_VERBS);
    assertThat(builtIn)
        .as(
            "verbs SubEthaSMTP would answer itself, without enhanced status codes, limits or"
                + " fault rules: give each one a command in SmtpCommands")
        .isEmpty();
  }

  /**
   * A session asks its ServerThread before the greeting whether there are too many connections and
   * reports its end to it; one that never runs must say no however many sessions ended, so that
   * Mailsink's own limit is the one that answers.
   */
  @Test
  void aServerThreadThatNeverRunsCountsNoConnections() throws IOException {
    SMTPServer server = SMTPServer.port(0).maxConnections(1).build();
    try (ServerSocket unbound = new ServerSocket()) {
      ServerThread bookkeeper = new ServerThread(server, unbound, ProxyHandler.NOP);
      for (int i = 0; i < 3; i++) {
        bookkeeper.sessionEnded(null);
      }
      assertThat(bookkeeper.hasTooManyConnections()).isFalse();
      assertThat(bookkeeper.getNumberOfConnections()).isZero();
      assertThat(bookkeeper.isAlive()).isFalse();
    }
  }

  @Test
  void registeredCommandsReplaceTheBuiltInOnes() throws IOException {
    try (Mailsink sink = Mailsink.start();
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      assertThat(smtp.send("HELP").expectCode(214).lines())
          .anyMatch(line -> line.contains("Mailsink captures every message"));
    }
  }

  @Test
  void rawInputStartsRightAfterTheCommandLineAndKeepsPipelinedCommands() throws IOException {
    try (Mailsink sink = Mailsink.start();
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.sendRaw(
          "MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"
              + "Subject: piped\r\n\r\nbody\r\n.\r\nNOOP\r\n");
      smtp.expectCode(250);
      smtp.expectCode(250);
      smtp.expectCode(354);
      smtp.expectCode(250);
      smtp.expectCode(250);
      assertThat(sink.mailbox().await(1, Duration.ofSeconds(5)).get(0).raw())
          .asString()
          .isEqualTo("Subject: piped\r\n\r\nbody\r\n");
    }
  }

  @Test
  void theAuthCommandRunsTheExchangeOfOurHandlers() throws IOException {
    MailsinkConfig config =
        MailsinkConfig.builder().auth(AuthConfig.required(Credentials.of("app", "s3cret"))).build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      // base64("\0app\0s3cret")
      assertThat(smtp.send("AUTH PLAIN AGFwcABzM2NyZXQ=").expectCode(235).text())
          .startsWith("2.7.0");
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
    }
  }

  @Test
  void afterStartTlsTheSessionStartsOverAndNeedsEhloAgain() throws Exception {
    MailsinkConfig config = MailsinkConfig.builder().startTls(TlsMode.OPTIONAL).build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("STARTTLS").expectCode(220);
      try (SmtpScript tls = smtp.startTls(sink.tls().sslContext())) {
        tls.send("MAIL FROM:<a@x.test>").expectCode(503);
        tls.send("EHLO client.test").expectCode(250);
        tls.send("MAIL FROM:<a@x.test>").expectCode(250);
      }
    }
  }
}
