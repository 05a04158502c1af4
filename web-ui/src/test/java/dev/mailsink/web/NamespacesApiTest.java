package dev.mailsink.web;

import static dev.mailsink.web.support.HttpApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.CapturedMessage;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.support.HttpApi.Response;
import dev.mailsink.web.support.SseClient;
import dev.mailsink.web.support.SseClient.Event;
import dev.mailsink.web.support.WebSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ?namespace=} on every message endpoint and {@code GET /api/v1/namespaces}, over real HTTP
 * against a real sink whose default rule puts {@code alice+ns1@example.com} in {@code ns1}.
 */
@Timeout(30)
class NamespacesApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final WebSink web = new WebSink();

  private static CapturedMessage send(String to, String subject) {
    TestMail.message()
        .to(to)
        .subject(subject)
        .text("text of " + subject)
        .html("<p>html of " + subject + "</p>")
        .attach("a.txt", "text/plain", "attached".getBytes(StandardCharsets.UTF_8))
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());
    return web.sink().mailbox().latest().orElseThrow();
  }

  private static List<String> subjects(JsonNode list) {
    return list.get("messages").findValuesAsText("subject");
  }

  @Test
  void listsAndCountsOnlyTheNamespacesMessagesWithoutRegardToCase() {
    send("alice+ns1@example.com", "one");
    send("bob+ns2@example.com", "other");
    send("carol@example.com", "root only");
    send("alice+NS1@example.com", "two");

    Response r = web.api().get("/api/v1/messages?namespace=Ns1");
    Response count = web.api().get("/api/v1/messages?namespace=ns1&limit=0");
    Response page = web.api().get("/api/v1/messages?namespace=ns1&limit=1&offset=1");

    assertThat(r.status()).isEqualTo(200);
    assertThat(subjects(r.json())).containsExactly("two", "one");
    assertThat(r.json().get("messages").findValuesAsText("namespace")).containsOnly("ns1");
    assertThat(count.json().get("total").asInt()).isEqualTo(2);
    assertThat(subjects(page.json())).containsExactly("one");
    assertThat(web.api().get("/api/v1/messages").json().get("total").asInt()).isEqualTo(4);
  }

  @Test
  void searchesWithinTheNamespace() {
    send("alice+ns1@example.com", "order 1");
    send("alice+ns2@example.com", "order 2");

    Response r = web.api().get("/api/v1/messages?namespace=ns1&q=" + enc("subject:order"));

    assertThat(subjects(r.json())).containsExactly("order 1");
  }

  @Test
  void aMessageOutsideTheNamespaceIsNotFoundByIdNorItsBodiesAttachmentsTranscriptOrReleases() {
    CapturedMessage other = send("bob+ns2@example.com", "other");
    String base = "/api/v1/messages/" + other.id();

    for (String path :
        List.of(
            base,
            base + "/raw",
            base + "/html",
            base + "/text",
            base + "/attachments/0",
            base + "/transcript",
            base + "/releases")) {
      Response outside = web.api().get(path + "?namespace=ns1");
      assertThat(outside.status()).as(path).isEqualTo(404);
      assertThat(outside.json().get("error").asText()).isEqualTo("not_found");
      assertThat(outside.json().get("message").asText()).contains("in namespace ns1");
    }
    assertThat(web.api().get(base + "?namespace=ns2").json().get("subject").asText())
        .isEqualTo("other");
    assertThat(web.api().get(base + "/raw?namespace=ns2").text()).contains("Subject: other");
    assertThat(web.api().get(base + "/html?namespace=ns2").text()).contains("html of other");
    assertThat(web.api().get(base + "/text?namespace=ns2").text()).contains("text of other");
    assertThat(web.api().get(base + "/attachments/0?namespace=ns2").text()).isEqualTo("attached");
    assertThat(web.api().get(base + "/releases?namespace=ns2").status()).isEqualTo(200);
  }

  @Test
  void releasingAMessageOutsideTheNamespaceIsNotFound() {
    CapturedMessage other = send("bob+ns2@example.com", "other");

    Response r =
        web.api()
            .post(
                "/api/v1/messages/" + other.id() + "/release?namespace=ns1",
                "application/json",
                "{\"to\":[\"copy@example.com\"]}");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("message").asText()).contains("in namespace ns1");
  }

  @Test
  void latestIsTheNamespacesNewestAndNotFoundInAnEmptyNamespace() {
    send("alice+ns1@example.com", "ns1 newest");
    send("bob+ns2@example.com", "ns2 newest");

    Response latest = web.api().get("/api/v1/messages/latest?namespace=ns1");
    Response empty = web.api().get("/api/v1/messages/latest?namespace=nobody");

    assertThat(latest.json().get("subject").asText()).isEqualTo("ns1 newest");
    assertThat(web.api().get("/api/v1/messages/latest/text?namespace=ns1").text())
        .isEqualTo("text of ns1 newest");
    assertThat(empty.status()).isEqualTo(404);
    assertThat(empty.json().get("message").asText())
        .isEqualTo("No message yet in namespace nobody");
  }

  @Test
  void deletesOneMessageOnlyWithinTheNamespace() {
    CapturedMessage mine = send("alice+ns1@example.com", "mine");
    CapturedMessage other = send("bob+ns2@example.com", "other");

    Response outside = web.api().delete("/api/v1/messages/" + other.id() + "?namespace=ns1");
    Response inside = web.api().delete("/api/v1/messages/" + mine.id() + "?namespace=ns1");

    assertThat(outside.status()).isEqualTo(404);
    assertThat(inside.status()).isEqualTo(204);
    assertThat(web.sink().mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("other");
  }

  @Test
  void deletesAllOrAllMatchingWithinTheNamespaceOnly() {
    send("alice+ns1@example.com", "keep me");
    send("alice+ns1@example.com", "drop me");
    send("bob+ns2@example.com", "drop me too, but not from ns1");
    send("carol@example.com", "root");

    Response matching =
        web.api().delete("/api/v1/messages?namespace=ns1&q=" + enc("subject:\"drop me\""));
    List<String> afterMatching = subjectsOfSink();
    Response all = web.api().delete("/api/v1/messages?namespace=ns1");

    assertThat(matching.json().get("deleted").asInt()).isEqualTo(1);
    assertThat(afterMatching).containsExactly("keep me", "drop me too, but not from ns1", "root");
    assertThat(all.json().get("deleted").asInt()).isEqualTo(1);
    assertThat(subjectsOfSink()).containsExactly("drop me too, but not from ns1", "root");
  }

  private static List<String> subjectsOfSink() {
    return web.sink().mailbox().messages().stream().map(CapturedMessage::subject).toList();
  }

  @Test
  void awaitAnswersWithTheNamespacesMailOnlyWhenItArrives() throws Exception {
    CompletableFuture<Response> waiting =
        web.api().sendAsync("GET", "/api/v1/messages/await?namespace=ns1&count=2&timeout=20s");
    web.server().app().whenParked(1).get();

    send("bob+ns2@example.com", "other 1");
    send("alice+ns1@example.com", "mine 1");
    send("bob+ns2@example.com", "other 2");
    send("alice+ns1@example.com", "mine 2");
    Response r = waiting.get();

    assertThat(r.status()).isEqualTo(200);
    assertThat(subjects(r.json())).containsExactly("mine 1", "mine 2");
  }

  @Test
  void awaitWithAQueryMatchesWithinTheNamespace() throws Exception {
    send("bob+ns2@example.com", "invoice elsewhere");
    CompletableFuture<Response> waiting =
        web.api()
            .sendAsync(
                "GET",
                "/api/v1/messages/await?namespace=ns1&q="
                    + enc("subject:invoice")
                    + "&timeout=20s");
    web.server().app().whenParked(1).get();

    send("alice+ns1@example.com", "newsletter");
    send("alice+ns1@example.com", "invoice 7");
    Response r = waiting.get();

    assertThat(subjects(r.json())).containsExactly("invoice 7");
  }

  @Test
  void awaitTimesOutSayingWhichNamespaceItWaitedOn() {
    send("bob+ns2@example.com", "other");
    send("alice+ns1@example.com", "mine");

    Response r = web.api().get("/api/v1/messages/await?namespace=ns1&count=2&timeout=200ms");

    assertThat(r.status()).isEqualTo(408);
    assertThat(r.json().get("message").asText())
        .isEqualTo("Expected 2 messages in namespace ns1 within PT0.2S but 1 arrived");
    assertThat(subjects(r.json())).containsExactly("mine");
  }

  @Test
  void eventsOfANamespaceTellOnlyOfItsMessages() {
    send("alice+ns1@example.com", "before");
    CapturedMessage otherBefore = send("bob+ns2@example.com", "other before");
    try (SseClient events =
        new SseClient(web.api().client(), web.api().uri("/api/v1/events?namespace=ns1"))) {
      Event hello = events.next("hello", WAIT);
      assertThat(hello.data().get("messages").asInt()).isEqualTo(1);

      send("bob+ns2@example.com", "other live");
      send("alice+ns1@example.com", "mine live");
      Event received = events.next("received", WAIT);
      assertThat(subjects(received.data())).containsExactly("mine live");

      long mine = web.sink().mailbox().latest().orElseThrow().id();
      web.api().delete("/api/v1/messages/" + otherBefore.id());
      web.api().delete("/api/v1/messages/" + mine);
      Event deleted = events.next("deleted", WAIT);
      List<Long> ids = new ArrayList<>();
      deleted.data().get("ids").forEach(id -> ids.add(id.asLong()));
      assertThat(ids).containsExactly(mine);

      web.api().delete("/api/v1/messages");
      assertThat(events.next(WAIT).name()).isEqualTo("cleared");
    }
  }

  @Test
  void aNameNoNamespaceCanHaveIsABadRequestOnEveryEndpoint() {
    send("alice+ns1@example.com", "mine");
    long id = web.sink().mailbox().latest().orElseThrow().id();
    String bad = "namespace=" + enc("a b");

    for (String[] request :
        new String[][] {
          {"GET", "/api/v1/messages?" + bad},
          {"DELETE", "/api/v1/messages?" + bad},
          {"GET", "/api/v1/messages/await?timeout=1s&" + bad},
          {"GET", "/api/v1/messages/" + id + "?" + bad},
          {"GET", "/api/v1/messages/latest?namespace=" + enc("a@b")},
          {"DELETE", "/api/v1/messages/" + id + "?" + bad},
          {"GET", "/api/v1/messages/" + id + "/raw?" + bad},
          {"GET", "/api/v1/events?" + bad},
        }) {
      Response r = web.api().send(request[0], request[1]);
      assertThat(r.status()).as(request[0] + " " + request[1]).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isEqualTo("bad_request");
      assertThat(r.json().get("message").asText()).startsWith("namespace name must be");
    }
    assertThat(web.sink().mailbox().count()).isEqualTo(1);
  }

  @Test
  void listsTheNamespacesPresentWithTheirCounts() {
    send("alice+ns2@example.com", "b1");
    send("alice+ns1@example.com", "a1");
    send("bob+ns2@example.com", "b2");
    send("carol@example.com", "root");

    JsonNode before = web.api().get("/api/v1/namespaces").json();
    web.api().delete("/api/v1/messages?namespace=ns1");
    JsonNode after = web.api().get("/api/v1/namespaces").json();

    assertThat(before.get("total").asInt()).isEqualTo(4);
    assertThat(before.get("withoutNamespace").asInt()).isEqualTo(1);
    assertThat(before.get("namespaces").findValuesAsText("name")).containsExactly("ns1", "ns2");
    assertThat(before.get("namespaces").findValues("count"))
        .extracting(JsonNode::asInt)
        .containsExactly(1, 2);
    assertThat(after.get("namespaces").findValuesAsText("name")).containsExactly("ns2");
  }
}
