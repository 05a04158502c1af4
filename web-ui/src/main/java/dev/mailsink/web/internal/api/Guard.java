package dev.mailsink.web.internal.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * The security checks every request passes before routing: the Host header (against DNS rebinding,
 * when bound to loopback), CORS, cross-origin writes (CSRF) and basic auth.
 */
final class Guard {
  private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
  private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
  private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
  private static final HttpString ALLOW_CREDENTIALS =
      new HttpString("Access-Control-Allow-Credentials");
  private static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
  private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
  private static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
  private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");

  private final WebSettings settings;
  private final byte[] expectedCredentials;

  Guard(WebSettings settings) {
    this.settings = settings;
    this.expectedCredentials =
        settings.basicAuthUser() == null
            ? null
            : (settings.basicAuthUser() + ":" + settings.basicAuthPassword())
                .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks the request; answers it and returns {@code false} when it must not reach an endpoint
   * (refused, or a CORS preflight answered here).
   */
  boolean admit(HttpServerExchange exchange) {
    exchange
        .getResponseHeaders()
        .put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff")
        .put(REFERRER_POLICY, "no-referrer");
    if (settings.loopbackOnly() && !isLoopbackName(exchange.getHostName())) {
      Responses.error(
          exchange,
          403,
          "forbidden",
          "Host '"
              + exchange.getHostName()
              + "' is not this server's name; use localhost or 127.0.0.1 (a server bound to"
              + " loopback answers only loopback names, against DNS rebinding)");
      return false;
    }
    String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
    String allowedOrigin = origin == null ? null : corsAllowed(origin);
    if (allowedOrigin != null) {
      exchange
          .getResponseHeaders()
          .put(ALLOW_ORIGIN, allowedOrigin)
          .add(Headers.VARY, "Origin")
          .put(EXPOSE_HEADERS, "Server-Timing, Content-Disposition");
      if (!allowedOrigin.equals("*")) {
        exchange.getResponseHeaders().put(ALLOW_CREDENTIALS, "true");
      }
    }
    boolean preflight =
        exchange.getRequestMethod().equals(Methods.OPTIONS)
            && origin != null
            && exchange.getRequestHeaders().contains(REQUEST_METHOD);
    if (preflight) {
      if (allowedOrigin == null) {
        Responses.error(
            exchange,
            403,
            "forbidden",
            "Cross-origin requests from "
                + origin
                + " are not allowed; list the origin in the server's CORS origins");
        return false;
      }
      exchange
          .getResponseHeaders()
          .put(ALLOW_METHODS, "GET, POST, DELETE")
          .put(ALLOW_HEADERS, "Authorization, Content-Type, Last-Event-ID")
          .put(MAX_AGE, "600");
      Responses.noContent(exchange);
      return false;
    }
    String path = exchange.getRequestPath();
    if (path.equals("/livez") || path.equals("/readyz")) {
      return true;
    }
    if (expectedCredentials != null && !authorized(exchange)) {
      exchange
          .getResponseHeaders()
          .put(Headers.WWW_AUTHENTICATE, "Basic realm=\"Mailsink\", charset=\"UTF-8\"");
      Responses.error(
          exchange,
          401,
          "unauthorized",
          "This Mailsink needs HTTP basic authentication; send the configured user and password");
      return false;
    }
    if (isWrite(exchange)
        && origin != null
        && allowedOrigin == null
        && !sameOrigin(exchange, origin)) {
      Responses.error(
          exchange,
          403,
          "forbidden",
          "Cross-origin "
              + exchange.getRequestMethod()
              + " from "
              + origin
              + " is not allowed; list the origin in the server's CORS origins");
      return false;
    }
    return true;
  }

  private String corsAllowed(String origin) {
    for (String allowed : settings.corsOrigins()) {
      if (allowed.equals("*")) {
        return "*";
      }
      if (allowed.equalsIgnoreCase(origin)) {
        return origin;
      }
    }
    return null;
  }

  private boolean authorized(HttpServerExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, expectedCredentials);
  }

  private static boolean isWrite(HttpServerExchange exchange) {
    HttpString m = exchange.getRequestMethod();
    return !m.equals(Methods.GET) && !m.equals(Methods.HEAD) && !m.equals(Methods.OPTIONS);
  }

  private static boolean sameOrigin(HttpServerExchange exchange, String origin) {
    String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
    if (host == null) {
      return false;
    }
    try {
      URI uri = new URI(origin);
      return uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(host);
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static boolean isLoopbackName(String host) {
    if (host == null || host.isEmpty()) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
