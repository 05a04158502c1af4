package dev.mailsink.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.AuthConfig;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Credentials;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsMode;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.session.Transcript;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.support.HttpApi.Response;
import dev.mailsink.web.support.WebSink;
import jakarta.mail.SendFailedException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class SessionsApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String PASSWORD = "pw-that-must-not-leak";

  @RegisterExtension
  static final WebSink web =
      new WebSink(
          MailsinkConfig.builder()
              .startTls(TlsMode.REQUIRED)
              .auth(AuthConfig.required(Credentials.of("app", PASSWORD)))
              .build());

  @BeforeEach
  void empty() {
    web.sink().sessions().clear();
    web.sink().faults().clear();
  }

  private static void send() throws Exception {
    TestMail.via(web.sink().smtpHost(), web.sink().smtpPort())
        .from("app@x.test")
        .to("bob@y.test")
        .subject("over TLS")
        .startTls(web.sink().tls().sslContext())
        .auth("app", PASSWORD)
        .send();
  }

  private static String path(String sessionId) {
    return "/api/v1/sessions/" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
  }

  @Test
  void aGreylistedAndRetriedDeliveryIsReadBackOverTheApiWithoutCredentials() throws Exception {
    web.sink().faults().add(FaultRule.on(SmtpStage.RCPT).greylist(Duration.ZERO));
    try {
      send();
    } catch (SendFailedException greylisted) {
      send();
    }
    CapturedMessage m = web.sink().mailbox().await(1, WAIT).get(0);
    List<Transcript> ended = web.sink().sessions().await(t -> !t.isOpen(), 2, WAIT);

    JsonNode list = web.api().get("/api/v1/sessions").json();
    assertThat(list.get("total").asInt()).isEqualTo(2);
    assertThat(list.get("recording").asBoolean()).isTrue();
    JsonNode newest = list.get("sessions").get(0);
    JsonNode oldest = list.get("sessions").get(1);
    assertThat(newest.get("id").asText()).isEqualTo(ended.get(1).id());
    assertThat(newest.get("messageIds").get(0).asLong()).isEqualTo(m.id());
    assertThat(oldest.get("messageIds")).isEmpty();
    assertThat(oldest.get("faultCount").asInt()).isEqualTo(1);
    assertThat(oldest.get("end").asText()).isEqualTo("quit");

    JsonNode first = web.api().get(path(oldest.get("id").asText())).json();
    List<String> replies = new ArrayList<>();
    for (JsonNode e : first.get("entries")) {
      if (e.get("kind").asText().equals("reply")) {
        replies.add(e.get("text").asText());
      }
    }
    assertThat(replies).contains("451 4.7.1 Greylisted, please try again later");
    assertThat(first.get("tlsProtocol").asText()).startsWith("TLSv1.");
    assertThat(first.get("authMechanism").asText()).isNotBlank();
    assertThat(first.get("authenticatedUser").asText()).isEqualTo("app");

    Response transcript = web.api().get("/api/v1/messages/" + m.id() + "/transcript");
    assertThat(transcript.status()).isEqualTo(200);
    assertThat(transcript.json().get("id").asText()).isEqualTo(m.envelope().sessionId());
    assertThat(transcript.json().get("entries").toString())
        .contains("\"kind\":\"tls\"")
        .contains("\"kind\":\"auth\"")
        .contains("[credentials redacted]");
    String everything = transcript.text() + web.api().get(path(oldest.get("id").asText())).text();
    assertThat(everything).doesNotContain(PASSWORD);
    assertThat(everything)
        .doesNotContain(
            java.util.Base64.getEncoder()
                .encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
    assertThat(web.api().get("/api/v1/messages/" + m.id()).json().get("sessionUrl").asText())
        .isEqualTo(path(m.envelope().sessionId()));
  }

  @Test
  void unknownSessionsAndMissingTranscriptsAre404() throws Exception {
    assertThat(web.api().get("/api/v1/sessions/NOPE").status()).isEqualTo(404);
    send();
    CapturedMessage m = web.sink().mailbox().await(1, WAIT).get(0);
    web.sink().sessions().await(t -> !t.isOpen(), 1, WAIT);
    web.sink().sessions().clear();
    Response r = web.api().get("/api/v1/messages/" + m.id() + "/transcript");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("message").asText()).contains("is no longer retained");
  }

  @Test
  void theAwaitLongPollAnswersWhenASessionStartsOrEnds() throws Exception {
    long version = web.api().get("/api/v1/sessions").json().get("version").asLong();
    CompletableFuture<Response> poll =
        web.api().sendAsync("GET", "/api/v1/sessions/await?after=" + version + "&timeout=10s");
    send();
    Response changed = poll.get();
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().get("version").asLong()).isGreaterThan(version);

    long now = web.api().get("/api/v1/sessions").json().get("version").asLong();
    Response quiet = web.api().get("/api/v1/sessions/await?after=" + (now + 100) + "&timeout=50ms");
    assertThat(quiet.status()).isEqualTo(408);
    assertThat(web.api().get("/api/v1/sessions/await?after=x").status()).isEqualTo(400);
  }

  @Test
  void infoShowsTheSessionLimits() {
    JsonNode info = web.api().get("/api/v1/info").json();
    assertThat(info.get("limits").get("retainedSessions").asInt())
        .isEqualTo(MailsinkConfig.DEFAULT_RETAINED_SESSIONS);
    assertThat(info.get("limits").get("retainedSessionBytes").asLong())
        .isEqualTo(MailsinkConfig.DEFAULT_RETAINED_SESSION_BYTES);
    assertThat(info.get("smtp").get("recordSessions").asBoolean()).isTrue();
    assertThat(info.get("counts").has("sessions")).isTrue();
  }
}
