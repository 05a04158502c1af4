package dev.mailsink.web.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailsink;
import dev.mailsink.internal.relay.ReleaseStore;
import dev.mailsink.json.ReleaseJson;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseRefusedException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Releases to the upstream server: {@code POST /api/v1/messages/{id}/release}, the releases of a
 * message, every release, one release, and a long poll until one is done.
 */
final class RelayApi {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  private final Mailsink sink;
  private final EventLoop loop;

  RelayApi(Mailsink sink, EventLoop loop) {
    this.sink = sink;
    this.loop = loop;
  }

  /** {@code {"to": ["a@x.test", ...]}}; answers 202 with the release, pending. */
  void release(HttpServerExchange exchange, Map<String, String> path) throws IOException {
    CapturedMessage m = Params.message(exchange, sink.mailbox(), path.get("id"));
    JsonNode body = Bodies.json(exchange, "a release");
    List<String> to = new ArrayList<>();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("to")) {
        throw ApiException.badRequest(
            "Unknown field '" + field + "' in a release; send {\"to\": [\"a@example.com\"]}");
      }
    }
    JsonNode toNode = body.get("to");
    if (toNode != null && toNode.isTextual()) {
      for (String a : toNode.asText().split(",")) {
        if (!a.isBlank()) {
          to.add(a.strip());
        }
      }
    } else if (toNode != null && toNode.isArray()) {
      for (JsonNode a : toNode) {
        if (!a.isTextual()) {
          throw ApiException.badRequest("\"to\" must list addresses as strings, found " + a);
        }
        to.add(a.asText());
      }
    } else if (toNode != null && !toNode.isNull()) {
      throw ApiException.badRequest("\"to\" must be an array of addresses, was " + toNode);
    }
    if (to.isEmpty()) {
      throw ApiException.badRequest(
          "A release needs recipients: send {\"to\": [\"a@example.com\"]}");
    }
    Release created;
    // Release ids grow; the one this request made is the first manual release of the message
    // after those there were. Requests through the API take turns, so no other manual one can
    // come in between (auto-relay ones are told apart by their trigger).
    synchronized (this) {
      long before = lastId(sink.releases().forMessage(m.id()));
      try {
        sink.release(m, to.toArray(String[]::new));
      } catch (ReleaseRefusedException e) {
        throw refused(e);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      } catch (IllegalStateException e) {
        throw new ApiException(503, "unavailable", e.getMessage());
      }
      created =
          sink.releases().forMessage(m.id()).stream()
              .filter(r -> r.id() > before && r.trigger().equals("manual"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("the release just made is not listed"));
    }
    exchange.getResponseHeaders().put(Headers.LOCATION, "/api/v1/releases/" + created.id());
    Responses.json(exchange, 202, ReleaseJson.of(created));
  }

  private static long lastId(List<Release> releases) {
    long max = 0;
    for (Release r : releases) {
      max = Math.max(max, r.id());
    }
    return max;
  }

  static ApiException refused(ReleaseRefusedException e) {
    return switch (e.reason()) {
      case NOT_CONFIGURED -> new ApiException(409, "relay_not_configured", e.getMessage());
      case RECIPIENT_NOT_ALLOWED -> new ApiException(403, "recipient_not_allowed", e.getMessage());
      case TOO_MANY_PENDING -> new ApiException(429, "too_many_pending", e.getMessage());
    };
  }

  void forMessage(HttpServerExchange exchange, Map<String, String> path) {
    CapturedMessage m = Params.message(exchange, sink.mailbox(), path.get("id"));
    Responses.json(exchange, 200, new JsonModel.ReleaseListJson(json(m.releases())));
  }

  /** Every retained release (of the namespace, with {@code ?namespace=}), newest first. */
  void list(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, sink.mailbox());
    List<Release> all = new ArrayList<>(scope.releases(sink.releases()).releases());
    java.util.Collections.reverse(all);
    Responses.json(exchange, 200, new JsonModel.ReleaseListJson(json(all)));
  }

  void get(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, sink.mailbox());
    long id = id(path.get("id"));
    Release r =
        scope
            .releases(sink.releases())
            .findById(id)
            .orElseThrow(() -> ApiException.notFound("No release with id " + id + scope.where()));
    Responses.json(exchange, 200, ReleaseJson.of(r));
  }

  /** Answers when the release is done, or 408 with where it stands after {@code timeout}. */
  void await(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, sink.mailbox());
    long id = id(path.get("id"));
    Duration timeout = Params.duration(exchange, "timeout", DEFAULT_TIMEOUT, MAX_TIMEOUT);
    CompletableFuture<Release> done =
        ((ReleaseStore) sink.releases()).whenDone(id, scope.namespace());
    if (done == null) {
      throw ApiException.notFound("No release with id " + id + scope.where());
    }
    if (done.isDone()) {
      Responses.json(exchange, 200, ReleaseJson.of(done.join()));
      return;
    }
    Parking.await(
        exchange,
        loop,
        done,
        timeout,
        r -> Responses.json(exchange, 200, ReleaseJson.of(r)),
        () -> {
          Release now = sink.releases().findById(id).orElse(null);
          Responses.json(
              exchange,
              408,
              new JsonModel.ReleaseTimeoutJson(
                  "timeout",
                  "Release #" + id + " was not done within " + timeout,
                  now == null ? null : ReleaseJson.of(now)));
        });
  }

  static List<ReleaseJson> json(List<Release> releases) {
    List<ReleaseJson> out = new ArrayList<>(releases.size());
    for (Release r : releases) {
      out.add(ReleaseJson.of(r));
    }
    return out;
  }

  private static long id(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("A release id is a number, was '" + text + "'");
    }
  }
}
