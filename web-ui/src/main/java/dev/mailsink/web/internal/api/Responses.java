package dev.mailsink.web.internal.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.Locale;

/** Writes responses: JSON, bytes and errors, each with a {@code Server-Timing} header. */
final class Responses {
  private Responses() {}

  static final String JSON = "application/json";
  static final HttpString SERVER_TIMING = new HttpString("Server-Timing");

  /** When the request reached the root handler, from {@link System#nanoTime()}. */
  static final AttachmentKey<Long> STARTED = AttachmentKey.create(Long.class);

  static void json(HttpServerExchange exchange, int status, Object body) {
    bytes(exchange, status, JSON, JsonModel.bytes(body));
  }

  static void error(HttpServerExchange exchange, int status, String code, String message) {
    json(exchange, status, new JsonModel.ErrorJson(code, message));
  }

  static void error(HttpServerExchange exchange, ApiException e) {
    error(exchange, e.status(), e.code(), e.getMessage());
  }

  static void noContent(HttpServerExchange exchange) {
    exchange.setStatusCode(204);
    timing(exchange);
    exchange.endExchange();
  }

  static void bytes(HttpServerExchange exchange, int status, String contentType, byte[] body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    if (!exchange.getResponseHeaders().contains(Headers.CACHE_CONTROL)) {
      exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    }
    exchange.setResponseContentLength(body.length);
    timing(exchange);
    exchange.getResponseSender().send(ByteBuffer.wrap(body));
  }

  /** Records how long the server spent on the request so far, for clients and benchmarks. */
  static void timing(HttpServerExchange exchange) {
    Long started = exchange.getAttachment(STARTED);
    if (started != null) {
      double millis = (System.nanoTime() - started) / 1_000_000.0;
      exchange
          .getResponseHeaders()
          .put(SERVER_TIMING, String.format(Locale.ROOT, "app;dur=%.3f", millis));
    }
  }
}
