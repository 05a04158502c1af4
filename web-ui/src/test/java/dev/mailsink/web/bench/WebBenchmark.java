package dev.mailsink.web.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailsink;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.SseClient;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Measures the web API with 10,000 stored messages: server time per list and search request (from
 * the {@code Server-Timing} header) and server-sent event delivery with 100 messages/s arriving.
 * Excluded from the normal build; run with
 *
 * <pre>
 * mvn -o -f web-ui/pom.xml test -Dtest=WebBenchmark -Dgroups=bench -Dsurefire.excludedGroups=none
 * </pre>
 *
 * Results go to {@code target/bench/web-benchmark.md}.
 */
@Tag("bench")
@Timeout(600)
class WebBenchmark {
  private static final int MESSAGES = 10_000;
  private final StringBuilder report = new StringBuilder();

  @Test
  void listSearchAndEventsWithTenThousandMessages() throws Exception {
    try (Mailsink sink = Mailsink.start();
        MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      HttpApi api = new HttpApi(web.url());
      long t0 = System.nanoTime();
      fill(sink);
      line(
          "Stored %,d messages over SMTP in %.1f s (%d cores, heap max %d MB)",
          sink.mailbox().count(),
          (System.nanoTime() - t0) / 1e9,
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20);
      line("");
      line("| request | cold server ms | server ms p50 | p95 | max | client RTT p50 ms | total |");
      line("|---|---|---|---|---|---|---|");
      measure(api, "list newest 50", "/api/v1/messages?limit=50");
      measure(api, "list page 181 (offset 9000)", "/api/v1/messages?limit=50&offset=9000");
      measure(api, "search to:user7@example.com", "/api/v1/messages?q=to:user7@example.com");
      measure(
          api,
          "search to:*@example.org (glob)",
          "/api/v1/messages?q=" + HttpApi.enc("to:*@example.org"));
      measure(
          api,
          "search subject:\"customer 42\"",
          "/api/v1/messages?q=" + HttpApi.enc("subject:\"customer 42\""));
      measure(api, "search has:attachment", "/api/v1/messages?q=has:attachment");
      measure(api, "search bare word (body) refund", "/api/v1/messages?q=refund");
      measure(
          api,
          "search body:\"tracking number 4242\"",
          "/api/v1/messages?q=" + HttpApi.enc("body:\"tracking number 4242\""));
      measure(api, "get one message", "/api/v1/messages/latest");
      line("");
      events(sink, api);
    }
    Path out = Path.of("target", "bench", "web-benchmark.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
  }

  private void line(String format, Object... args) {
    report.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static TestMail mail(int i) {
    TestMail m =
        TestMail.message()
            .from("shop" + (i % 7) + "@x.test")
            .to("user" + (i % 100) + (i % 3 == 0 ? "@example.org" : "@example.com"))
            .subject("Order " + i + " for customer " + (i % 500))
            .text(
                "Hello,\nthank you for order "
                    + i
                    + ". Your tracking number "
                    + i
                    + " is ready.\n"
                    + (i % 50 == 0 ? "We issued a refund.\n" : "")
                    + "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod"
                    + " tempor incididunt ut labore et dolore magna aliqua.\n".repeat(4));
    if (i % 10 == 0) {
      m.html("<html><body><h1>Order " + i + "</h1><p>Thanks!</p></body></html>");
    }
    if (i % 20 == 0) {
      m.attach("invoice-" + i + ".pdf", "application/pdf", new byte[2048]);
    }
    return m;
  }

  private static void fill(Mailsink sink) throws Exception {
    int threads = 4;
    CountDownLatch done = new CountDownLatch(threads);
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread sender =
          new Thread(
              () -> {
                try {
                  List<TestMail> mails = new ArrayList<>();
                  for (int i = first; i < MESSAGES; i += threads) {
                    mails.add(mail(i));
                  }
                  TestMail.sendAll(sink.smtpHost(), sink.smtpPort(), mails);
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                } finally {
                  done.countDown();
                }
              });
      sender.start();
    }
    done.await();
    assertThat(failures).isEmpty();
    assertThat(sink.mailbox().count()).isEqualTo(MESSAGES);
  }

  private void measure(HttpApi api, String name, String path) {
    int runs = 100;
    HttpApi.Response first = api.get(path);
    assertThat(first.status()).as(path).isEqualTo(200);
    double cold = serverMillis(first);
    for (int i = 0; i < 20; i++) {
      api.get(path);
    }
    double[] server = new double[runs];
    double[] client = new double[runs];
    int total = 0;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      HttpApi.Response r = api.get(path);
      client[i] = (System.nanoTime() - start) / 1e6;
      server[i] = serverMillis(r);
      total = r.json().path("total").asInt(1);
    }
    Arrays.sort(server);
    Arrays.sort(client);
    line(
        "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %d |",
        name,
        cold,
        server[runs / 2],
        server[(int) (runs * 0.95)],
        server[runs - 1],
        client[runs / 2],
        total);
  }

  private static double serverMillis(HttpApi.Response r) {
    String timing = r.header("Server-Timing");
    return Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4));
  }

  private void events(Mailsink sink, HttpApi api) throws Exception {
    int rate = 100;
    int seconds = 10;
    int count = rate * seconds;
    ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
    Session session = TestMail.session(sink.smtpHost(), sink.smtpPort());
    try (SseClient events = new SseClient(api.client(), api.uri("/api/v1/events"));
        Transport transport = session.getTransport("smtp")) {
      events.next("hello", Duration.ofSeconds(10));
      transport.connect();
      ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
      AtomicInteger sent = new AtomicInteger();
      CountDownLatch allSent = new CountDownLatch(1);
      long start = System.nanoTime();
      ScheduledFuture<?> task =
          pacer.scheduleAtFixedRate(
              () -> {
                int i = sent.getAndIncrement();
                if (i >= count) {
                  allSent.countDown();
                  return;
                }
                try {
                  String subject = "sse " + i;
                  MimeMessage m =
                      TestMail.message()
                          .to("live@example.com")
                          .subject(subject)
                          .text("x")
                          .build(session);
                  sentAt.put(subject, System.nanoTime());
                  transport.sendMessage(m, m.getAllRecipients());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              0,
              1_000_000 / rate,
              TimeUnit.MICROSECONDS);
      int received = 0;
      int eventCount = 0;
      List<Double> latencies = new ArrayList<>();
      while (received < count) {
        SseClient.Event e = events.next("received", Duration.ofSeconds(30));
        eventCount++;
        for (var m : e.data().get("messages")) {
          String subject = m.get("subject").asText();
          Long at = sentAt.get(subject);
          if (at != null) {
            latencies.add((e.receivedNanos() - at) / 1e6);
            received++;
          }
        }
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      allSent.await(5, TimeUnit.SECONDS);
      task.cancel(false);
      pacer.shutdown();
      latencies.sort(Double::compare);
      line(
          "Events with %d messages/s arriving for %d s (%,d stored, so each arrival also evicts one):",
          rate, seconds, sink.mailbox().count());
      line("");
      line(
          "| messages | received events | messages per event | delivered msgs/s | latency p50 ms | p99 ms | max ms |");
      line("|---|---|---|---|---|---|---|");
      line(
          "| %d | %d | %.2f | %.1f | %.1f | %.1f | %.1f |",
          received,
          eventCount,
          received / (double) eventCount,
          received / elapsed,
          latencies.get(latencies.size() / 2),
          latencies.get((int) (latencies.size() * 0.99)),
          latencies.get(latencies.size() - 1));
      burst(sink, events);
    }
  }

  private void burst(Mailsink sink, SseClient events) throws IOException {
    int count = 2_000;
    List<TestMail> mails = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      mails.add(TestMail.message().to("burst@example.com").subject("burst " + i).text("x"));
    }
    long start = System.nanoTime();
    TestMail.sendAll(sink.smtpHost(), sink.smtpPort(), mails);
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    int received = 0;
    int eventCount = 0;
    while (received < count) {
      SseClient.Event e = events.next("received", Duration.ofSeconds(30));
      eventCount++;
      for (var m : e.data().get("messages")) {
        if (m.get("subject").asText().startsWith("burst ")) {
          received++;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    line("");
    line(
        "Burst: %,d messages sent as fast as one SMTP connection allows (%.0f msgs/s) arrived in %d"
            + " events (%.1f messages per event), all delivered %.2f s after the first was sent.",
        count, count / sendSeconds, eventCount, received / (double) eventCount, seconds);
  }
}
