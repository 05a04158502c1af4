package dev.mailsink.web.internal.api;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.syntax.DurationSyntax;
import dev.mailsink.syntax.MessageQuery;
import dev.mailsink.syntax.QuerySyntaxException;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.Deque;

/** Reads and validates request parameters; every problem becomes a 400 naming the fix. */
final class Params {
  private Params() {}

  static String query(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  static MessageQuery q(HttpServerExchange exchange) {
    try {
      return MessageQuery.parse(query(exchange, "q"));
    } catch (QuerySyntaxException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  static int integer(HttpServerExchange exchange, String name, int defaultValue, int min, int max) {
    String value = query(exchange, name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n < min || n > max) {
        throw ApiException.badRequest(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, was '" + value + "'");
    }
  }

  static Duration duration(
      HttpServerExchange exchange, String name, Duration defaultValue, Duration max) {
    String value = query(exchange, name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    Duration d;
    try {
      d = DurationSyntax.parse(name, value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (d.compareTo(max) > 0) {
      throw ApiException.badRequest(name + " must be at most " + max + ", was " + value);
    }
    return d;
  }

  /**
   * Resolves a message id path parameter, a number or {@code latest}, within the request's scope
   * ({@code ?namespace=}): a message outside it is not found.
   */
  static CapturedMessage message(HttpServerExchange exchange, Mailbox root, String id) {
    return message(Scope.of(exchange, root), id);
  }

  static CapturedMessage message(Scope scope, String id) {
    if ("latest".equals(id)) {
      return scope
          .mailbox()
          .latest()
          .orElseThrow(
              () ->
                  ApiException.notFound(
                      scope.isRoot()
                          ? "No message yet: the mailbox is empty"
                          : "No message yet in namespace " + scope.namespace()));
    }
    long n = id(id);
    return scope
        .mailbox()
        .findById(n)
        .orElseThrow(() -> ApiException.notFound("No message with id " + n + scope.where()));
  }

  static long id(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("A message id is a number or 'latest', was '" + id + "'");
    }
  }
}
