package dev.mailsink.web.internal.api;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailsink;
import dev.mailsink.internal.session.SessionStore;
import dev.mailsink.json.TranscriptJson;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The session log: {@code /api/v1/sessions} (newest first), one session's transcript, a message's
 * transcript, and a long poll that answers when the log changes.
 */
final class SessionsApi {
  private static final int MAX_LIMIT = 100_000;

  private final Mailsink sink;
  private final EventLoop loop;

  SessionsApi(Mailsink sink, EventLoop loop) {
    this.sink = sink;
    this.loop = loop;
  }

  private SessionStore store() {
    return (SessionStore) sink.sessions();
  }

  /** The log, or its view of the namespace the request names ({@code ?namespace=}). */
  private SessionLog log(Scope scope) {
    return scope.sessions(sink.sessions());
  }

  void list(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, sink.mailbox());
    int limit = Params.integer(exchange, "limit", 50, 0, MAX_LIMIT);
    int offset = Params.integer(exchange, "offset", 0, 0, Integer.MAX_VALUE);
    long version = store().version();
    List<Transcript> all = new ArrayList<>(log(scope).sessions());
    Collections.reverse(all);
    int from = Math.min(offset, all.size());
    int to = (int) Math.min((long) from + limit, all.size());
    List<TranscriptJson.SummaryJson> page = new ArrayList<>();
    for (Transcript t : all.subList(from, to)) {
      page.add(TranscriptJson.SummaryJson.of(t));
    }
    Responses.json(
        exchange,
        200,
        new JsonModel.SessionListJson(
            all.size(), page.size(), version, sink.config().recordSessions(), page));
  }

  /** Forgets every ended session (of the namespace, with {@code ?namespace=}); open ones stay. */
  void deleteAll(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, sink.mailbox());
    Responses.json(exchange, 200, new JsonModel.DeletedJson(log(scope).clear()));
  }

  void get(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, sink.mailbox());
    String id = path.get("id");
    Transcript t =
        log(scope)
            .findById(id)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "No session with id "
                            + id
                            + scope.where()
                            + (sink.config().recordSessions()
                                ? " (the log keeps the last "
                                    + sink.config().retainedSessions()
                                    + " sessions)"
                                : "; sessions are not recorded on this server")));
    Responses.json(exchange, 200, TranscriptJson.of(t));
  }

  void ofMessage(HttpServerExchange exchange, Map<String, String> path) {
    CapturedMessage m = Params.message(exchange, sink.mailbox(), path.get("id"));
    Transcript t =
        m.transcript()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        sink.config().recordSessions()
                            ? "The transcript of message "
                                + m.id()
                                + " (session "
                                + m.envelope().sessionId()
                                + ") is no longer retained; the log keeps the last "
                                + sink.config().retainedSessions()
                                + " sessions"
                            : "Sessions are not recorded on this server, so message "
                                + m.id()
                                + " has no transcript"));
    Responses.json(exchange, 200, TranscriptJson.of(t));
  }

  /**
   * {@code ?after=<version>&timeout=}: answers with the new version as soon as a session starts or
   * ends (or the log is cleared) after that version, or 408 after the timeout. With {@code
   * ?namespace=}, only a session of the namespace joining it or ending (or a clear) answers.
   */
  void await(HttpServerExchange exchange, Map<String, String> path) {
    Scope scope = Scope.of(exchange, sink.mailbox());
    String after = Params.query(exchange, "after");
    long version;
    try {
      version =
          after == null || after.isBlank() ? store().version() : Long.parseLong(after.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "after must be a version number from GET /api/v1/sessions, was '" + after + "'");
    }
    Duration timeout =
        Params.duration(exchange, "timeout", RelayApi.DEFAULT_TIMEOUT, RelayApi.MAX_TIMEOUT);
    var changed = store().changedAfter(version, scope.namespace());
    if (changed.isDone()) {
      Responses.json(exchange, 200, new JsonModel.VersionJson(changed.join()));
      return;
    }
    Parking.await(
        exchange,
        loop,
        changed,
        timeout,
        v -> Responses.json(exchange, 200, new JsonModel.VersionJson(v)),
        () ->
            Responses.error(
                exchange,
                408,
                "timeout",
                "No session"
                    + (scope.isRoot() ? " started or ended" : scope.where() + " joined it or ended")
                    + " within "
                    + timeout
                    + " after version "
                    + version));
  }
}
