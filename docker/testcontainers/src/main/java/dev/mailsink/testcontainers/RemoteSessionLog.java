package dev.mailsink.testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.MailsinkException;
import dev.mailsink.json.TranscriptJson;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import dev.mailsink.spi.AwaitFailure;
import dev.mailsink.spi.NamespaceMailbox;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The {@link SessionLog} of a Mailsink server, read over its JSON API. Ended transcripts never
 * change, so they are fetched once and cached by id; open ones are fetched on every read. {@link
 * #await} long-polls {@code /api/v1/sessions/await}, waking when a session starts or ends.
 *
 * <p>A namespace view ({@link #namespace(String)}) sends {@code ?namespace=} on every call, so the
 * server does the scoping; it has a cache of its own.
 */
final class RemoteSessionLog implements SessionLog {
  private static final int ALL = 100_000;

  private final MailsinkClient client;

  /** The namespace's name (lower case), or {@code null} for the whole log. */
  private final String namespace;

  /** {@code ""}, or {@code "namespace=<name>"} for a namespace view. */
  private final String scope;

  private final Map<String, Transcript> ended = new ConcurrentHashMap<>();

  RemoteSessionLog(MailsinkClient client) {
    this(client, null);
  }

  private RemoteSessionLog(MailsinkClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.scope = MailsinkClient.scope(namespace);
  }

  private String scoped(String path) {
    return MailsinkClient.scoped(path, scope);
  }

  private record Listing(long version, List<Transcript> sessions) {}

  /** Every session, oldest first, and the log's version at the time. */
  private Listing list() {
    HttpResponse<String> r = client.getString(scoped("api/v1/sessions?limit=" + ALL));
    MailsinkClient.expectSuccess(r, "GET /api/v1/sessions");
    JsonNode json = MailsinkClient.parse(r.body(), "GET /api/v1/sessions");
    List<Transcript> out = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (JsonNode s : json.path("sessions")) {
      String id = s.path("id").asText();
      ids.add(id);
      Transcript cached = ended.get(id);
      if (cached != null) {
        out.add(cached);
        continue;
      }
      fetch(id).ifPresent(out::add);
    }
    ended.keySet().retainAll(ids);
    Collections.reverse(out);
    return new Listing(json.path("version").asLong(), out);
  }

  private Optional<Transcript> fetch(String id) {
    String path = scoped("api/v1/sessions/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    HttpResponse<String> r = client.getString(path);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    MailsinkClient.expectSuccess(r, "GET /" + path);
    Transcript t = read(r.body(), "GET /" + path);
    if (!t.isOpen()) {
      ended.put(id, t);
    }
    return Optional.of(t);
  }

  static Transcript read(String body, String what) {
    try {
      return MailsinkClient.JSON.readValue(body, TranscriptJson.class).toTranscript();
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new MailsinkException(
          what + " answered with a transcript that cannot be read: " + e, e);
    }
  }

  @Override
  public List<Transcript> sessions() {
    return list().sessions();
  }

  @Override
  public List<Transcript> find(Predicate<? super Transcript> filter) {
    Objects.requireNonNull(filter, "filter");
    List<Transcript> out = new ArrayList<>();
    for (Transcript t : sessions()) {
      if (filter.test(t)) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public Optional<Transcript> findById(String id) {
    Objects.requireNonNull(id, "id");
    Transcript cached = ended.get(id);
    return cached != null ? Optional.of(cached) : fetch(id);
  }

  @Override
  public List<Transcript> await(Predicate<? super Transcript> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    AwaitFailure.checkArguments(count, timeout);
    long deadline = AwaitFailure.deadline(timeout);
    while (true) {
      Listing now = list();
      List<Transcript> matching = new ArrayList<>();
      for (Transcript t : now.sessions()) {
        if (filter.test(t)) {
          matching.add(t);
        }
      }
      if (matching.size() >= count) {
        return matching;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw AwaitFailure.sessionsTimedOut(
            namespace == null ? null : "in namespace " + namespace,
            count,
            timeout,
            matching,
            now.sessions());
      }
      long millis = Math.max(1, Math.min(remaining / 1_000_000, RemoteMailbox.MAX_POLL.toMillis()));
      HttpResponse<String> r =
          client.send(
              client
                  .request(
                      scoped(
                          "api/v1/sessions/await?after="
                              + now.version()
                              + "&timeout="
                              + millis
                              + "ms"))
                  .timeout(Duration.ofMillis(millis).plus(MailsinkClient.REQUEST_TIMEOUT))
                  .GET(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 408) {
        MailsinkClient.expectSuccess(r, "GET /api/v1/sessions/await");
      }
    }
  }

  @Override
  public int clear() {
    HttpResponse<String> r =
        client.send(
            client.request(scoped("api/v1/sessions")).DELETE(),
            HttpResponse.BodyHandlers.ofString());
    MailsinkClient.expectSuccess(r, "DELETE /api/v1/sessions");
    ended.clear();
    return MailsinkClient.parse(r.body(), "DELETE /api/v1/sessions").path("deleted").asInt();
  }

  @Override
  public long evictedCount() {
    return MailsinkClient.parse(client.info(), "GET /api/v1/info")
        .path("counts")
        .path("sessionsEvicted")
        .asLong();
  }

  @Override
  public SessionLog namespace(String name) {
    return new RemoteSessionLog(client, NamespaceMailbox.checkName(name));
  }

  @Override
  public String toString() {
    return "SessionLog{remote="
        + client.baseUri()
        + (namespace == null ? "" : ", namespace=" + namespace)
        + "}";
  }
}
