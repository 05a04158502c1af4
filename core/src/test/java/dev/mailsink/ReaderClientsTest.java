package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.testing.TestMail;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Other-language POP3 and IMAP clients against the sink: Python's poplib and imaplib, curl. */
@Timeout(60)
class ReaderClientsTest {
  private Mailsink sink;
  private CapturedMessage message;

  @BeforeEach
  void start() throws Exception {
    sink =
        Mailsink.start(
            MailsinkConfig.builder().pop3Port(0).pop3sPort(0).imapPort(0).imapsPort(0).build());
    TestMail.sendRaw(
        sink.smtpHost(),
        sink.smtpPort(),
        "a@x.test",
        "alice@x.test",
        "Subject: From curl\r\n\r\nbody line\r\n..leading dot\r\n");
    message = sink.mailbox().await(1, Duration.ofSeconds(5)).get(0);
    // a line starting with a dot: dot-stuffed again on the POP3 wire, unstuffed by each client
    assertThat(new String(message.raw(), StandardCharsets.US_ASCII)).contains("\r\n.leading dot");
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  private static String tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          name + " is not on PATH; CI must install it (apt-get install " + name + ")");
    }
    Assumptions.abort(name + " is not on PATH");
    return null;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s exit code, output:%n%s", command, text).isZero();
    return text;
  }

  @Test
  void pythonPoplibListsRetrievesAndDeletes() throws Exception {
    String script =
        String.join(
            "\n",
            "import poplib, sys",
            "p = poplib.POP3(sys.argv[1], int(sys.argv[2]), timeout=10)",
            "p.user('alice@x.test'); p.pass_('pw')",
            "print('STAT', p.stat()[0])",
            "print('UIDL', p.uidl()[1][0].decode())",
            "lines = p.retr(1)[1]",
            "sys.stdout.buffer.write(b'BODY ' + b'|'.join(lines) + b'\\n')",
            "p.dele(1); p.quit()");
    String out =
        run(
            List.of(
                tool("python3"), "-c", script, sink.smtpHost(), String.valueOf(sink.pop3Port())));
    assertThat(out).contains("STAT 1").contains("UIDL 1 ");
    assertThat(out).contains("BODY Subject: From curl||body line|.leading dot");
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void curlRetrievesTheMessageAsCaptured() throws Exception {
    String out =
        run(
            List.of(
                tool("curl"),
                "-sS",
                "--max-time",
                "20",
                "-u",
                "alice@x.test:pw",
                "pop3://" + sink.smtpHost() + ":" + sink.pop3Port() + "/1"));
    assertThat(out).isEqualTo(new String(message.raw(), StandardCharsets.UTF_8));
  }

  @Test
  void curlRetrievesOverStlsTrustingTheSinkCertificate(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("mailsink.pem");
    Files.writeString(pem, sink.tls().certificatePem());
    List<String> command =
        new ArrayList<>(
            List.of(
                tool("curl"),
                "-sS",
                "--max-time",
                "20",
                "--ssl-reqd",
                "--cacert",
                pem.toString(),
                "-u",
                "alice@x.test:pw",
                "pop3://" + sink.smtpHost() + ":" + sink.pop3Port() + "/1"));
    assertThat(run(command)).isEqualTo(new String(message.raw(), StandardCharsets.UTF_8));
    command.set(command.size() - 1, "pop3s://" + sink.smtpHost() + ":" + sink.pop3sPort() + "/1");
    command.remove("--ssl-reqd");
    assertThat(run(command)).isEqualTo(new String(message.raw(), StandardCharsets.UTF_8));
  }

  @Test
  void pythonImaplibSearchesFetchesFlagsAndExpunges() throws Exception {
    String script =
        String.join(
            "\n",
            "import imaplib, sys",
            "m = imaplib.IMAP4(sys.argv[1], int(sys.argv[2]), timeout=10)",
            "print('LOGIN', m.login('alice@x.test', 'pw')[0])",
            "print('LIST', m.list()[1][0].decode())",
            "print('SELECT', m.select('INBOX')[1][0].decode())",
            "print('SEARCH', m.uid('SEARCH', None, 'SUBJECT', '\"From curl\"')[1][0].decode())",
            "typ, data = m.fetch('1', '(BODY[])')",
            "sys.stdout.buffer.write(b'BODY ' + data[0][1] + b'\\n')",
            "print('FLAGS', m.fetch('1', '(FLAGS)')[1][0].decode())",
            "m.store('1', '+FLAGS', '\\\\Deleted')",
            "print('EXPUNGE', m.expunge()[1][0].decode())",
            "m.close(); m.logout()");
    String out =
        run(
            List.of(
                tool("python3"), "-c", script, sink.smtpHost(), String.valueOf(sink.imapPort())));
    assertThat(out)
        .contains("LOGIN OK", "LIST (\\HasNoChildren) \"/\" INBOX", "SELECT 1")
        .contains("SEARCH " + message.id())
        .contains("BODY " + new String(message.raw(), StandardCharsets.UTF_8))
        .contains("FLAGS 1 (FLAGS (\\Seen))")
        .contains("EXPUNGE 1");
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void curlReadsOverImapAndImapsTrustingTheSinkCertificate(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("mailsink.pem");
    Files.writeString(pem, sink.tls().certificatePem());
    String imap = "imap://" + sink.smtpHost() + ":" + sink.imapPort();
    List<String> curl = List.of(tool("curl"), "-sS", "--max-time", "20", "-u", "alice@x.test:pw");
    String raw = new String(message.raw(), StandardCharsets.UTF_8);
    assertThat(run(concat(curl, imap + "/"))).contains("* LIST (\\HasNoChildren) \"/\" INBOX");
    assertThat(run(concat(curl, imap + "/INBOX;UID=" + message.id()))).isEqualTo(raw);
    List<String> tls = concat(curl, "--ssl-reqd", "--cacert", pem.toString());
    assertThat(run(concat(tls, imap + "/INBOX;MAILINDEX=1"))).isEqualTo(raw);
    String imaps = "imaps://" + sink.smtpHost() + ":" + sink.imapsPort();
    assertThat(run(concat(tls, imaps + "/INBOX;UID=" + message.id()))).isEqualTo(raw);
  }

  private static List<String> concat(List<String> command, String... more) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(more));
    return all;
  }
}
