package dev.mailsink.web.internal.api;

import static dev.mailsink.Mailbox.Order.NEWEST_FIRST;

import dev.mailsink.Attachment;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.syntax.MessageQuery;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code /api/v1/messages} endpoints except await. */
final class MessagesApi {
  /** Served content from a message is hostile: no script, no plugins, a unique origin. */
  static final String CONTENT_CSP =
      "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

  private static final int MAX_LIMIT = 1_000_000;

  private final Mailbox mailbox;

  MessagesApi(Mailbox mailbox) {
    this.mailbox = mailbox;
  }

  void list(HttpServerExchange exchange, Map<String, String> path) {
    MessageQuery q = Params.q(exchange);
    int limit = Params.integer(exchange, "limit", 50, 0, MAX_LIMIT);
    int offset = Params.integer(exchange, "offset", 0, 0, Integer.MAX_VALUE);
    List<CapturedMessage> all = Scope.of(exchange, mailbox).mailbox().messages(NEWEST_FIRST);
    List<CapturedMessage> matching;
    if (q.isEmpty()) {
      matching = all;
    } else {
      matching = new ArrayList<>();
      for (CapturedMessage m : all) {
        if (q.test(m)) {
          matching.add(m);
        }
      }
    }
    int from = Math.min(offset, matching.size());
    int to = (int) Math.min((long) from + limit, matching.size());
    List<CapturedMessage> page = matching.subList(from, to);
    Responses.json(
        exchange,
        200,
        new JsonModel.MessageListJson(matching.size(), page.size(), JsonModel.summaries(page)));
  }

  void get(HttpServerExchange exchange, Map<String, String> path) {
    CapturedMessage m = Params.message(exchange, mailbox, path.get("id"));
    Responses.json(exchange, 200, JsonModel.message(m));
  }

  void raw(HttpServerExchange exchange, Map<String, String> path) {
    CapturedMessage m = Params.message(exchange, mailbox, path.get("id"));
    exchange
        .getResponseHeaders()
        .put(Headers.CONTENT_DISPOSITION, disposition("attachment", "message-" + m.id() + ".eml"))
        .put(Headers.CONTENT_SECURITY_POLICY, CONTENT_CSP);
    Responses.bytes(exchange, 200, "message/rfc822", m.raw());
  }

  void html(HttpServerExchange exchange, Map<String, String> path) {
    CapturedMessage m = Params.message(exchange, mailbox, path.get("id"));
    String html =
        m.html()
            .orElseThrow(() -> ApiException.notFound("Message " + m.id() + " has no HTML body"));
    exchange.getResponseHeaders().put(Headers.CONTENT_SECURITY_POLICY, CONTENT_CSP);
    Responses.bytes(
        exchange, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  void text(HttpServerExchange exchange, Map<String, String> path) {
    CapturedMessage m = Params.message(exchange, mailbox, path.get("id"));
    String text =
        m.text()
            .orElseThrow(
                () -> ApiException.notFound("Message " + m.id() + " has no plain-text body"));
    Responses.bytes(
        exchange, 200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  void attachment(HttpServerExchange exchange, Map<String, String> path) {
    CapturedMessage m = Params.message(exchange, mailbox, path.get("id"));
    String indexText = path.get("index");
    int index;
    try {
      index = Integer.parseInt(indexText);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "An attachment index is a number from 0, was '" + indexText + "'");
    }
    List<Attachment> parts = m.attachments();
    if (index < 0 || index >= parts.size()) {
      throw ApiException.notFound(
          "Message "
              + m.id()
              + " has no attachment "
              + indexText
              + " (it has "
              + parts.size()
              + (parts.size() == 1 ? " attachment" : " attachments")
              + ", numbered from 0)");
    }
    Attachment a = parts.get(index);
    String filename = a.filename().isEmpty() ? "attachment-" + index : a.filename();
    exchange
        .getResponseHeaders()
        .put(Headers.CONTENT_DISPOSITION, disposition("attachment", filename))
        .put(Headers.CONTENT_SECURITY_POLICY, CONTENT_CSP)
        .put(Headers.CACHE_CONTROL, "private, max-age=3600");
    Responses.bytes(exchange, 200, headerSafe(a.contentType()), a.content());
  }

  void delete(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, mailbox);
    CapturedMessage m = Params.message(scope, path.get("id"));
    if (!scope.mailbox().delete(m.id())) {
      throw ApiException.notFound("No message with id " + m.id() + scope.where());
    }
    Responses.noContent(exchange);
  }

  void deleteAll(HttpServerExchange exchange, Map<String, String> path) {
    MessageQuery q = Params.q(exchange);
    Mailbox scoped = Scope.of(exchange, mailbox).mailbox();
    int deleted;
    if (q.isEmpty()) {
      deleted = scoped.clear();
    } else {
      deleted = 0;
      for (CapturedMessage m : scoped.find(q)) {
        if (scoped.delete(m.id())) {
          deleted++;
        }
      }
    }
    Responses.json(exchange, 200, new JsonModel.DeletedJson(deleted));
  }

  /**
   * {@code GET /api/v1/namespaces}: the namespaces that hold messages now, by name, with their
   * counts. A namespace exists while it holds a message; there is nothing to create or delete.
   */
  void namespaces(HttpServerExchange exchange, Map<String, String> path) {
    List<CapturedMessage> all = mailbox.messages();
    Map<String, Integer> counts = new TreeMap<>();
    int without = 0;
    for (CapturedMessage m : all) {
      String ns = m.namespace().orElse(null);
      if (ns == null) {
        without++;
      } else {
        counts.merge(ns, 1, Integer::sum);
      }
    }
    List<JsonModel.NamespaceJson> namespaces = new ArrayList<>(counts.size());
    counts.forEach((name, count) -> namespaces.add(new JsonModel.NamespaceJson(name, count)));
    Responses.json(exchange, 200, new JsonModel.NamespaceListJson(all.size(), without, namespaces));
  }

  /** A Content-Disposition value with an ASCII fallback and the RFC 6266 UTF-8 file name. */
  static String disposition(String type, String filename) {
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < filename.length(); i++) {
      char c = filename.charAt(i);
      ascii.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? '_' : c);
    }
    String encoded = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
    return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  /** A content type from a message, made safe to put in a response header. */
  static String headerSafe(String contentType) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < contentType.length(); i++) {
      char c = contentType.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      }
    }
    String s = sb.toString().strip();
    return s.isEmpty() || s.indexOf('/') < 0 ? "application/octet-stream" : s;
  }
}
