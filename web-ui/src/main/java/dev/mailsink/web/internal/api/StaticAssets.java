package dev.mailsink.web.internal.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The single-page UI and the API description, read once from the jar and served from memory. */
final class StaticAssets {
  /** The UI's own policy: its scripts and styles only, frames only for the message preview. */
  static final String UI_CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private record Asset(byte[] bytes, String contentType, String etag) {}

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  StaticAssets() {
    add("index.html", "/dev/mailsink/web/ui/index.html", "text/html; charset=utf-8");
    add("app.js", "/dev/mailsink/web/ui/app.js", "text/javascript; charset=utf-8");
    add("app.css", "/dev/mailsink/web/ui/app.css", "text/css; charset=utf-8");
    add("favicon.svg", "/dev/mailsink/web/ui/favicon.svg", "image/svg+xml");
    add("openapi.json", "/dev/mailsink/web/api/openapi.json", "application/json");
  }

  private void add(String name, String resource, String contentType) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " in mailsink-web");
      }
      byte[] bytes = in.readAllBytes();
      String etag =
          "\""
              + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12)
              + "\"";
      assets.put(name, new Asset(bytes, contentType, etag));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  void index(HttpServerExchange exchange, Map<String, String> path) {
    serve(exchange, "index.html");
  }

  void uiFile(HttpServerExchange exchange, Map<String, String> path) {
    String name = path.get("file");
    if (name.equals("index.html") || name.equals("openapi.json") || !assets.containsKey(name)) {
      throw ApiException.notFound("No UI file " + name);
    }
    serve(exchange, name);
  }

  void openapi(HttpServerExchange exchange, Map<String, String> path) {
    serve(exchange, "openapi.json");
  }

  private void serve(HttpServerExchange exchange, String name) {
    Asset a = assets.get(name);
    exchange
        .getResponseHeaders()
        .put(Headers.ETAG, a.etag())
        .put(Headers.CACHE_CONTROL, "no-cache");
    if (name.equals("index.html")) {
      exchange
          .getResponseHeaders()
          .put(Headers.CONTENT_SECURITY_POLICY, UI_CSP)
          .put(Headers.X_FRAME_OPTIONS, "DENY");
    }
    String ifNoneMatch = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
    if (a.etag().equals(ifNoneMatch)) {
      exchange.setStatusCode(304);
      Responses.timing(exchange);
      exchange.endExchange();
      return;
    }
    Responses.bytes(exchange, 200, a.contentType(), a.bytes());
  }
}
