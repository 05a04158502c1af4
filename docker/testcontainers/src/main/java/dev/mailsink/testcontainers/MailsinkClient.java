package dev.mailsink.testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailsinkException;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseLog;
import dev.mailsink.relay.ReleaseRefusedException;
import dev.mailsink.session.SessionLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A client of a Mailsink server's JSON API: the captured mail as a {@link Mailbox} and the fault
 * rules as {@link FaultRules} (the same interfaces, and so the same assertions, as an in-process
 * {@code Mailsink}), and the server's TLS certificate. It talks plain HTTP/1.1 with {@code
 * java.net.http}; it needs neither the SMTP server nor the web server on the classpath.
 *
 * <pre>{@code
 * MailsinkClient client = MailsinkClient.connect(URI.create("http://localhost:8025/"));
 * List<CapturedMessage> got = client.mailbox().await(1, Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Instances are thread-safe and hold no connection open between calls; there is nothing to
 * close.
 */
public final class MailsinkClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI baseUri;
  private final HttpClient http;
  private final String authorization;
  private final RemoteMailbox mailbox;
  private final RemoteFaultRules faults;
  private final RemoteSessionLog sessions;
  private final RemoteReleaseLog releases;

  private MailsinkClient(URI baseUri, String authorization) {
    String base = baseUri.toString();
    this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
    this.authorization = authorization;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.mailbox = new RemoteMailbox(this);
    this.faults = new RemoteFaultRules(this);
    this.sessions = new RemoteSessionLog(this);
    this.releases = new RemoteReleaseLog(this);
  }

  /**
   * A client of the server whose web UI is at {@code baseUri}, e.g. {@code http://localhost:8025/}.
   * Nothing is sent until a method is called.
   *
   * @throws IllegalArgumentException if the URI is not an absolute http(s) URI
   */
  public static MailsinkClient connect(URI baseUri) {
    return new MailsinkClient(checked(baseUri), null);
  }

  /**
   * A client of a server whose UI and API require HTTP basic authentication ({@code --ui-auth}).
   *
   * @throws IllegalArgumentException if the URI is not an absolute http(s) URI
   */
  public static MailsinkClient connect(URI baseUri, String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new MailsinkClient(checked(baseUri), "Basic " + token);
  }

  private static URI checked(URI uri) {
    Objects.requireNonNull(uri, "baseUri");
    if (!uri.isAbsolute()
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "baseUri must be an absolute http(s) URI such as http://localhost:8025/, was " + uri);
    }
    return uri;
  }

  /** The server's base URI, ending with a slash. */
  public URI baseUri() {
    return baseUri;
  }

  /**
   * The captured mail on the server. Reads go over HTTP on each call (message bytes are cached by
   * id); {@link Mailbox#await} waits on the server's long poll, without polling.
   */
  public Mailbox mailbox() {
    return mailbox;
  }

  /**
   * The server's fault rules: the same {@link FaultRules} interface as {@code Mailsink.faults()},
   * effective from the next SMTP command.
   */
  public FaultRules faults() {
    return faults;
  }

  /**
   * The transcripts of the server's SMTP sessions: the same {@link SessionLog} as {@code
   * Mailsink.sessions()} (so the same assertions apply); {@link SessionLog#await} long-polls.
   */
  public SessionLog sessions() {
    return sessions;
  }

  /** The server's releases to its upstream SMTP server, as {@code Mailsink.releases()}. */
  public ReleaseLog releases() {
    return releases;
  }

  /**
   * Releases a captured message to the server's upstream SMTP server, as {@code
   * Mailsink.release(message, recipients...)} does: the bytes as captured after a trace header.
   *
   * @return completes with the release once the server says it is done (followed with long polls,
   *     no thread is held); an upstream failure is a result, not an exception
   * @throws ReleaseRefusedException before anything is sent, when the server has no relay, a
   *     recipient is outside its allow list, or too many releases are pending
   * @throws IllegalArgumentException if no recipient is given
   */
  public CompletableFuture<Release> release(CapturedMessage message, String... recipients) {
    return releases.release(message, recipients);
  }

  /**
   * The server's TLS certificate as PEM text, for a client to trust (e.g. with Jakarta Mail's
   * {@code mail.smtp.ssl.trust} or a trust store built from it).
   *
   * @throws MailsinkException when the server has no TLS or cannot be reached
   */
  public String certificatePem() {
    HttpResponse<String> r = getString("api/v1/tls/certificate");
    expectSuccess(r, "GET /api/v1/tls/certificate");
    return r.body();
  }

  /** The server's {@code /api/v1/info} as JSON text: version, ports, modes, counts and limits. */
  public String info() {
    HttpResponse<String> r = getString("api/v1/info");
    expectSuccess(r, "GET /api/v1/info");
    return r.body();
  }

  @Override
  public String toString() {
    return "MailsinkClient{" + baseUri + "}";
  }

  // --- plumbing shared with RemoteMailbox -------------------------------------------------------

  /** {@code ""}, or {@code "namespace=<name>"} for a view of the namespace {@code name}. */
  static String scope(String namespace) {
    return namespace == null
        ? ""
        : "namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8);
  }

  /** {@code path} with the {@link #scope} parameter added. */
  static String scoped(String path, String scope) {
    if (scope.isEmpty()) {
      return path;
    }
    return path + (path.indexOf('?') < 0 ? "?" : "&") + scope;
  }

  HttpRequest.Builder request(String relative) {
    HttpRequest.Builder b = HttpRequest.newBuilder(baseUri.resolve(relative));
    b.timeout(REQUEST_TIMEOUT);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  HttpResponse<String> getString(String relative) {
    return send(
        request(relative).GET(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  <T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> handler) {
    HttpRequest built = request.build();
    try {
      HttpResponse<T> r = http.send(built, handler);
      if (r.statusCode() == 401) {
        throw new MailsinkException(
            built.method()
                + " "
                + built.uri()
                + " answered 401: the server requires basic auth; use"
                + " MailsinkClient.connect(uri, user, password)");
      }
      return r;
    } catch (IOException e) {
      throw new MailsinkException(
          "Cannot reach the Mailsink server at " + baseUri + " (" + built.uri() + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailsinkException(
          "Interrupted while waiting for " + built.uri() + "; the interrupt flag is set", e);
    }
  }

  CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
    return http.sendAsync(
        request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Opens a streaming GET, for server-sent events; the caller closes the stream. */
  InputStream openStream(String relative) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(baseUri.resolve(relative)).header("Accept", "text/event-stream");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<InputStream> r = send(b.GET(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      try (InputStream body = r.body()) {
        body.readAllBytes();
      } catch (IOException e) {
        // the status below is what matters
      }
      throw new MailsinkException(
          "GET " + relative + " answered " + r.statusCode() + "; cannot follow the events");
    }
    return r.body();
  }

  static void expectSuccess(HttpResponse<?> r, String what) {
    if (r.statusCode() / 100 != 2) {
      throw new MailsinkException(
          what + " answered " + r.statusCode() + ": " + message(r) + " (server " + r.uri() + ")");
    }
  }

  /** The {@code message} of an error body, or the body itself. */
  static String message(HttpResponse<?> r) {
    Object body = r.body();
    if (body instanceof String text) {
      try {
        JsonNode node = JSON.readTree(text);
        if (node != null && node.hasNonNull("message")) {
          return node.get("message").asText();
        }
      } catch (IOException e) {
        // not JSON: show it as it is
      }
      return text;
    }
    return "";
  }

  static JsonNode parse(String body, String what) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new MailsinkException(what + " answered with JSON that cannot be read: " + e, e);
    }
  }
}
