package dev.mailsink.web;

import static dev.mailsink.web.support.HttpApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ?namespace=} on the release log and the session log endpoints, over real HTTP against a
 * real sink (relaying to a second one). Each test uses namespaces of its own, so nothing is reset.
 */
@Timeout(30)
class NamespaceLogsApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  static Mailsink upstream;
  static Mailsink sink;
  static MailsinkWebServer web;
  static HttpApi api;

  @BeforeAll
  static void start() {
    upstream = Mailsink.start();
    sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .relay(
                    RelayConfig.builder(upstream.smtpHost(), upstream.smtpPort())
                        .tls(RelayTls.NONE)
                        .allowedRecipients("*@y.test")
                        .build())
                .build());
    web = MailsinkWebServer.start(sink);
    api = new HttpApi(web.url());
  }

  @AfterAll
  static void stop() {
    web.close();
    sink.close();
    upstream.close();
  }

  /** Sends one message over its own session and waits for that session to end. */
  private static CapturedMessage send(String to, String subject) {
    TestMail.message()
        .from("app@x.test")
        .to(to)
        .subject(subject)
        .text("body")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    CapturedMessage m = sink.mailbox().find(x -> x.subject().equals(subject)).get(0);
    String session = m.envelope().sessionId();
    sink.sessions().await(t -> t.id().equals(session) && !t.isOpen(), 1, WAIT);
    return m;
  }

  private static long release(CapturedMessage m) {
    Response r =
        api.post(
            "/api/v1/messages/" + m.id() + "/release",
            "application/json",
            "{\"to\":[\"me@y.test\"]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    long id = r.json().get("id").asLong();
    Response done = api.get("/api/v1/releases/" + id + "/await?timeout=10s");
    assertThat(done.json().get("status").asText()).isEqualTo("delivered");
    return id;
  }

  private static List<Long> releaseIds(String path) {
    Response r = api.get(path);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("releases").findValues("id").stream().map(JsonNode::asLong).toList();
  }

  private static List<String> sessionIds(String path) {
    Response r = api.get(path);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("sessions").findValuesAsText("id");
  }

  @Test
  void theReleaseListAndOneReleaseAreScopedToTheMessagesNamespace() {
    long one = release(send("bob+rel1@y.test", "r1"));
    long two = release(send("bob+rel2@y.test", "r2"));
    long root = release(send("bob@y.test", "r-root"));

    assertThat(releaseIds("/api/v1/releases?namespace=rel1")).containsExactly(one);
    assertThat(releaseIds("/api/v1/releases?namespace=REL2")).containsExactly(two);
    assertThat(releaseIds("/api/v1/releases")).contains(root, two, one);
    assertThat(releaseIds("/api/v1/releases?namespace=rel3")).isEmpty();
    for (String path : List.of("/api/v1/releases/" + two, "/api/v1/releases/" + two + "/await")) {
      Response outside = api.get(path + "?namespace=rel1");
      assertThat(outside.status()).as(path).isEqualTo(404);
      assertThat(outside.json().get("error").asText()).isEqualTo("not_found");
      assertThat(outside.json().get("message").asText()).contains("in namespace rel1");
      assertThat(api.get(path + "?namespace=rel2").status()).as(path).isEqualTo(200);
    }
  }

  @Test
  void theSessionListAndOneSessionAreScopedToTheNamespacesTheyStoredMailIn() {
    String one = send("x+ses1@example.com", "s1").envelope().sessionId();
    String two = send("x+ses2@example.com", "s2").envelope().sessionId();
    String root = send("x@example.com", "s-root").envelope().sessionId();

    Response listed = api.get("/api/v1/sessions?namespace=ses1");
    assertThat(listed.json().get("total").asInt()).isEqualTo(1);
    assertThat(sessionIds("/api/v1/sessions?namespace=ses1")).containsExactly(one);
    assertThat(sessionIds("/api/v1/sessions?namespace=Ses2")).containsExactly(two);
    assertThat(sessionIds("/api/v1/sessions?limit=100000")).contains(root, two, one);
    Response outside = api.get("/api/v1/sessions/" + enc(two) + "?namespace=ses1");
    assertThat(outside.status()).isEqualTo(404);
    assertThat(outside.json().get("message").asText()).contains("in namespace ses1");
    assertThat(api.get("/api/v1/sessions/" + enc(two) + "?namespace=ses2").status()).isEqualTo(200);
  }

  @Test
  void sessionsAndReleasesSayWhichNamespacesTheyBelongTo() {
    TestMail.sendAll(
        sink.smtpHost(),
        sink.smtpPort(),
        List.of(
            TestMail.message().from("app@x.test").to("x+fld2@y.test").subject("f2").text("b"),
            TestMail.message().from("app@x.test").to("x@y.test").subject("f-root").text("b"),
            TestMail.message().from("app@x.test").to("x+fld1@y.test").subject("f1").text("b")));
    CapturedMessage inOne = sink.mailbox().find(x -> x.subject().equals("f1")).get(0);
    String mixed = inOne.envelope().sessionId();
    sink.sessions().await(t -> t.id().equals(mixed) && !t.isOpen(), 1, WAIT);
    CapturedMessage root = send("x@y.test", "f-root-only");

    JsonNode session = api.get("/api/v1/sessions/" + enc(mixed) + "?namespace=fld1").json();
    assertThat(texts(session.get("namespaces"))).containsExactly("fld2", "fld1");
    JsonNode listed = api.get("/api/v1/sessions?namespace=fld1").json().get("sessions").get(0);
    assertThat(texts(listed.get("namespaces"))).containsExactly("fld2", "fld1");
    JsonNode rootSession = api.get("/api/v1/sessions/" + enc(root.envelope().sessionId())).json();
    assertThat(rootSession.get("namespaces").isArray()).isTrue();
    assertThat(rootSession.get("namespaces")).isEmpty();

    long released = release(inOne);
    long rootRelease = release(root);
    JsonNode inList = api.get("/api/v1/releases?namespace=fld1").json().get("releases").get(0);
    assertThat(inList.get("id").asLong()).isEqualTo(released);
    assertThat(inList.get("namespace").asText()).isEqualTo("fld1");
    assertThat(api.get("/api/v1/releases/" + released).json().get("namespace").asText())
        .isEqualTo("fld1");
    JsonNode ofRoot = api.get("/api/v1/releases/" + rootRelease).json();
    assertThat(ofRoot.has("namespace")).isTrue();
    assertThat(ofRoot.get("namespace").isNull()).isTrue();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void theAwaitLongPollOfANamespaceAnswersForItsOwnSessionsOnly() throws Exception {
    long version = api.get("/api/v1/sessions?namespace=wait1").json().get("version").asLong();
    send("x+wait2@example.com", "other namespace");
    send("x@example.com", "no namespace");

    Response quiet =
        api.get("/api/v1/sessions/await?namespace=wait1&after=" + version + "&timeout=200ms");
    assertThat(quiet.status()).isEqualTo(408);
    assertThat(quiet.json().get("message").asText()).contains("in namespace wait1");
    assertThat(
            api.get("/api/v1/sessions/await?namespace=wait2&after=" + version + "&timeout=10s")
                .status())
        .isEqualTo(200);

    CompletableFuture<Response> poll =
        api.sendAsync(
            "GET", "/api/v1/sessions/await?namespace=wait1&after=" + version + "&timeout=10s");
    send("x+wait1@example.com", "mine");
    Response changed = poll.get();
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().get("version").asLong()).isGreaterThan(version);
  }

  @Test
  void deletingTheSessionsOfANamespaceKeepsEveryOtherSession() {
    send("x+del1@example.com", "d1 a");
    send("x+del1@example.com", "d1 b");
    String other = send("x+del2@example.com", "d2").envelope().sessionId();
    String root = send("x@example.com", "d-root").envelope().sessionId();

    Response deleted = api.delete("/api/v1/sessions?namespace=del1");

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("deleted").asInt()).isEqualTo(2);
    assertThat(sessionIds("/api/v1/sessions?namespace=del1")).isEmpty();
    assertThat(sessionIds("/api/v1/sessions?namespace=del2")).containsExactly(other);
    assertThat(sessionIds("/api/v1/sessions?limit=100000")).contains(root, other);
  }

  @Test
  void aNameNoNamespaceCanHaveIsABadRequestAndChangesNothing() {
    String kept = send("x+bad1@example.com", "kept").envelope().sessionId();
    String bad = "namespace=" + enc("a b");

    for (String[] request :
        new String[][] {
          {"GET", "/api/v1/releases?" + bad},
          {"GET", "/api/v1/releases/1?" + bad},
          {"GET", "/api/v1/releases/1/await?timeout=1s&" + bad},
          {"GET", "/api/v1/sessions?" + bad},
          {"GET", "/api/v1/sessions/" + enc(kept) + "?" + bad},
          {"GET", "/api/v1/sessions/await?timeout=1s&namespace=" + enc("a@b")},
          {"DELETE", "/api/v1/sessions?" + bad},
        }) {
      Response r = api.send(request[0], request[1]);
      assertThat(r.status()).as(request[0] + " " + request[1]).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isEqualTo("bad_request");
      assertThat(r.json().get("message").asText()).startsWith("namespace name must be");
    }
    assertThat(sessionIds("/api/v1/sessions?namespace=bad1")).containsExactly(kept);
  }
}
