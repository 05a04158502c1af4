package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.TopContainerResponse;
import dev.mailsink.AuthConfig;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Credentials;
import dev.mailsink.Mailbox;
import dev.mailsink.TlsMode;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.junit.MailsinkAssertions;
import dev.mailsink.relay.AutoRelayRule;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.RelayTrust;
import dev.mailsink.relay.Release;
import dev.mailsink.testing.TestMail;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.Network;

/**
 * The product image in real Docker, driven through {@link MailsinkContainer}: mail goes in over
 * SMTP on the mapped port and is read back through the remote mailbox.
 */
@Tag("docker")
@Timeout(180)
class MailsinkContainerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Nested
  class Plain {
    static MailsinkContainer mailsink;

    @BeforeAll
    static void start() {
      mailsink = new MailsinkContainer(LocalImage.get());
      mailsink.start();
    }

    @AfterAll
    static void stop() {
      mailsink.stop();
    }

    @BeforeEach
    void empty() {
      mailsink.mailbox().clear();
    }

    @Test
    void mailSentToTheMappedPortIsReadBackThroughTheRemoteMailbox() throws Exception {
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .subject("Welcome")
          .to("new.user@example.com")
          .bcc("audit@example.com")
          .send();

      CapturedMessage m = mailsink.mailbox().await(1, WAIT).get(0);

      assertThat(m.subject()).isEqualTo("Welcome");
      assertThat(m.envelope().recipients())
          .containsExactly("new.user@example.com", "audit@example.com");
      assertThat(m.envelope().isTls()).isFalse();
    }

    @Test
    void aNamespaceOfTheContainersMailboxSeesWaitsForAndClearsOnlyItsMail() throws Exception {
      Mailbox mine = mailsink.mailbox().namespace("t1");
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .subject("other")
          .to("alice+t2@example.com")
          .send();
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .subject("mine")
          .to("alice+t1@example.com")
          .send();

      assertThat(mine.await(1, WAIT)).extracting(CapturedMessage::subject).containsExactly("mine");
      assertThat(
              mailsink
                  .sessions()
                  .namespace("t1")
                  .await(t -> !t.isOpen(), 1, WAIT)
                  .get(0)
                  .namespaces())
          .containsExactly("t1");
      assertThat(mine.clear()).isEqualTo(1);
      assertThat(mailsink.mailbox().messages())
          .extracting(CapturedMessage::subject)
          .containsExactly("other");
    }

    @Test
    void theInProcessAssertionsWorkOnTheContainersMailbox() throws Exception {
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .subject("Confirm your address")
          .text("Open https://app.example.com/confirm?token=abc123 to confirm")
          .to("alice@example.com")
          .bcc("audit@example.com")
          .send();

      String link =
          MailsinkAssertions.assertThat(mailsink.mailbox())
              .within(WAIT)
              .receivedExactly(1)
              .to("alice@example.com")
              .bcc("audit@example.com")
              .withSubjectContaining("Confirm")
              .firstLinkMatching("/confirm");

      assertThat(link).isEqualTo("https://app.example.com/confirm?token=abc123");
    }

    @Test
    void receivedExactlyOnTheRemoteMailboxCatchesALateExtraInItsQuietPeriod() throws Exception {
      TestMail.send(
          mailsink.getSmtpHost(),
          mailsink.getSmtpPort(),
          "a@example.com",
          "b@example.com",
          "One",
          "");
      // "Late" goes out once the assertion has seen "One" and starts watching the quiet period
      Mailbox watched =
          new AwaitHook(
              mailsink.mailbox(),
              1,
              () ->
                  CompletableFuture.runAsync(
                      () -> {
                        try {
                          TestMail.send(
                              mailsink.getSmtpHost(),
                              mailsink.getSmtpPort(),
                              "a@example.com",
                              "b@example.com",
                              "Late",
                              "");
                        } catch (Exception e) {
                          throw new IllegalStateException(e);
                        }
                      }));

      assertThatThrownBy(
              () ->
                  MailsinkAssertions.assertThat(watched)
                      .within(WAIT)
                      .receivedExactly(1, Duration.ofSeconds(30)))
          .hasMessageStartingWith(
              "Expected exactly 1 message, but received 2: one more arrived during the quiet"
                  + " period of PT30S after the 1st.")
          .hasMessageContaining("subject=\"Late\"");
      // and with nothing late, the same assertion passes after the quiet period
      mailsink.mailbox().clear();
      TestMail.send(
          mailsink.getSmtpHost(),
          mailsink.getSmtpPort(),
          "a@example.com",
          "b@example.com",
          "Two",
          "");
      MailsinkAssertions.assertThat(mailsink.mailbox())
          .within(WAIT)
          .receivedExactly(1, Duration.ofMillis(300))
          .withSubject("Two");
    }

    @Test
    void awaitReturnsWhileTheMailArrives() throws Exception {
      Mailbox inbox = mailsink.mailbox().forRecipient("late@example.com");
      CompletableFuture<List<CapturedMessage>> waiting =
          CompletableFuture.supplyAsync(() -> inbox.await(1, WAIT));

      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .to("late@example.com")
          .subject("Finally")
          .send();

      assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .extracting(CapturedMessage::subject)
          .containsExactly("Finally");
    }

    @Test
    void aMultipartMessageWithAnImageIsParsedInsideTheContainerToo() throws Exception {
      byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .subject("Logo")
          .html("<img src=cid:logo>")
          .attach("logo.png", "image/png", png)
          .send();
      mailsink.mailbox().await(1, WAIT);

      String latest = get(URI.create(mailsink.getApiUrl() + "messages/latest")).body();

      assertThat(latest).contains("\"mimeType\":\"image/png\"");
    }

    @Test
    void theWebUiAndTheApiAnswerOnTheirUrls() throws Exception {
      HttpResponse<String> ui = get(URI.create(mailsink.getWebUrl()));
      HttpResponse<String> info = get(URI.create(mailsink.getApiUrl() + "info"));

      assertThat(ui.statusCode()).isEqualTo(200);
      assertThat(ui.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(info.statusCode()).isEqualTo(200);
      assertThat(info.body()).contains(MailsinkContainer.VERSION);
    }

    @Test
    void theImagesHealthcheckCommandSaysReady() throws Exception {
      List<String> test =
          mailsink
              .getDockerClient()
              .inspectImageCmd(mailsink.getDockerImageName())
              .exec()
              .getConfig()
              .getHealthcheck()
              .getTest();
      assertThat(test.get(0)).isEqualTo("CMD");

      ExecResult result =
          mailsink.execInContainer(test.subList(1, test.size()).toArray(String[]::new));

      assertThat(result.getExitCode()).as(result.getStderr()).isZero();
      assertThat(result.getStdout()).contains("ready: http://127.0.0.1:8025/readyz");
    }

    @Test
    void theServersThreadsRunUnderBatchScheduling() {
      // ps on the engine's host, as `docker top` runs it: one row per thread, cls B = SCHED_BATCH
      TopContainerResponse top =
          mailsink
              .getDockerClient()
              .topContainerCmd(mailsink.getContainerId())
              .withPsArgs("-L -o pid,tid,cls,comm")
              .exec();
      List<String> titles = List.of(top.getTitles());
      int cls = titles.indexOf("CLS");
      int comm = titles.indexOf("COMMAND");

      List<String[]> threads = List.of(top.getProcesses());
      assertThat(threads)
          .filteredOn(
              t -> t[comm].startsWith("mailsink-smtp") || t[comm].startsWith("mailsink-web"))
          .as("Mailsink's threads in the container: %s", titles)
          .hasSizeGreaterThanOrEqualTo(2)
          .allSatisfy(t -> assertThat(t[cls]).as(t[comm]).isEqualTo("B"));
      assertThat(threads)
          .filteredOn(t -> t[comm].equals("VM Thread"))
          .singleElement()
          .satisfies(t -> assertThat(t[cls]).as("the JVM's own thread").isEqualTo("TS"));
    }

    @Test
    void theServerRunsAsANonRootUser() {
      String user =
          mailsink
              .getDockerClient()
              .inspectContainerCmd(mailsink.getContainerId())
              .exec()
              .getConfig()
              .getUser();

      assertThat(user).isEqualTo("10001:10001");
    }
  }

  @Nested
  class TlsAndAuth {
    static MailsinkContainer mailsink;

    @BeforeAll
    static void start() {
      mailsink =
          new MailsinkContainer(LocalImage.get())
              .withStartTls(TlsMode.REQUIRED)
              .withSmtps()
              .withHostName("localhost")
              .withAuth(AuthConfig.required(Credentials.of("app", "s3cret")));
      mailsink.start();
    }

    @AfterAll
    static void stop() {
      mailsink.stop();
    }

    @BeforeEach
    void empty() {
      mailsink.mailbox().clear();
    }

    @Test
    void startTlsAndAuthAreRecordedOnTheMessage() throws Exception {
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .startTls(mailsink.tls().sslContext())
          .auth("app", "s3cret")
          .subject("Secure")
          .send();

      CapturedMessage m =
          MailsinkAssertions.assertThat(mailsink.mailbox())
              .within(WAIT)
              .receivedExactly(1)
              .sentOverTls()
              .authenticatedAs("app")
              .message();

      assertThat(m.envelope().tlsProtocol()).startsWith("TLSv1.");
    }

    @Test
    void implicitTlsOnTheSmtpsPortReachesTheSameMailbox() throws Exception {
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpsPort())
          .implicitTls(mailsink.tls().sslContext())
          .auth("app", "s3cret")
          .subject("Over SMTPS")
          .send();

      assertThat(mailsink.mailbox().await(1, WAIT))
          .extracting(CapturedMessage::subject)
          .containsExactly("Over SMTPS");
    }

    @Test
    void aWrongPasswordIsRefused() {
      TestMail wrong =
          TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
              .startTls(mailsink.tls().sslContext())
              .auth("app", "wrong");

      assertThatThrownBy(wrong::send).isInstanceOf(AuthenticationFailedException.class);
      assertThat(mailsink.mailbox().count()).isZero();
    }

    @Test
    void theCertificateNamesTheConfiguredHost() {
      assertThat(mailsink.tls().certificate().getSubjectX500Principal().getName())
          .contains("CN=localhost");
    }
  }

  @Nested
  class Faults {
    static MailsinkContainer mailsink;

    @BeforeAll
    static void start() {
      mailsink =
          new MailsinkContainer(LocalImage.get())
              .withFaults(
                  FaultRule.on(SmtpStage.RCPT)
                      .when(Match.recipient("blocked@example.com"))
                      .reply(550, "5.7.1 Blocked by policy"));
      mailsink.start();
    }

    @AfterAll
    static void stop() {
      mailsink.stop();
    }

    @Test
    void aStartUpRuleFromTheEnvironmentRejectsItsRecipient() {
      TestMail blocked =
          TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort()).to("blocked@example.com");

      assertThatThrownBy(blocked::send)
          .isInstanceOf(SendFailedException.class)
          .hasStackTraceContaining("550 5.7.1 Blocked by policy");
      assertThat(mailsink.faults().list())
          .singleElement()
          .satisfies(s -> assertThat(s.hits()).isEqualTo(1));
    }

    @Test
    void aRuleAddedThroughTheApiReachesTheNextClient() throws Exception {
      long id =
          mailsink
              .faults()
              .add(FaultRule.on(SmtpStage.MAIL).reply(421, "4.7.0 Too busy, come back").times(1));
      try {
        TestMail mail = TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort());

        assertThatThrownBy(mail::send).hasStackTraceContaining("421 4.7.0 Too busy, come back");
        mail.send();
        assertThat(mailsink.mailbox().await(1, WAIT)).hasSize(1);
      } finally {
        mailsink.faults().remove(id);
      }
    }
  }

  @Nested
  class Relay {
    static Network network;
    static MailsinkContainer upstream;
    static MailsinkContainer mailsink;

    @BeforeAll
    static void start() {
      network = Network.newNetwork();
      upstream =
          new MailsinkContainer(LocalImage.get())
              .withNetwork(network)
              .withNetworkAliases("upstream")
              .withStartTls(TlsMode.REQUIRED)
              .withHostName("upstream")
              .withAuth(AuthConfig.required(Credentials.of("relay", "relay-pw")));
      upstream.start();
      mailsink =
          new MailsinkContainer(LocalImage.get())
              .withNetwork(network)
              .withRelay(
                  RelayConfig.builder("upstream", MailsinkContainer.SMTP_PORT)
                      .tls(RelayTls.STARTTLS)
                      .trust(RelayTrust.pem(upstream.tls().certificatePem()))
                      .credentials(Credentials.of("relay", "relay-pw"))
                      .allowedRecipients("*@example.com")
                      .autoRelay(AutoRelayRule.recipients("auto@example.com"))
                      .build());
      mailsink.start();
    }

    @AfterAll
    static void stop() {
      mailsink.stop();
      upstream.stop();
      network.close();
    }

    @Test
    void aContainerReleasesToAnotherOverStartTlsWithAuth() throws Exception {
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .to("bob+relayed@example.com")
          .subject("From one container to another")
          .send();
      CapturedMessage captured = mailsink.mailbox().await(1, WAIT).get(0);

      Release done = mailsink.release(captured, "carol@example.com").get(30, TimeUnit.SECONDS);

      assertThat(done.status()).isEqualTo(Release.Status.DELIVERED);
      assertThat(done.namespace()).isEqualTo("relayed");
      CapturedMessage arrived =
          upstream
              .mailbox()
              .await(m -> m.subject().equals("From one container to another"), 1, WAIT)
              .get(0);
      assertThat(arrived.envelope().authenticatedUser()).isEqualTo("relay");
      assertThat(arrived.envelope().isTls()).isTrue();
      assertThat(mailsink.client().info()).doesNotContain("relay-pw");
      MailsinkAssertions.assertThat(mailsink.sessions())
          .someEnded(t -> t.messageIds().contains(captured.id()))
          .hasCommand("MAIL FROM:");
    }

    @Test
    void autoRelayRulesFromTheEnvironmentRelayAsMailArrives() throws Exception {
      TestMail.via(mailsink.getSmtpHost(), mailsink.getSmtpPort())
          .to("auto@example.com")
          .subject("Auto-relayed")
          .send();
      assertThat(upstream.mailbox().await(m -> m.subject().equals("Auto-relayed"), 1, WAIT))
          .singleElement()
          .satisfies(
              m -> assertThat(m.envelope().recipients()).containsExactly("auto@example.com"));
    }
  }

  @Test
  void dockerStopShutsTheServerDownCleanly() throws Exception {
    try (MailsinkContainer mailsink = new MailsinkContainer(LocalImage.get())) {
      mailsink.start();
      DockerClient docker = mailsink.getDockerClient();
      String id = mailsink.getContainerId();

      docker.stopContainerCmd(id).withTimeout(20).exec();

      assertThat(docker.inspectContainerCmd(id).exec().getState().getExitCodeLong())
          .isEqualTo(143L);
      assertThat(mailsink.getLogs()).contains("Mailsink stopped");
    }
  }

  @Test
  void theDefaultConstructorUsesTheImageOfThisVersion() {
    try (MailsinkContainer c = new MailsinkContainer()) {
      assertThat(c.getDockerImageName())
          .isEqualTo("mailsink/mailsink:" + MailsinkContainer.VERSION);
    }
  }

  @Test
  void anImageOfAnotherNameIsRefused() {
    assertThatThrownBy(() -> new MailsinkContainer("mailhog/mailhog:latest"))
        .isInstanceOf(IllegalStateException.class);
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The container's remote mailbox, which runs {@code onAwait} once when an await that has to wait
   * (for more than are there) starts while {@code atCount} messages are stored: so that a test
   * sends mail exactly when an assertion is watching, without sleeps.
   */
  private static final class AwaitHook implements Mailbox {
    private final Mailbox mailbox;
    private final int atCount;
    private final Runnable onAwait;
    private boolean done;

    AwaitHook(Mailbox mailbox, int atCount, Runnable onAwait) {
      this.mailbox = mailbox;
      this.atCount = atCount;
      this.onAwait = onAwait;
    }

    @Override
    public synchronized List<CapturedMessage> await(int count, Duration timeout) {
      int stored = mailbox.count();
      if (!done && stored == atCount && count > stored) {
        done = true;
        onAwait.run();
      }
      return mailbox.await(count, timeout);
    }

    @Override
    public List<CapturedMessage> await(
        java.util.function.Predicate<? super CapturedMessage> filter, int count, Duration timeout) {
      return mailbox.await(filter, count, timeout);
    }

    @Override
    public List<CapturedMessage> messages(Order order) {
      return mailbox.messages(order);
    }

    @Override
    public List<CapturedMessage> find(java.util.function.Predicate<? super CapturedMessage> f) {
      return mailbox.find(f);
    }

    @Override
    public java.util.Optional<CapturedMessage> findById(long id) {
      return mailbox.findById(id);
    }

    @Override
    public java.util.Optional<CapturedMessage> latest() {
      return mailbox.latest();
    }

    @Override
    public int count() {
      return mailbox.count();
    }

    @Override
    public boolean delete(long id) {
      return mailbox.delete(id);
    }

    @Override
    public int clear() {
      return mailbox.clear();
    }

    @Override
    public Mailbox forRecipient(String address) {
      return mailbox.forRecipient(address);
    }

    @Override
    public Mailbox namespace(String name) {
      return mailbox.namespace(name);
    }

    @Override
    public Subscription subscribe(dev.mailsink.MailboxListener listener) {
      return mailbox.subscribe(listener);
    }

    @Override
    public long evictedCount() {
      return mailbox.evictedCount();
    }
  }
}
