package dev.mailsink.web.internal.api;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.internal.relay.ReleaseStore;
import dev.mailsink.internal.session.SessionStore;
import dev.mailsink.relay.RelayConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.PathTemplateMatcher;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The JSON API and the UI as one Undertow handler, on top of a running {@link Mailsink}. Requests
 * arrive on an I/O thread and are handed to a worker thread at once (parsing, JSON and body work
 * may take a while); long polls and event streams park their exchange and hold no thread.
 *
 * <p>Create one per server, call {@link #bound} once the port is known, and {@link #close} it
 * before stopping Undertow.
 */
public final class WebApp implements HttpHandler, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WebApp.class.getName());

  private final Mailsink sink;
  private final WebSettings settings;
  private final Guard guard;
  private final EventLoop loop;
  private final StaticAssets assets;
  private final List<Route> routes;
  private final RoutingHandler routing;
  // the methods each path template answers, for a 405's Allow header
  private final PathTemplateMatcher<Set<String>> methodsByTemplate = new PathTemplateMatcher<>();
  private volatile int httpPort;
  private volatile String url;

  /** Creates the application and starts listening to the sink's mailbox. */
  public WebApp(Mailsink sink, WebSettings settings) {
    this.sink = sink;
    this.settings = settings;
    this.guard = new Guard(settings);
    this.assets = new StaticAssets();
    this.loop = new EventLoop(sink.mailbox(), (ReleaseStore) sink.releases());
    MessagesApi messages = new MessagesApi(sink.mailbox());
    Waiters waiters = loop.waiters();
    EventStream events = loop.stream();
    HtmlPreview preview = new HtmlPreview(sink.mailbox());
    FaultsApi faults = new FaultsApi(sink.faults());
    RelayApi relay = new RelayApi(sink, loop);
    SessionsApi sessions = new SessionsApi(sink, loop);
    this.routes =
        List.of(
            api("GET", "/api/v1/messages", messages::list),
            api("DELETE", "/api/v1/messages", messages::deleteAll),
            api("GET", "/api/v1/messages/await", waiters::await),
            api("GET", "/api/v1/messages/{id}", messages::get),
            api("DELETE", "/api/v1/messages/{id}", messages::delete),
            api("GET", "/api/v1/messages/{id}/raw", messages::raw),
            api("GET", "/api/v1/messages/{id}/html", messages::html),
            api("GET", "/api/v1/messages/{id}/text", messages::text),
            api("GET", "/api/v1/messages/{id}/attachments/{index}", messages::attachment),
            api("GET", "/api/v1/messages/{id}/transcript", sessions::ofMessage),
            api("POST", "/api/v1/messages/{id}/release", relay::release),
            api("GET", "/api/v1/messages/{id}/releases", relay::forMessage),
            api("GET", "/api/v1/releases", relay::list),
            api("GET", "/api/v1/releases/{id}", relay::get),
            api("GET", "/api/v1/releases/{id}/await", relay::await),
            api("GET", "/api/v1/sessions", sessions::list),
            api("DELETE", "/api/v1/sessions", sessions::deleteAll),
            api("GET", "/api/v1/sessions/await", sessions::await),
            api("GET", "/api/v1/sessions/{id}", sessions::get),
            api("GET", "/api/v1/namespaces", messages::namespaces),
            api("GET", "/api/v1/events", events::handle),
            api("GET", "/api/v1/faults", faults::list),
            api("POST", "/api/v1/faults", faults::add),
            api("DELETE", "/api/v1/faults", faults::deleteAll),
            api("GET", "/api/v1/faults/events", faults::events),
            api("POST", "/api/v1/faults/reset", faults::reset),
            api("GET", "/api/v1/faults/{id}", faults::get),
            api("DELETE", "/api/v1/faults/{id}", faults::delete),
            api("GET", "/api/v1/info", this::info),
            api("GET", "/api/v1/tls/certificate", this::certificate),
            api("GET", "/api/v1/openapi.json", assets::openapi),
            api("GET", "/livez", this::livez),
            api("GET", "/readyz", this::readyz),
            ui("GET", "/", assets::index),
            ui("GET", "/ui/preview/{id}", preview::handle),
            ui("GET", "/ui/{file}", assets::uiFile));
    this.routing =
        new RoutingHandler(false)
            .setFallbackHandler(WebApp::noRoute)
            .setInvalidMethodHandler(this::wrongMethod);
    Map<String, Set<String>> methods = new LinkedHashMap<>();
    for (Route r : routes) {
      routing.add(
          r.method(),
          r.template(),
          exchange -> r.endpoint().handle(exchange, pathParams(exchange)));
      methods.computeIfAbsent(r.template(), t -> new LinkedHashSet<>()).add(r.method());
    }
    methods.forEach(methodsByTemplate::add);
  }

  /** Handles a request whose route matched; runs on a worker thread. */
  @FunctionalInterface
  interface Endpoint {
    void handle(HttpServerExchange exchange, Map<String, String> pathParams) throws Exception;
  }

  /** One route; {@code documented} routes are the API that {@code openapi.json} describes. */
  private record Route(String method, String template, boolean documented, Endpoint endpoint) {
    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  private static Route api(String method, String template, Endpoint endpoint) {
    return new Route(method, template, true, endpoint);
  }

  private static Route ui(String method, String template, Endpoint endpoint) {
    return new Route(method, template, false, endpoint);
  }

  private static Map<String, String> pathParams(HttpServerExchange exchange) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    return match == null ? Map.of() : match.getParameters();
  }

  private static void noRoute(HttpServerExchange exchange) {
    throw ApiException.notFound(
        "No route "
            + exchange.getRequestMethod()
            + " "
            + exchange.getRequestPath()
            + "; see /api/v1/openapi.json");
  }

  private void wrongMethod(HttpServerExchange exchange) {
    PathTemplateMatcher.PathMatchResult<Set<String>> match =
        methodsByTemplate.match(exchange.getRelativePath());
    Set<String> allowed = match == null ? Set.of() : match.getValue();
    exchange.getResponseHeaders().put(Headers.ALLOW, String.join(", ", allowed));
    throw new ApiException(
        405,
        "method_not_allowed",
        exchange.getRequestMethod()
            + " is not allowed on "
            + exchange.getRequestPath()
            + "; use "
            + String.join(" or ", allowed));
  }

  /** Tells the application its port and URL once the listener is bound. */
  public void bound(int httpPort, String url) {
    this.httpPort = httpPort;
    this.url = url;
  }

  /** The documented routes as {@code METHOD /path/{param}}, in routing order. */
  public List<String> apiRoutes() {
    return routes.stream().filter(Route::documented).map(Route::toString).toList();
  }

  /**
   * Completes once at least {@code count} long polls are parked, waiting for mail; lets tests act
   * at the moment a request is known to wait, without sleeping.
   */
  public CompletableFuture<Void> whenParked(int count) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    loop.execute(() -> loop.waiters().whenParked(count, future));
    return future;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (exchange.isInIoThread()) {
      exchange.putAttachment(Responses.STARTED, System.nanoTime());
      exchange.dispatch(this);
      return;
    }
    try {
      if (!guard.admit(exchange)) {
        return;
      }
      routing.handleRequest(exchange);
    } catch (ApiException e) {
      fail(exchange, e.status(), e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Request " + exchange.getRequestURI() + " failed", e);
      fail(exchange, 500, "internal_error", "The server failed: " + e);
    }
  }

  private static void fail(HttpServerExchange exchange, int status, String code, String message) {
    if (exchange.isResponseStarted()) {
      exchange.endExchange();
      return;
    }
    Responses.error(exchange, status, code, message);
  }

  private void info(HttpServerExchange exchange, Map<String, String> path) {
    MailsinkConfig c = sink.config();
    boolean running = sink.isRunning();
    String host = null;
    Integer port = null;
    Integer smtpsPort = null;
    if (running) {
      try {
        host = sink.smtpHost();
        port = sink.smtpPort();
        smtpsPort = c.smtpsPort() >= 0 ? sink.smtpsPort() : null;
      } catch (IllegalStateException e) {
        running = false;
      }
    }
    Responses.json(
        exchange,
        200,
        new JsonModel.InfoJson(
            settings.version(),
            new JsonModel.SmtpInfoJson(
                host,
                port,
                smtpsPort,
                c.hostName(),
                running,
                c.startTls().name().toLowerCase(java.util.Locale.ROOT),
                c.isTlsEnabled(),
                c.auth().isRequired() ? "required" : c.auth().isEnabled() ? "optional" : "off",
                c.recordSessions()),
            new JsonModel.HttpInfoJson(
                httpPort, url, settings.basicAuthUser() != null, settings.corsOrigins()),
            new JsonModel.LimitsJson(
                c.maxMessageBytes(),
                c.retainedMessages(),
                c.retainedBytes(),
                c.maxRecipients(),
                c.maxConnections(),
                c.idleTimeout().toString(),
                c.retainedSessions(),
                c.retainedSessionBytes()),
            new JsonModel.CountsJson(
                sink.mailbox().count(),
                sink.mailbox().evictedCount(),
                ((SessionStore) sink.sessions()).count(),
                sink.sessions().evictedCount(),
                ((ReleaseStore) sink.releases()).pendingCount()),
            relayInfo(c.relay()),
            readersInfo(c, running)));
  }

  private JsonModel.ReadersJson readersInfo(MailsinkConfig c, boolean running) {
    Integer pop3 = null;
    Integer pop3s = null;
    Integer imap = null;
    Integer imaps = null;
    if (running) {
      try {
        pop3 = portOrNull(sink.pop3Port());
        pop3s = portOrNull(sink.pop3sPort());
        imap = portOrNull(sink.imapPort());
        imaps = portOrNull(sink.imapsPort());
      } catch (IllegalStateException e) {
        // closed meanwhile: the ports are gone
      }
    }
    return new JsonModel.ReadersJson(
        pop3,
        pop3s,
        imap,
        imaps,
        c.readerAuth().acceptsAnyPassword(),
        c.readerAuth().catchAll().isPresent(),
        c.readerAuth().isTlsOnly());
  }

  private static Integer portOrNull(int port) {
    return port < 0 ? null : port;
  }

  /** What the UI and clients may know of the upstream: everything but the password. */
  private static JsonModel.RelayInfoJson relayInfo(RelayConfig r) {
    if (r == null) {
      return null;
    }
    return new JsonModel.RelayInfoJson(
        r.host(),
        r.port(),
        r.tls().name().toLowerCase(java.util.Locale.ROOT),
        r.trust().toString(),
        r.credentials() == null ? null : r.credentials().user(),
        r.envelopeSender(),
        r.allowedRecipients(),
        r.autoRelay().stream().map(Object::toString).toList(),
        r.retry().maxAttempts(),
        r.retry().initialBackoff().toString(),
        r.timeout().toString());
  }

  private void certificate(HttpServerExchange exchange, Map<String, String> path) {
    if (!sink.config().isTlsEnabled()) {
      throw ApiException.notFound(
          "TLS is off on this server, so it has no certificate; start it with STARTTLS or an"
              + " implicit-TLS port");
    }
    exchange
        .getResponseHeaders()
        .put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"mailsink.pem\"");
    Responses.bytes(
        exchange,
        200,
        "application/x-pem-file",
        sink.tls().certificatePem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private void livez(HttpServerExchange exchange, Map<String, String> path) {
    Responses.json(exchange, 200, new JsonModel.StatusJson("ok"));
  }

  private void readyz(HttpServerExchange exchange, Map<String, String> path) {
    if (!sink.isRunning()) {
      throw new ApiException(503, "unavailable", "The SMTP server is closed");
    }
    Responses.json(exchange, 200, new JsonModel.StatusJson("ready"));
  }

  /** Answers parked long polls with 503 and ends event streams; idempotent. */
  @Override
  public void close() {
    loop.close();
  }
}
