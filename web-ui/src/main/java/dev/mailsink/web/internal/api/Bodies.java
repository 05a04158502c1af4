package dev.mailsink.web.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads JSON request bodies: 415 without a JSON content type, 413 when too large, 400 if bad. */
final class Bodies {
  private Bodies() {}

  /**
   * The body as text, after checking that it is declared JSON.
   *
   * @param what what the body is, for the messages, e.g. {@code a fault rule}
   */
  static String text(HttpServerExchange exchange, String what) throws IOException {
    String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "Send "
              + what
              + " as JSON with Content-Type: application/json, was "
              + (type == null ? "no Content-Type" : type));
    }
    exchange.startBlocking();
    try (InputStream in = exchange.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (RequestTooBigException e) {
      throw new ApiException(413, "too_large", "A request with " + what + " may be at most 1 MiB");
    }
  }

  /** The body as a JSON object. */
  static JsonNode json(HttpServerExchange exchange, String what) throws IOException {
    String body = text(exchange, what);
    JsonNode node;
    try {
      node = JsonModel.MAPPER.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("The body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("Send " + what + " as a JSON object");
    }
    return node;
  }
}
