package dev.mailsink.web.internal.api;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.syntax.MessageQuery;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The long polls of {@code GET /api/v1/messages/await}. A waiter holds no thread: its exchange is
 * parked, each arrival is matched against its scope and query on the event loop, and it is answered
 * from there when enough messages match or its timeout fires. Every method but {@link #await} runs
 * on the event loop thread.
 */
final class Waiters {
  /** Bounds the memory held by parked requests. */
  static final int MAX_WAITERS = 10_000;

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  private final Mailbox mailbox;
  private final EventLoop loop;
  private final Set<Waiter> waiting = new LinkedHashSet<>();
  private final List<Map.Entry<Integer, CompletableFuture<Void>>> parkedWatchers =
      new ArrayList<>();

  Waiters(Mailbox mailbox, EventLoop loop) {
    this.mailbox = mailbox;
    this.loop = loop;
  }

  private static final class Waiter {
    final HttpServerExchange exchange;
    final Scope scope;
    final MessageQuery query;
    final int count;
    final Duration timeout;
    final Set<Long> matched = new HashSet<>();
    ScheduledFuture<?> timer;
    boolean done;

    Waiter(
        HttpServerExchange exchange, Scope scope, MessageQuery query, int count, Duration timeout) {
      this.exchange = exchange;
      this.scope = scope;
      this.query = query;
      this.count = count;
      this.timeout = timeout;
    }
  }

  /** The endpoint; runs on a worker thread. Answers at once when enough messages match. */
  void await(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, mailbox);
    MessageQuery query = Params.q(exchange);
    int count = Params.integer(exchange, "count", 1, 0, 1_000_000);
    Duration timeout = Params.duration(exchange, "timeout", DEFAULT_TIMEOUT, MAX_TIMEOUT);
    List<CapturedMessage> now = scope.mailbox().find(query);
    if (now.size() >= count) {
      Responses.json(exchange, 200, list(now));
      return;
    }
    Waiter w = new Waiter(exchange, scope, query, count, timeout);
    // Park the exchange: it stays open after this handler returns, until a loop task answers it.
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () -> {
          exchange.getConnection().addCloseListener(c -> loop.execute(() -> forget(w)));
          loop.execute(() -> register(w));
        });
  }

  private void register(Waiter w) {
    if (waiting.size() >= MAX_WAITERS) {
      w.done = true;
      respond(
          w,
          503,
          JsonModel.bytes(
              new JsonModel.ErrorJson(
                  "unavailable",
                  MAX_WAITERS + " requests are already waiting; try again when some have ended")));
      return;
    }
    // Scan again on the loop: arrivals before this point are in the scan, later ones come as
    // events after it, so none is missed.
    for (CapturedMessage m : w.scope.mailbox().find(w.query)) {
      w.matched.add(m.id());
    }
    waiting.add(w);
    if (!tryComplete(w)) {
      w.timer = loop.schedule(() -> timeOut(w), w.timeout.toNanos(), TimeUnit.NANOSECONDS);
      parkedWatchers.removeIf(
          e -> {
            if (waiting.size() >= e.getKey()) {
              e.getValue().complete(null);
              return true;
            }
            return false;
          });
    }
  }

  /** Completes once at least {@code count} requests are parked; runs on the loop. */
  void whenParked(int count, CompletableFuture<Void> future) {
    if (waiting.size() >= count) {
      future.complete(null);
    } else {
      parkedWatchers.add(Map.entry(count, future));
    }
  }

  void received(CapturedMessage m) {
    if (waiting.isEmpty()) {
      return;
    }
    for (Waiter w : new ArrayList<>(waiting)) {
      if (w.scope.holds(m) && w.query.test(m)) {
        w.matched.add(m.id());
        tryComplete(w);
      }
    }
  }

  void deleted(long id) {
    for (Waiter w : waiting) {
      w.matched.remove(id);
    }
  }

  void cleared() {
    for (Waiter w : waiting) {
      w.matched.clear();
    }
  }

  /** Answers the waiter if enough stored messages match now; the answer is a fresh scan. */
  private boolean tryComplete(Waiter w) {
    if (w.matched.size() < w.count) {
      return false;
    }
    List<CapturedMessage> now = w.scope.mailbox().find(w.query);
    if (now.size() < w.count) {
      w.matched.clear();
      for (CapturedMessage m : now) {
        w.matched.add(m.id());
      }
      return false;
    }
    finish(w);
    respond(w, 200, JsonModel.bytes(list(now)));
    return true;
  }

  private void timeOut(Waiter w) {
    if (w.done) {
      return;
    }
    finish(w);
    List<CapturedMessage> now = w.scope.mailbox().find(w.query);
    String what =
        w.scope.where() + (w.query.isEmpty() ? "" : " matching q=\"" + w.query.source() + "\"");
    String message =
        "Expected "
            + w.count
            + (w.count == 1 ? " message" : " messages")
            + what
            + " within "
            + w.timeout
            + " but "
            + now.size()
            + " arrived"
            + (w.query.isEmpty() ? "" : " (of " + w.scope.mailbox().count() + " stored)");
    respond(
        w,
        408,
        JsonModel.bytes(
            new JsonModel.AwaitTimeoutJson(
                "timeout", message, now.size(), now.size(), JsonModel.summaries(now))));
  }

  private void finish(Waiter w) {
    w.done = true;
    waiting.remove(w);
    if (w.timer != null) {
      w.timer.cancel(false);
    }
  }

  private void forget(Waiter w) {
    if (!w.done) {
      finish(w);
    }
  }

  void closeAll() {
    for (Waiter w : new ArrayList<>(waiting)) {
      finish(w);
      respond(
          w,
          503,
          JsonModel.bytes(
              new JsonModel.ErrorJson("unavailable", "The Mailsink web server is stopping")));
    }
  }

  private static JsonModel.MessageListJson list(List<CapturedMessage> messages) {
    return new JsonModel.MessageListJson(
        messages.size(), messages.size(), JsonModel.summaries(messages));
  }

  /** Sends the answer from the exchange's own I/O thread. */
  private static void respond(Waiter w, int status, byte[] body) {
    HttpServerExchange exchange = w.exchange;
    exchange
        .getIoThread()
        .execute(
            () -> {
              if (exchange.isResponseStarted() || !exchange.getConnection().isOpen()) {
                return;
              }
              Responses.bytes(exchange, status, Responses.JSON, body);
            });
  }
}
