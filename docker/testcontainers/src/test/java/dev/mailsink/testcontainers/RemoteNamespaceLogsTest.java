package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.MailsinkAssertionError;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseLog;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import dev.mailsink.testing.TestMail;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The remote client's namespace views of the session and release logs, against two standalone
 * servers (one relays to the other). Each test uses namespaces of its own.
 */
@Timeout(60)
class RemoteNamespaceLogsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ServerJarProcess upstream;
  private static ServerJarProcess server;
  private static MailsinkClient client;

  @BeforeAll
  static void startServers() throws InterruptedException {
    upstream = ServerJarProcess.start();
    server =
        ServerJarProcess.start(
            "--relay-host=" + upstream.smtpHost(),
            "--relay-port=" + upstream.smtpPort(),
            "--relay-tls=none",
            "--relay-allow=*@example.com");
    client = MailsinkClient.connect(server.webUri());
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /** Sends one message over its own session and waits until that session has ended. */
  private static CapturedMessage send(String to, String subject) {
    TestMail.message()
        .from("app@x.test")
        .to(to)
        .subject(subject)
        .text("body")
        .sendTo(server.smtpHost(), server.smtpPort());
    CapturedMessage m = client.mailbox().await(x -> x.subject().equals(subject), 1, WAIT).get(0);
    String session = m.envelope().sessionId();
    client.sessions().await(t -> t.id().equals(session) && !t.isOpen(), 1, WAIT);
    return m;
  }

  private static List<String> ids(SessionLog log) {
    return log.sessions().stream().map(Transcript::id).toList();
  }

  @Test
  void aNamespaceViewOfTheSessionLogSeesOnlyItsSessions() {
    String one = send("a+rs1@example.com", "rs1").envelope().sessionId();
    String two = send("a+rs2@example.com", "rs2").envelope().sessionId();
    String root = send("a@example.com", "rs-root").envelope().sessionId();
    SessionLog ns1 = client.sessions().namespace("RS1");

    assertThat(ids(ns1)).containsExactly(one);
    assertThat(ns1.find(t -> true)).extracting(Transcript::id).containsExactly(one);
    assertThat(ids(client.sessions().namespace("rs2"))).containsExactly(two);
    assertThat(ids(client.sessions())).contains(one, two, root);
    assertThat(ns1.findById(two)).isEmpty();
    assertThat(ns1.findById(one)).isPresent();
    assertThat(ns1.namespace("rs2").findById(two)).isPresent();
  }

  @Test
  void aRemoteTranscriptNamesTheNamespacesItsSessionStoredMailIn() {
    TestMail.sendAll(
        server.smtpHost(),
        server.smtpPort(),
        List.of(
            TestMail.message().from("app@x.test").to("a+rt2@example.com").subject("rt2").text("b"),
            TestMail.message().from("app@x.test").to("a@example.com").subject("rt-0").text("b"),
            TestMail.message()
                .from("app@x.test")
                .to("a+rt1@example.com")
                .subject("rt1")
                .text("b")));
    String mixed =
        client
            .mailbox()
            .await(x -> x.subject().equals("rt1"), 1, WAIT)
            .get(0)
            .envelope()
            .sessionId();
    client.sessions().await(t -> t.id().equals(mixed) && !t.isOpen(), 1, WAIT);
    String root = send("a@example.com", "rt-root").envelope().sessionId();

    assertThat(client.sessions().findById(mixed).orElseThrow().namespaces())
        .containsExactly("rt2", "rt1");
    assertThat(client.sessions().namespace("rt1").sessions())
        .singleElement()
        .satisfies(t -> assertThat(t.namespaces()).containsExactly("rt2", "rt1"));
    assertThat(client.sessions().findById(root).orElseThrow().namespaces()).isEmpty();
  }

  @Test
  void awaitOnANamespaceViewWaitsForItsOwnSessionAndFailsListingOnlyIt() throws Exception {
    SessionLog mine = client.sessions().namespace("rw1");
    CompletableFuture<List<Transcript>> waiting =
        CompletableFuture.supplyAsync(() -> mine.await(t -> !t.isOpen(), 1, WAIT));
    String other = send("a+rw2@example.com", "rw2").envelope().sessionId();
    String own = send("a+rw1@example.com", "rw1").envelope().sessionId();

    assertThat(waiting.get(20, TimeUnit.SECONDS)).extracting(Transcript::id).containsExactly(own);
    assertThatThrownBy(() -> mine.await(t -> true, 2, Duration.ofMillis(200)))
        .isInstanceOf(MailsinkAssertionError.class)
        .hasMessageContaining("in namespace rw1")
        .hasMessageContaining(own)
        .hasMessageNotContaining(other);
  }

  @Test
  void clearingANamespaceViewKeepsTheOtherSessions() {
    send("a+rc1@example.com", "rc1");
    String other = send("a+rc2@example.com", "rc2").envelope().sessionId();

    assertThat(client.sessions().namespace("rc1").clear()).isEqualTo(1);

    assertThat(client.sessions().namespace("rc1").sessions()).isEmpty();
    assertThat(ids(client.sessions().namespace("rc2"))).containsExactly(other);
  }

  @Test
  void aNamespaceViewOfTheReleaseLogSeesOnlyTheReleasesOfItsMessages() throws Exception {
    CapturedMessage one = send("b+rr1@example.com", "rr1");
    CapturedMessage two = send("b+rr2@example.com", "rr2");
    Release r1 = client.release(one, "me@example.com").get(20, TimeUnit.SECONDS);
    Release r2 = client.release(two, "me@example.com").get(20, TimeUnit.SECONDS);
    ReleaseLog ns1 = client.releases().namespace("rr1");
    assertThat(r1.namespace()).isEqualTo("rr1");
    assertThat(client.releases().findById(r2.id()).orElseThrow().namespace()).isEqualTo("rr2");

    assertThat(ns1.releases()).extracting(Release::id).containsExactly(r1.id());
    assertThat(client.releases().namespace("rr2").releases())
        .extracting(Release::id)
        .containsExactly(r2.id());
    assertThat(client.releases().releases()).extracting(Release::id).contains(r1.id(), r2.id());
    assertThat(ns1.findById(r2.id())).isEmpty();
    assertThat(ns1.findById(r1.id()).orElseThrow().namespace()).isEqualTo("rr1");
    assertThat(ns1.forMessage(two.id())).isEmpty();
    assertThat(ns1.awaitDone(r1.id(), WAIT).status()).isEqualTo(Release.Status.DELIVERED);
    assertThatThrownBy(() -> ns1.awaitDone(r2.id(), WAIT))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("in namespace rr1");
  }
}
