package dev.mailsink.server;

import static dev.mailsink.server.ThreadPolicies.SCHED_BATCH;
import static dev.mailsink.server.ThreadPolicies.SCHED_NORMAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as users run it: a separate {@code java -jar} process, its flags, environment
 * variables, output, exit codes and SIGTERM. Runs after {@code package} (Failsafe).
 */
@Timeout(60)
class RunnableJarTest {
  private static final Duration START = Duration.ofSeconds(30);
  private static final Map<String, String> NO_ENV = Map.of();

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends one message and returns the server's greeting line. */
  private static String sendMail(URI smtp, String subject) throws IOException {
    try (Socket socket = new Socket(smtp.getHost(), smtp.getPort())) {
      socket.setSoTimeout(10_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      String greeting = in.readLine();
      for (String line :
          new String[] {
            "HELO test",
            "MAIL FROM:<a@example.com>",
            "RCPT TO:<b@example.com>",
            "DATA",
            "Subject: " + subject + "\r\n\r\nhello\r\n.",
            "QUIT"
          }) {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = in.readLine();
        assertThat(reply).as("reply to %s", line).matches("^[23]\\d\\d .*");
      }
      return greeting;
    }
  }

  @Test
  void startsWithTheGivenFlagsAndPrintsTheSmtpAndWebUrls() throws Exception {
    try (JarProcess jar = JarProcess.start(NO_ENV, "--smtp-port", "0", "--http-port", "0")) {
      JarProcess.Urls urls = jar.awaitReady(START);

      assertThat(urls.smtp().toString()).startsWith("smtp://127.0.0.1:");
      assertThat(urls.web().toString()).startsWith("http://127.0.0.1:").endsWith("/");
      assertThat(get(urls.web().resolve("readyz")).statusCode()).isEqualTo(200);
      sendMail(urls.smtp(), "Through the jar");
      assertThat(get(urls.web().resolve("api/v1/messages")).body()).contains("Through the jar");
    }
  }

  @Test
  void onJava21AndLaterSessionsRunOnOneCarrierThreadFewerThanTheProcessors() throws Exception {
    Path jdk = jdk25();
    try (JarProcess jar =
        JarProcess.startOn(jdk, List.of(), NO_ENV, "--smtp-port", "0", "--http-port", "0")) {
      JarProcess.Urls urls = jar.awaitReady(START);
      sendMail(urls.smtp(), "on a carrier");

      assertThat(schedulerParallelism(jdk, jar.pid()))
          .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }
  }

  @Test
  void aSchedulerParallelismGivenToTheJvmWins() throws Exception {
    Path jdk = jdk25();
    List<String> options = List.of("-Djdk.virtualThreadScheduler.parallelism=3");
    try (JarProcess jar =
        JarProcess.startOn(jdk, options, NO_ENV, "--smtp-port", "0", "--http-port", "0")) {
      JarProcess.Urls urls = jar.awaitReady(START);
      sendMail(urls.smtp(), "on a carrier");

      assertThat(schedulerParallelism(jdk, jar.pid())).isEqualTo(3);
    }
  }

  @Test
  void theServersThreadsRunUnderBatchSchedulingAndTheJvmsOwnKeepTheDefault() throws Exception {
    try (JarProcess jar = JarProcess.start(NO_ENV, "--smtp-port", "0", "--http-port", "0")) {
      JarProcess.Urls urls = jar.awaitReady(START);
      sendMail(urls.smtp(), "batch");

      assertBatchServerThreads(jar.pid());
    }
  }

  @Test
  void onJava22AndLaterWithoutChrtTheForeignFunctionApiSetsBatchSchedulingWithoutAWarning(
      @TempDir Path emptyPath) throws Exception {
    // PATH names an empty directory: chrt cannot run, as on a base image without util-linux
    try (JarProcess jar =
        JarProcess.startOn(
            jdk25(),
            List.of(),
            Map.of("PATH", emptyPath.toString()),
            "--smtp-port",
            "0",
            "--http-port",
            "0")) {
      JarProcess.Urls urls = jar.awaitReady(START);
      sendMail(urls.smtp(), "batch on a carrier");

      assertBatchServerThreads(jar.pid());
      assertThat(ThreadPolicies.of(jar.pid()))
          .filteredOn(t -> t.name().startsWith("ForkJoinPool"))
          .as("the carrier threads the sessions ran on")
          .isNotEmpty()
          .allMatch(t -> t.policy() == SCHED_BATCH);
      assertThat(jar.stderr())
          .doesNotContain("restricted method")
          .doesNotContain("keep the default CPU scheduling");
    }
  }

  @Test
  void whereNeitherWorksTheServerSaysSoInOneLineAndRunsOn(@TempDir Path emptyPath)
      throws Exception {
    // Java 17 has no foreign function API, and without chrt nothing can set the policy
    try (JarProcess jar =
        JarProcess.start(
            Map.of("PATH", emptyPath.toString()), "--smtp-port", "0", "--http-port", "0")) {
      JarProcess.Urls urls = jar.awaitReady(START);
      sendMail(urls.smtp(), "default policy");

      assertThat(jar.stderr())
          .containsOnlyOnce(
              "The server's threads keep the default CPU scheduling (cannot run chrt");
      assertThat(ThreadPolicies.of(jar.pid())).allMatch(t -> t.policy() == SCHED_NORMAL);
    }
  }

  @Test
  void cpuSchedulingNormalFromTheEnvironmentLeavesEveryThreadOnTheDefaultPolicy() throws Exception {
    try (JarProcess jar =
        JarProcess.start(
            Map.of("MAILSINK_CPU_SCHEDULING", "normal"), "--smtp-port", "0", "--http-port", "0")) {
      JarProcess.Urls urls = jar.awaitReady(START);
      sendMail(urls.smtp(), "normal");

      assertThat(ThreadPolicies.of(jar.pid()))
          .filteredOn(t -> t.name().startsWith("mailsink-"))
          .isNotEmpty()
          .allMatch(t -> t.policy() == SCHED_NORMAL);
    }
  }

  /** Mailsink's threads (SMTP sessions, web) are SCHED_BATCH; the JVM's VM Thread is not. */
  private static void assertBatchServerThreads(long pid) throws IOException {
    List<ThreadPolicies.ThreadPolicy> threads = ThreadPolicies.of(pid);
    assertThat(threads)
        .filteredOn(
            t -> t.name().startsWith("mailsink-smtp") || t.name().startsWith("mailsink-web"))
        .as("Mailsink's threads")
        .hasSizeGreaterThanOrEqualTo(2)
        .allMatch(t -> t.policy() == SCHED_BATCH);
    assertThat(threads)
        .filteredOn(t -> t.name().equals("VM Thread"))
        .as("the JVM's own thread, started before main")
        .singleElement()
        .matches(t -> t.policy() == SCHED_NORMAL);
  }

  /** The Java 25 JDK the build names (as core's Java 25 test run does); skips without one. */
  private static Path jdk25() {
    Path jdk = Path.of(System.getProperty("mailsink.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    assumeTrue(Files.isExecutable(jdk.resolve("bin/jcmd")), "no Java 25 JDK at " + jdk);
    return jdk;
  }

  /** What the JVM itself reports: {@code jcmd <pid> Thread.vthread_scheduler} (JDK 24+). */
  private static int schedulerParallelism(Path jdk, long pid) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                jdk.resolve("bin/jcmd").toString(), Long.toString(pid), "Thread.vthread_scheduler")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jcmd.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Matcher m = Pattern.compile("parallelism = (\\d+)").matcher(out);
    assertThat(m.find()).as("jcmd said: %s", out).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void readsItsSettingsFromMailsinkEnvironmentVariables() throws Exception {
    Map<String, String> env =
        Map.of(
            "MAILSINK_SMTP_PORT", "0",
            "MAILSINK_HTTP_PORT", "0",
            "MAILSINK_HOSTNAME", "mail.env.test");
    try (JarProcess jar = JarProcess.start(env)) {
      JarProcess.Urls urls = jar.awaitReady(START);

      assertThat(sendMail(urls.smtp(), "env")).startsWith("220 mail.env.test");
    }
  }

  @Test
  void sigtermStopsTheServerCleanlyAndReleasesThePorts() throws Exception {
    JarProcess.Urls urls;
    try (JarProcess jar = JarProcess.start(NO_ENV, "--smtp-port", "0", "--http-port", "0")) {
      urls = jar.awaitReady(START);

      jar.terminate();

      assertThat(jar.awaitExit(START)).isEqualTo(143);
      assertThat(jar.stdout()).as("stderr: %s", jar.stderr()).endsWith("Mailsink stopped");
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket smtp = new ServerSocket(urls.smtp().getPort(), 1, loopback);
        ServerSocket web = new ServerSocket(urls.web().getPort(), 1, loopback)) {
      assertThat(smtp.isBound()).isTrue();
      assertThat(web.isBound()).isTrue();
    }
  }

  @Test
  void anUnknownFlagExitsWithCodeTwoAndNamesTheRightOne() throws Exception {
    try (JarProcess jar = JarProcess.start(NO_ENV, "--smtp-prot", "2525")) {
      assertThat(jar.awaitExit(START)).isEqualTo(2);
      assertThat(jar.stderr()).contains("--smtp-prot").contains("Did you mean --smtp-port");
    }
  }

  @Test
  void aBadEnvironmentValueExitsWithCodeTwoAndNamesTheVariable() throws Exception {
    try (JarProcess jar = JarProcess.start(Map.of("MAILSINK_STARTTLS", "sometimes"))) {
      assertThat(jar.awaitExit(START)).isEqualTo(2);
      assertThat(jar.stderr())
          .contains("MAILSINK_STARTTLS=sometimes")
          .containsIgnoringCase("off, optional, required");
    }
  }

  @Test
  void aPortInUseNamesThePortAndTheFlagToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        JarProcess jar =
            JarProcess.start(
                NO_ENV, "--smtp-port", String.valueOf(taken.getLocalPort()), "--http-port", "0")) {
      assertThat(jar.awaitExit(START)).isEqualTo(1);
      assertThat(jar.stderr())
          .contains("SMTP port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
          .contains("--smtp-port")
          .contains("MAILSINK_SMTP_PORT");
    }
  }

  @Test
  void anSmtpsPortInUseNamesItsOwnFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        JarProcess jar =
            JarProcess.start(
                NO_ENV, "--smtp-port=0", "--http-port=0", "--smtps-port=" + taken.getLocalPort())) {
      assertThat(jar.awaitExit(START)).isEqualTo(1);
      assertThat(jar.stderr())
          .contains("SMTPS port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
          .contains("--smtps-port");
    }
  }

  @Test
  void aPop3PortInUseNamesItsOwnFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        JarProcess jar =
            JarProcess.start(
                NO_ENV, "--smtp-port=0", "--http-port=0", "--pop3-port=" + taken.getLocalPort())) {
      assertThat(jar.awaitExit(START)).isEqualTo(1);
      assertThat(jar.stderr())
          .contains("POP3 port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
          .contains("--pop3-port")
          .contains("MAILSINK_POP3_PORT")
          .doesNotContain("SMTP port");
    }
  }

  @Test
  void theHealthcheckSaysReadyOnlyWhileTheServerRuns() throws Exception {
    String httpPort;
    try (JarProcess server = JarProcess.start(NO_ENV, "--smtp-port", "0", "--http-port", "0")) {
      httpPort = String.valueOf(server.awaitReady(START).web().getPort());
      try (JarProcess check =
          JarProcess.start(Map.of("MAILSINK_HTTP_PORT", httpPort), "--healthcheck")) {
        assertThat(check.awaitExit(START)).isZero();
      }
    }
    try (JarProcess check = JarProcess.start(NO_ENV, "--healthcheck", "--http-port", httpPort)) {
      assertThat(check.awaitExit(START)).isEqualTo(1);
      assertThat(check.stderr()).contains("not ready");
    }
  }

  @Test
  void theSelfTestSendsAndReadsBackAMessage() throws Exception {
    try (JarProcess jar = JarProcess.start(NO_ENV, "--self-test")) {
      assertThat(jar.awaitExit(START)).isZero();
      assertThat(jar.stdout()).contains("self-test passed");
    }
  }

  @Test
  void startTlsAndAuthFlagsReachTheServer() throws Exception {
    try (JarProcess jar =
        JarProcess.start(
            Map.of("MAILSINK_USERS", "app:s3cret"),
            "--smtp-port",
            "0",
            "--http-port",
            "0",
            "--starttls",
            "required",
            "--auth",
            "required")) {
      JarProcess.Urls urls = jar.awaitReady(START);

      assertThat(jar.stdout()).contains("STARTTLS required").contains("AUTH    required, 1 user");
      try (Socket socket = new Socket(urls.smtp().getHost(), urls.smtp().getPort())) {
        socket.setSoTimeout(10_000);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        in.readLine();
        out.write("EHLO test\r\n".getBytes(StandardCharsets.US_ASCII));
        StringBuilder ehlo = new StringBuilder();
        String line;
        do {
          line = in.readLine();
          ehlo.append(line).append('\n');
        } while (line.charAt(3) == '-');
        assertThat(ehlo.toString()).contains("STARTTLS");
        out.write("MAIL FROM:<a@example.com>\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(in.readLine()).startsWith("530");
      }
    }
  }

  @Test
  void faultRulesFromTheEnvironmentAreActiveFromTheFirstConnection() throws Exception {
    String rules =
        "[{\"stage\":\"RCPT\",\"match\":{\"recipient\":\"bob@example.com\"},"
            + "\"action\":{\"type\":\"reply\",\"code\":550,\"text\":\"5.1.1 No such user\"}}]";
    try (JarProcess jar =
        JarProcess.start(
            Map.of("MAILSINK_FAULTS", rules), "--smtp-port", "0", "--http-port", "0")) {
      JarProcess.Urls urls = jar.awaitReady(START);

      assertThat(jar.stdout()).contains("Faults  1 rule(s)");
      try (Socket socket = new Socket(urls.smtp().getHost(), urls.smtp().getPort())) {
        socket.setSoTimeout(10_000);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        in.readLine();
        for (String line : new String[] {"HELO test", "MAIL FROM:<a@example.com>"}) {
          out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
          assertThat(in.readLine()).startsWith("250");
        }
        out.write("RCPT TO:<bob@example.com>\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(in.readLine()).isEqualTo("550 5.1.1 No such user");
      }
      assertThat(get(urls.web().resolve("api/v1/faults")).body()).contains("\"hits\":1");
    }
  }
}
