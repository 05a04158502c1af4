package dev.mailsink.testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.CapturedMessage;
import dev.mailsink.MailsinkAssertionError;
import dev.mailsink.MailsinkException;
import dev.mailsink.json.ReleaseJson;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseLog;
import dev.mailsink.relay.ReleaseRefusedException;
import dev.mailsink.spi.NamespaceMailbox;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Releases on a Mailsink server, over its JSON API: requesting one, listing them, and waiting for
 * one to be done with {@code /api/v1/releases/{id}/await} (long polls, no sleeping). A namespace
 * view ({@link #namespace(String)}) sends {@code ?namespace=} on every read, so the server does the
 * scoping.
 */
final class RemoteReleaseLog implements ReleaseLog {
  private final MailsinkClient client;

  /** The namespace's name (lower case), or {@code null} for the whole log. */
  private final String namespace;

  /** {@code ""}, or {@code "namespace=<name>"} for a namespace view. */
  private final String scope;

  RemoteReleaseLog(MailsinkClient client) {
    this(client, null);
  }

  private RemoteReleaseLog(MailsinkClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.scope = MailsinkClient.scope(namespace);
  }

  private String scoped(String path) {
    return MailsinkClient.scoped(path, scope);
  }

  static List<Release> releases(JsonNode list, String what) {
    List<Release> out = new ArrayList<>();
    for (JsonNode r : list.path("releases")) {
      out.add(read(r, what));
    }
    return out;
  }

  static Release read(JsonNode node, String what) {
    try {
      return MailsinkClient.JSON.treeToValue(node, ReleaseJson.class).toRelease();
    } catch (IOException | IllegalArgumentException e) {
      throw new MailsinkException(what + " answered with a release that cannot be read: " + e, e);
    }
  }

  /** POSTs the release; the future completes when the server says it is done. */
  CompletableFuture<Release> release(CapturedMessage message, String... recipients) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(recipients, "recipients");
    if (recipients.length == 0) {
      throw new IllegalArgumentException("a release needs at least one recipient");
    }
    var body = MailsinkClient.JSON.createObjectNode();
    var to = body.putArray("to");
    for (String r : recipients) {
      to.add(Objects.requireNonNull(r, "recipient"));
    }
    String path = "api/v1/messages/" + message.id() + "/release";
    HttpResponse<String> r =
        client.send(
            client
                .request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)),
            HttpResponse.BodyHandlers.ofString());
    switch (r.statusCode()) {
      case 409 ->
          throw new ReleaseRefusedException(
              ReleaseRefusedException.Reason.NOT_CONFIGURED, MailsinkClient.message(r), List.of());
      case 403 -> {
        JsonNode err = MailsinkClient.parse(r.body(), "POST /" + path);
        if ("recipient_not_allowed".equals(err.path("error").asText())) {
          throw new ReleaseRefusedException(
              ReleaseRefusedException.Reason.RECIPIENT_NOT_ALLOWED,
              MailsinkClient.message(r),
              List.of());
        }
      }
      case 429 ->
          throw new ReleaseRefusedException(
              ReleaseRefusedException.Reason.TOO_MANY_PENDING,
              MailsinkClient.message(r),
              List.of());
      case 400 -> throw new IllegalArgumentException(MailsinkClient.message(r));
      default -> {
        // 202 below, anything else fails there
      }
    }
    MailsinkClient.expectSuccess(r, "POST /" + path);
    Release pending = read(MailsinkClient.parse(r.body(), "POST /" + path), "POST /" + path);
    CompletableFuture<Release> done = new CompletableFuture<>();
    poll(pending.id(), done);
    return done;
  }

  /** One long poll after another, asynchronously, until the release is done. */
  private void poll(long id, CompletableFuture<Release> done) {
    if (done.isDone()) {
      return;
    }
    long millis = RemoteMailbox.MAX_POLL.toMillis();
    client
        .sendAsync(
            client
                .request("api/v1/releases/" + id + "/await?timeout=" + millis + "ms")
                .timeout(Duration.ofMillis(millis).plus(MailsinkClient.REQUEST_TIMEOUT))
                .GET())
        .whenComplete(
            (r, failure) -> {
              if (failure != null) {
                done.completeExceptionally(
                    new MailsinkException(
                        "Lost the server while waiting for release #" + id + ": " + failure,
                        failure));
              } else if (r.statusCode() == 408) {
                poll(id, done);
              } else if (r.statusCode() == 200) {
                try {
                  done.complete(
                      read(MailsinkClient.parse(r.body(), "await release"), "await release"));
                } catch (RuntimeException e) {
                  done.completeExceptionally(e);
                }
              } else {
                done.completeExceptionally(
                    new MailsinkException(
                        "GET /api/v1/releases/"
                            + id
                            + "/await answered "
                            + r.statusCode()
                            + ": "
                            + MailsinkClient.message(r)));
              }
            });
  }

  @Override
  public List<Release> releases() {
    HttpResponse<String> r = client.getString(scoped("api/v1/releases"));
    MailsinkClient.expectSuccess(r, "GET /api/v1/releases");
    List<Release> newestFirst =
        releases(MailsinkClient.parse(r.body(), "GET /api/v1/releases"), "GET /api/v1/releases");
    List<Release> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  @Override
  public List<Release> forMessage(long messageId) {
    String path = scoped("api/v1/messages/" + messageId + "/releases");
    HttpResponse<String> r = client.getString(path);
    if (r.statusCode() == 404) {
      return List.of();
    }
    MailsinkClient.expectSuccess(r, "GET /" + path);
    return releases(MailsinkClient.parse(r.body(), "GET /" + path), "GET /" + path);
  }

  @Override
  public Optional<Release> findById(long id) {
    String path = scoped("api/v1/releases/" + id);
    HttpResponse<String> r = client.getString(path);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    MailsinkClient.expectSuccess(r, "GET /" + path);
    return Optional.of(read(MailsinkClient.parse(r.body(), "GET /" + path), "GET /" + path));
  }

  @Override
  public Release awaitDone(long id, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    long millis = Math.max(0, timeout.toMillis());
    String path = scoped("api/v1/releases/" + id + "/await?timeout=" + millis + "ms");
    HttpResponse<String> r =
        client.send(
            client
                .request(path)
                .timeout(Duration.ofMillis(millis).plus(MailsinkClient.REQUEST_TIMEOUT))
                .GET(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      throw new NoSuchElementException(
          "No release with id " + id + (namespace == null ? "" : " in namespace " + namespace));
    }
    if (r.statusCode() == 408) {
      JsonNode body = MailsinkClient.parse(r.body(), "GET /" + path);
      throw new MailsinkAssertionError(
          "Expected release #"
              + id
              + " to be done within "
              + timeout
              + " but it is "
              + read(body.path("release"), "GET /" + path).summary());
    }
    MailsinkClient.expectSuccess(r, "GET /" + path);
    return read(MailsinkClient.parse(r.body(), "GET /" + path), "GET /" + path);
  }

  @Override
  public ReleaseLog namespace(String name) {
    return new RemoteReleaseLog(client, NamespaceMailbox.checkName(name));
  }

  @Override
  public String toString() {
    return "ReleaseLog{remote="
        + client.baseUri()
        + (namespace == null ? "" : ", namespace=" + namespace)
        + "}";
  }
}
