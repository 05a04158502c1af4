package dev.mailsink.web;

import static dev.mailsink.web.support.HttpApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.Mailsink;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import dev.mailsink.web.support.WebSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class AwaitApiTest {
  @RegisterExtension static final WebSink web = new WebSink();

  private static void send(String to, String subject) {
    TestMail.message()
        .to(to)
        .subject(subject)
        .text("x")
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());
  }

  @Test
  void answersAtOnceWhenEnoughMessagesAlreadyMatch() {
    send("a@example.com", "one");
    send("a@example.com", "two");

    Response r = web.api().get("/api/v1/messages/await?count=2&timeout=5s");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("count").asInt()).isEqualTo(2);
    assertThat(r.json().get("messages").findValuesAsText("subject"))
        .as("oldest first, like Mailbox.await")
        .containsExactly("one", "two");
  }

  @Test
  void answersWhenMatchingMailArrives() throws Exception {
    send("other@example.com", "not this one");
    CompletableFuture<Response> waiting =
        web.api()
            .sendAsync(
                "GET", "/api/v1/messages/await?q=" + enc("to:bob@example.com") + "&timeout=20s");

    send("bob@example.com", "for bob");
    Response r = waiting.get();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("messages").findValuesAsText("subject")).containsExactly("for bob");
  }

  @Test
  void timesOutWith408ListingWhatDidArrive() {
    send("bob@example.com", "first for bob");
    send("carol@example.com", "for carol");

    Response r =
        web.api()
            .get(
                "/api/v1/messages/await?q=" + enc("to:bob@example.com") + "&count=2&timeout=300ms");

    assertThat(r.status()).isEqualTo(408);
    JsonNode json = r.json();
    assertThat(json.get("error").asText()).isEqualTo("timeout");
    assertThat(json.get("message").asText())
        .isEqualTo(
            "Expected 2 messages matching q=\"to:bob@example.com\" within PT0.3S but 1 arrived"
                + " (of 2 stored)");
    assertThat(json.get("total").asInt()).isEqualTo(1);
    assertThat(json.get("messages").findValuesAsText("subject")).containsExactly("first for bob");
  }

  @Test
  void acceptsIsoDurations() {
    Response r = web.api().get("/api/v1/messages/await?timeout=PT0.1S");

    assertThat(r.status()).isEqualTo(408);
    assertThat(r.json().get("message").asText()).contains("within PT0.1S but 0 arrived");
  }

  @Test
  void countZeroAnswersAtOnce() {
    Response r = web.api().get("/api/v1/messages/await?count=0");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("total").asInt()).isZero();
  }

  @Test
  void badTimeoutIs400NamingTheAcceptedForms() {
    Response noUnit = web.api().get("/api/v1/messages/await?timeout=5");
    Response tooLong = web.api().get("/api/v1/messages/await?timeout=2h");

    assertThat(noUnit.status()).isEqualTo(400);
    assertThat(noUnit.json().get("message").asText())
        .isEqualTo(
            "timeout must be an ISO-8601 duration (PT5S) or a number with a unit (500ms, 5s, 2m,"
                + " 1h), was '5'");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().get("message").asText())
        .isEqualTo("timeout must be at most PT1H, was 2h");
  }

  @Test
  void badCountOrQueryIs400() {
    assertThat(web.api().get("/api/v1/messages/await?count=-1").status()).isEqualTo(400);
    assertThat(web.api().get("/api/v1/messages/await?q=" + enc("nofield:x")).status())
        .isEqualTo(400);
  }

  @Test
  void manyConcurrentWaitersAreAllAnsweredByOneArrival() throws Exception {
    // Far more waiters than the server has worker threads: a thread per waiter would stall.
    List<CompletableFuture<Response>> waiting = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      waiting.add(web.api().sendAsync("GET", "/api/v1/messages/await?q=subject:ping&timeout=25s"));
    }
    web.server().app().whenParked(200).get();

    send("a@example.com", "ping");

    for (CompletableFuture<Response> w : waiting) {
      Response r = w.get();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("count").asInt()).isEqualTo(1);
    }
  }

  @Test
  void deletedMessagesDoNotCountTowardsAWait() throws Exception {
    send("a@example.com", "ping 1");
    web.sink().mailbox().clear();

    Response r = web.api().get("/api/v1/messages/await?q=subject:ping&timeout=200ms");

    assertThat(r.status()).isEqualTo(408);
  }

  @Test
  void closingTheWebServerAnswersParkedWaitersWith503() throws Exception {
    try (Mailsink own = Mailsink.start()) {
      MailsinkWebServer ownWeb = MailsinkWebServer.start(own);
      HttpApi ownApi = new HttpApi(ownWeb.url());
      CompletableFuture<Response> waiting =
          ownApi.sendAsync("GET", "/api/v1/messages/await?timeout=25s");
      ownWeb.app().whenParked(1).get();

      ownWeb.close();

      Response r = waiting.get();
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.json().get("error").asText()).isEqualTo("unavailable");
    }
  }
}
