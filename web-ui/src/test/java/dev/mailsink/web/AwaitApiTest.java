package dev.mailsink.web;

import static dev.mailsink.web.support.HttpApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.Mailsink;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AwaitApiTest {
  static Mailsink sink;
  static MailsinkWebServer web;
  static HttpApi api;

  @BeforeAll
  static void start() {
    sink = Mailsink.start();
    web = MailsinkWebServer.start(sink);
    api = new HttpApi(web.url());
  }

  @AfterAll
  static void stop() {
    web.close();
    sink.close();
  }

  @BeforeEach
  void emptyMailbox() {
    sink.mailbox().clear();
  }

  private static void send(String to, String subject) {
    TestMail.message().to(to).subject(subject).text("x").sendTo(sink.smtpHost(), sink.smtpPort());
  }

  @Test
  void answersAtOnceWhenEnoughMessagesAlreadyMatch() {
    send("a@example.com", "one");
    send("a@example.com", "two");

    Response r = api.get("/api/v1/messages/await?count=2&timeout=5s");

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
        api.sendAsync(
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
        api.get("/api/v1/messages/await?q=" + enc("to:bob@example.com") + "&count=2&timeout=300ms");

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
    Response r = api.get("/api/v1/messages/await?timeout=PT0.1S");

    assertThat(r.status()).isEqualTo(408);
    assertThat(r.json().get("message").asText()).contains("within PT0.1S but 0 arrived");
  }

  @Test
  void countZeroAnswersAtOnce() {
    Response r = api.get("/api/v1/messages/await?count=0");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("total").asInt()).isZero();
  }

  @Test
  void badTimeoutIs400NamingTheAcceptedForms() {
    Response noUnit = api.get("/api/v1/messages/await?timeout=5");
    Response tooLong = api.get("/api/v1/messages/await?timeout=2h");

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
    assertThat(api.get("/api/v1/messages/await?count=-1").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/messages/await?q=" + enc("nofield:x")).status()).isEqualTo(400);
  }

  @Test
  void manyConcurrentWaitersAreAllAnsweredByOneArrival() throws Exception {
    // Far more waiters than the server has worker threads: a thread per waiter would stall.
    List<CompletableFuture<Response>> waiting = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      waiting.add(api.sendAsync("GET", "/api/v1/messages/await?q=subject:ping&timeout=25s"));
    }
    web.app().whenParked(200).get();

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
    sink.mailbox().clear();

    Response r = api.get("/api/v1/messages/await?q=subject:ping&timeout=200ms");

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
