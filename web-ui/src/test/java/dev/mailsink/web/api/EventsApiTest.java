package dev.mailsink.web.api;

import static dev.mailsink.web.support.HttpApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.testing.TestMail;
import dev.mailsink.web.support.SseClient;
import dev.mailsink.web.support.SseClient.Event;
import dev.mailsink.web.support.WebSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class EventsApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final WebSink web = new WebSink();

  private SseClient connect() {
    SseClient events = new SseClient(web.api().client(), web.api().uri("/api/v1/events"));
    events.next("hello", WAIT);
    return events;
  }

  @Test
  void saysHelloWithTheMessageCountOnConnect() {
    TestMail.message()
        .to("a@example.com")
        .subject("before")
        .text("x")
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());

    try (SseClient events = new SseClient(web.api().client(), web.api().uri("/api/v1/events"))) {
      Event hello = events.next(WAIT);

      assertThat(hello.name()).isEqualTo("hello");
      assertThat(hello.data().get("messages").asInt()).isEqualTo(1);
    }
  }

  @Test
  void streamsASummaryWhenMailArrives() {
    try (SseClient events = connect()) {
      TestMail.message()
          .to("a@example.com")
          .subject("live")
          .text("x")
          .sendTo(web.sink().smtpHost(), web.sink().smtpPort());

      Event received = events.next("received", WAIT);

      assertThat(received.data().get("messages")).hasSize(1);
      assertThat(received.data().get("messages").get(0).get("subject").asText()).isEqualTo("live");
      assertThat(received.data().get("messages").get(0).has("envelope")).isTrue();
    }
  }

  @Test
  void streamsTheIdOfADeletedMessage() {
    TestMail.message()
        .to("a@example.com")
        .subject("doomed")
        .text("x")
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());
    long id = web.sink().mailbox().latest().orElseThrow().id();
    try (SseClient events = connect()) {
      web.api().delete("/api/v1/messages/" + id);

      Event deleted = events.next("deleted", WAIT);

      assertThat(deleted.data().get("ids").get(0).asLong()).isEqualTo(id);
    }
  }

  @Test
  void streamsClearedWhenEverythingIsRemoved() {
    TestMail.message()
        .to("a@example.com")
        .subject("x")
        .text("x")
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());
    try (SseClient events = connect()) {
      web.api().delete("/api/v1/messages");

      Event cleared = events.next("cleared", WAIT);

      assertThat(cleared.data().isObject()).isTrue();
    }
  }

  @Test
  void batchesABulkDeleteIntoFewEvents() {
    List<TestMail> mails = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      mails.add(TestMail.message().to("bulk@example.com").subject("bulk " + i).text("x"));
    }
    TestMail.sendAll(web.sink().smtpHost(), web.sink().smtpPort(), mails);
    try (SseClient events = connect()) {
      web.api().delete("/api/v1/messages?q=" + enc("to:bulk@example.com"));

      int ids = 0;
      int eventCount = 0;
      while (ids < 40) {
        Event e = events.next("deleted", WAIT);
        ids += e.data().get("ids").size();
        eventCount++;
      }

      assertThat(ids).isEqualTo(40);
      assertThat(eventCount).isLessThan(40);
    }
  }

  @Test
  void batchesABurstOfArrivalsIntoFewerEventsThanMessages() {
    try (SseClient events = connect()) {
      List<TestMail> mails = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        mails.add(TestMail.message().to("burst@example.com").subject("burst " + i).text("x"));
      }
      TestMail.sendAll(web.sink().smtpHost(), web.sink().smtpPort(), mails);

      int messages = 0;
      int eventCount = 0;
      List<String> subjects = new ArrayList<>();
      while (messages < 60) {
        Event e = events.next("received", WAIT);
        messages += e.data().get("messages").size();
        subjects.addAll(e.data().get("messages").findValuesAsText("subject"));
        eventCount++;
      }

      assertThat(subjects).hasSize(60).doesNotHaveDuplicates();
      assertThat(eventCount).isLessThan(60);
    }
  }
}
