package dev.mailsink.web.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Reads a server-sent event stream into a queue, without a thread of its own. */
public final class SseClient implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One event: its name, its data parsed as JSON, and when it was read. */
  public record Event(String name, JsonNode data, long receivedNanos) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
  private volatile int status;

  public SseClient(HttpClient client, URI uri, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    client
        .sendAsync(b.build(), HttpResponse.BodyHandlers.fromLineSubscriber(new Lines()))
        .thenAccept(r -> status = r.statusCode());
  }

  public int status() {
    return status;
  }

  /** The next event, or an assertion failure after {@code timeout}. */
  public Event next(Duration timeout) {
    try {
      Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("no server-sent event within " + timeout);
      }
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next event with this name, skipping others. */
  public Event next(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event e = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (e.name().equals(name)) {
        return e;
      }
    }
  }

  @Override
  public void close() {
    Flow.Subscription s = subscription.get();
    if (s != null) {
      s.cancel();
    }
  }

  private final class Lines implements Flow.Subscriber<String> {
    private String name = "message";
    private final StringBuilder data = new StringBuilder();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.set(s);
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          try {
            events.add(new Event(name, MAPPER.readTree(data.toString()), System.nanoTime()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        name = "message";
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring(5).stripLeading());
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }
}
