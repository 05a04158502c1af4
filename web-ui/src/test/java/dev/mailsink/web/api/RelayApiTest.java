package dev.mailsink.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.AuthConfig;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Credentials;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.RetryPolicy;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import dev.mailsink.web.support.SseClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RelayApiTest {
  private static final String JSON = "application/json";
  private static final Duration WAIT = Duration.ofSeconds(10);

  static Mailsink upstream;
  static Mailsink sink;
  static MailsinkWebServer web;
  static HttpApi api;

  @BeforeAll
  static void start() {
    upstream =
        Mailsink.start(
            MailsinkConfig.builder()
                .auth(AuthConfig.required(Credentials.of("relay", "top-secret-pw")))
                .build());
    sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .relay(
                    RelayConfig.builder(upstream.smtpHost(), upstream.smtpPort())
                        .tls(RelayTls.NONE)
                        .credentials(Credentials.of("relay", "top-secret-pw"))
                        .allowedRecipients("*@y.test")
                        .retry(RetryPolicy.of(3, Duration.ofMillis(20)))
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

  @BeforeEach
  void empty() throws Exception {
    sink.mailbox().clear();
    upstream.mailbox().clear();
    upstream.faults().clear();
  }

  private static CapturedMessage capture() throws Exception {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "app@x.test", "bob@y.test", "Hi", "body");
    return sink.mailbox().await(1, WAIT).get(0);
  }

  private static JsonNode awaitDone(JsonNode release) {
    Response done =
        api.get("/api/v1/releases/" + release.get("id").asLong() + "/await?timeout=10s");
    assertThat(done.status()).isEqualTo(200);
    return done.json();
  }

  @Test
  void postingAReleaseAnswers202AndTheOutcomeIsReadBack() throws Exception {
    CapturedMessage m = capture();

    Response posted =
        api.post("/api/v1/messages/" + m.id() + "/release", JSON, "{\"to\":[\"carol@y.test\"]}");

    assertThat(posted.status()).isEqualTo(202);
    long id = posted.json().get("id").asLong();
    assertThat(posted.header("Location")).isEqualTo("/api/v1/releases/" + id);
    assertThat(posted.json().get("messageId").asLong()).isEqualTo(m.id());
    assertThat(posted.json().get("trigger").asText()).isEqualTo("manual");
    JsonNode done = awaitDone(posted.json());
    assertThat(done.get("status").asText()).isEqualTo("delivered");
    assertThat(done.get("done").asBoolean()).isTrue();
    assertThat(done.get("deliveredTo").get(0).asText()).isEqualTo("carol@y.test");
    JsonNode attempt = done.get("attempts").get(0);
    assertThat(attempt.get("result").asText()).isEqualTo("delivered");
    assertThat(attempt.get("replyCode").asInt()).isEqualTo(250);
    assertThat(attempt.get("upstream").asText())
        .isEqualTo(upstream.smtpHost() + ":" + upstream.smtpPort());
    assertThat(upstream.mailbox().await(1, WAIT).get(0).envelope().recipients())
        .containsExactly("carol@y.test");

    JsonNode message = api.get("/api/v1/messages/" + m.id()).json();
    assertThat(message.get("releases").get(0).get("status").asText()).isEqualTo("delivered");
    assertThat(api.get("/api/v1/messages/" + m.id() + "/releases").json().get("releases"))
        .hasSize(1);
    assertThat(api.get("/api/v1/releases").json().get("releases").get(0).get("id").asLong())
        .isEqualTo(id);
    assertThat(api.get("/api/v1/releases/" + id).json().get("status").asText())
        .isEqualTo("delivered");
  }

  @Test
  void aRecipientOutsideTheAllowListGets403AndNothingIsSent() throws Exception {
    CapturedMessage m = capture();
    Response r =
        api.post(
            "/api/v1/messages/" + m.id() + "/release",
            JSON,
            "{\"to\":[\"bob@y.test\",\"eve@evil.test\"]}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().get("error").asText()).isEqualTo("recipient_not_allowed");
    assertThat(r.json().get("message").asText())
        .startsWith("The relay allow list [*@y.test] does not allow [eve@evil.test]");
    assertThat(m.releases()).isEmpty();
  }

  @Test
  void badReleaseBodiesGet400Or415() throws Exception {
    CapturedMessage m = capture();
    String path = "/api/v1/messages/" + m.id() + "/release";
    assertThat(api.post(path, JSON, "{}").json().get("message").asText())
        .startsWith("A release needs recipients");
    assertThat(api.post(path, JSON, "{\"to\":[\"a@y.test\"],\"cc\":[]}").status()).isEqualTo(400);
    assertThat(api.post(path, JSON, "not json").status()).isEqualTo(400);
    assertThat(api.post(path, "text/plain", "{\"to\":[\"a@y.test\"]}").status()).isEqualTo(415);
    assertThat(
            api.post("/api/v1/messages/999999/release", JSON, "{\"to\":[\"a@y.test\"]}").status())
        .isEqualTo(404);
  }

  @Test
  void withoutARelayAReleaseGets409() throws Exception {
    try (Mailsink plain = Mailsink.start();
        MailsinkWebServer plainWeb = MailsinkWebServer.start(plain)) {
      TestMail.send(plain.smtpHost(), plain.smtpPort(), "a@x.test", "b@y.test", "x", "x");
      long id = plain.mailbox().await(1, WAIT).get(0).id();
      Response r =
          new HttpApi(plainWeb.url())
              .post("/api/v1/messages/" + id + "/release", JSON, "{\"to\":[\"b@y.test\"]}");
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.json().get("error").asText()).isEqualTo("relay_not_configured");
      assertThat(new HttpApi(plainWeb.url()).get("/api/v1/info").json().get("relay").isNull())
          .isTrue();
    }
  }

  @Test
  void anUpstream5xxIsRecordedAsAFailedRelease() throws Exception {
    upstream.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No such user"));
    CapturedMessage m = capture();
    JsonNode posted =
        api.post("/api/v1/messages/" + m.id() + "/release", JSON, "{\"to\":\"bob@y.test\"}").json();
    JsonNode done = awaitDone(posted);
    assertThat(done.get("status").asText()).isEqualTo("failed");
    JsonNode attempt = done.get("attempts").get(0);
    assertThat(attempt.get("result").asText()).isEqualTo("refused");
    assertThat(attempt.get("refusedRecipients").get(0).get("code").asInt()).isEqualTo(550);
    assertThat(attempt.get("refusedRecipients").get(0).get("reply").asText())
        .isEqualTo("550 5.1.1 No such user");
  }

  @Test
  void releaseChangesArriveAsEvents() throws Exception {
    CapturedMessage m = capture();
    try (SseClient events = new SseClient(api.client(), api.uri("/api/v1/events"))) {
      events.next("hello", WAIT);
      api.post("/api/v1/messages/" + m.id() + "/release", JSON, "{\"to\":[\"bob@y.test\"]}");
      JsonNode delivered = null;
      while (delivered == null) {
        SseClient.Event e = events.next("release", WAIT);
        JsonNode r = e.data().get("release");
        if (r.get("done").asBoolean()) {
          delivered = r;
        }
      }
      assertThat(delivered.get("status").asText()).isEqualTo("delivered");
      assertThat(delivered.get("messageId").asLong()).isEqualTo(m.id());
    }
  }

  @Test
  void infoShowsTheUpstreamButNeverThePassword() throws Exception {
    Response info = api.get("/api/v1/info");
    JsonNode relay = info.json().get("relay");
    assertThat(relay.get("host").asText()).isEqualTo(upstream.smtpHost());
    assertThat(relay.get("port").asInt()).isEqualTo(upstream.smtpPort());
    assertThat(relay.get("tls").asText()).isEqualTo("none");
    assertThat(relay.get("user").asText()).isEqualTo("relay");
    assertThat(relay.get("allowedRecipients").get(0).asText()).isEqualTo("*@y.test");
    assertThat(info.text()).doesNotContain("top-secret-pw");
    assertThat(api.get("/api/v1/releases").text()).doesNotContain("top-secret-pw");
  }

  @Test
  void awaitingAReleaseThatIsNotDoneTimesOutWith408() throws Exception {
    upstream.faults().add(FaultRule.on(SmtpStage.CONNECT).stall());
    try (Mailsink slow =
            Mailsink.start(
                MailsinkConfig.builder()
                    .relay(
                        RelayConfig.builder(upstream.smtpHost(), upstream.smtpPort())
                            .tls(RelayTls.NONE)
                            .allowedRecipients("*")
                            .timeout(Duration.ofSeconds(20))
                            .build())
                    .build());
        MailsinkWebServer slowWeb = MailsinkWebServer.start(slow)) {
      TestMail.send(slow.smtpHost(), slow.smtpPort(), "a@x.test", "b@y.test", "x", "x");
      CapturedMessage m = slow.mailbox().await(1, WAIT).get(0);
      slow.release(m, "b@y.test");
      long id = m.releases().get(0).id();
      Response r =
          new HttpApi(slowWeb.url()).get("/api/v1/releases/" + id + "/await?timeout=100ms");
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.json().get("release").get("status").asText()).isEqualTo("pending");
    } finally {
      upstream.faults().clear();
    }
  }
}
