package dev.mailsink.web.internal.api;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.relay.Release;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;

/**
 * {@code GET /api/v1/events}: server-sent events for received, deleted and cleared messages, and
 * for releases as they change ({@code release}, one release per event). With {@code
 * ?namespace=name} a client hears only of that namespace's messages and their releases (and of the
 * whole mailbox being cleared).
 *
 * <p>Events are batched: the first change after a quiet period is sent at once; changes that follow
 * within {@link #BATCH_MILLIS} are sent together as at most one {@code cleared}, one {@code
 * received} (a list of summaries) and one {@code deleted} (a list of ids) event. A client that does
 * not read fast enough misses events and then gets a {@code resync} event telling it to reload.
 * Methods other than {@link #handle} and the connection callback run on the event loop.
 */
final class EventStream {
  static final long BATCH_MILLIS = 100;
  static final int MAX_PER_EVENT = 1_000;
  static final int MAX_OUTSTANDING = 256;
  static final long KEEP_ALIVE_MILLIS = 15_000;

  private final Mailbox mailbox;
  private final EventLoop loop;
  private final Map<ServerSentEventConnection, Client> clients = new ConcurrentHashMap<>();

  // event loop only
  private final List<Change> pending = new ArrayList<>();
  private long lastFlushNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS);
  private ScheduledFuture<?> scheduledFlush;

  private enum Kind {
    RECEIVED,
    DELETED,
    CLEARED
  }

  /** A change; {@code message} is null only for {@code CLEARED}. */
  private record Change(Kind kind, CapturedMessage message) {}

  private static final class Client {
    final Scope scope;
    final AtomicInteger outstanding = new AtomicInteger();
    volatile boolean missedEvents;

    Client(Scope scope) {
      this.scope = scope;
    }
  }

  EventStream(Mailbox mailbox, EventLoop loop) {
    this.mailbox = mailbox;
    this.loop = loop;
  }

  void handle(HttpServerExchange exchange, Map<String, String> path) throws Exception {
    // read before the stream starts, so that a bad namespace is still a 400
    Scope scope = Scope.of(exchange, mailbox);
    new ServerSentEventHandler((connection, lastEventId) -> connected(connection, scope))
        .handleRequest(exchange);
  }

  private void connected(ServerSentEventConnection connection, Scope scope) {
    connection.setKeepAliveTime(KEEP_ALIVE_MILLIS);
    loop.execute(() -> register(connection, scope));
  }

  /** Runs on the loop, so the client sees exactly the changes that follow its hello. */
  private void register(ServerSentEventConnection connection, Scope scope) {
    if (!connection.isOpen()) {
      return;
    }
    if (!pending.isEmpty()) {
      // changes from before this client connected go to the clients that were there
      flush();
    }
    Client client = new Client(scope);
    clients.put(connection, client);
    connection.addCloseTask(clients::remove);
    if (!connection.isOpen()) {
      clients.remove(connection);
      return;
    }
    send(
        connection,
        client,
        "hello",
        JsonModel.string(new JsonModel.HelloJson(scope.mailbox().count())));
  }

  void received(CapturedMessage m) {
    add(new Change(Kind.RECEIVED, m));
  }

  void deleted(CapturedMessage m) {
    add(new Change(Kind.DELETED, m));
  }

  void cleared() {
    add(new Change(Kind.CLEARED, null));
  }

  /**
   * A release changed (requested, attempted, done): sent at once, unbatched, since releases change
   * at the pace of an upstream server, not of SMTP clients.
   */
  void release(Release r) {
    if (clients.isEmpty()) {
      return;
    }
    String data =
        JsonModel.string(new JsonModel.ReleaseEventJson(dev.mailsink.json.ReleaseJson.of(r)));
    for (Map.Entry<ServerSentEventConnection, Client> e : clients.entrySet()) {
      Scope scope = e.getValue().scope;
      if (!scope.isRoot() && scope.mailbox().findById(r.messageId()).isEmpty()) {
        continue;
      }
      if (e.getValue().outstanding.get() >= MAX_OUTSTANDING) {
        e.getValue().missedEvents = true;
        continue;
      }
      send(e.getKey(), e.getValue(), "release", data);
    }
  }

  private void add(Change change) {
    if (clients.isEmpty()) {
      return;
    }
    pending.add(change);
    if (scheduledFlush != null) {
      return;
    }
    long waitNanos =
        lastFlushNanos + TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS) - System.nanoTime();
    if (waitNanos <= 0) {
      flush();
    } else {
      scheduledFlush = loop.schedule(this::flush, waitNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void flush() {
    if (scheduledFlush != null) {
      scheduledFlush.cancel(false);
      scheduledFlush = null;
    }
    lastFlushNanos = System.nanoTime();
    if (pending.isEmpty()) {
      return;
    }
    List<Change> batch = List.copyOf(pending);
    pending.clear();
    // clients of one namespace share its events, built once per flush
    Map<String, List<String[]>> eventsByNamespace = new HashMap<>();
    for (Map.Entry<ServerSentEventConnection, Client> e : clients.entrySet()) {
      ServerSentEventConnection connection = e.getKey();
      Client client = e.getValue();
      List<String[]> events =
          eventsByNamespace.computeIfAbsent(
              client.scope.isRoot() ? "" : client.scope.namespace(),
              k -> events(batch, client.scope));
      if (events.isEmpty()) {
        continue;
      }
      if (client.missedEvents && client.outstanding.get() < MAX_OUTSTANDING / 2) {
        client.missedEvents = false;
        send(connection, client, "resync", "{}");
      }
      for (String[] event : events) {
        if (client.outstanding.get() >= MAX_OUTSTANDING) {
          client.missedEvents = true;
          break;
        }
        send(connection, client, event[0], event[1]);
      }
    }
  }

  /** The events, as {name, data} pairs, that tell a client of {@code scope} about a batch. */
  private static List<String[]> events(List<Change> batch, Scope scope) {
    // A batch says where the mailbox got to, in at most three events: a clear drops what came
    // before it; then every arrival; then every removal (a message may arrive and be evicted in one
    // batch: it is listed in both, in that order, so the client ends in the right state).
    int start = 0;
    boolean cleared = false;
    for (int i = batch.size() - 1; i >= 0; i--) {
      if (batch.get(i).kind() == Kind.CLEARED) {
        start = i + 1;
        cleared = true;
        break;
      }
    }
    List<CapturedMessage> received = new ArrayList<>();
    List<Long> deleted = new ArrayList<>();
    for (Change c : batch.subList(start, batch.size())) {
      if (!scope.holds(c.message())) {
        continue;
      }
      if (c.kind() == Kind.RECEIVED) {
        received.add(c.message());
      } else {
        deleted.add(c.message().id());
      }
    }
    List<String[]> events = new ArrayList<>();
    if (cleared) {
      events.add(new String[] {"cleared", "{}"});
    }
    for (int i = 0; i < received.size(); i += MAX_PER_EVENT) {
      List<CapturedMessage> chunk =
          received.subList(i, Math.min(received.size(), i + MAX_PER_EVENT));
      events.add(
          new String[] {
            "received",
            JsonModel.string(new JsonModel.ReceivedEventJson(JsonModel.summaries(chunk)))
          });
    }
    for (int i = 0; i < deleted.size(); i += MAX_PER_EVENT) {
      List<Long> chunk = deleted.subList(i, Math.min(deleted.size(), i + MAX_PER_EVENT));
      events.add(new String[] {"deleted", JsonModel.string(new JsonModel.DeletedEventJson(chunk))});
    }
    return events;
  }

  private static void send(
      ServerSentEventConnection connection, Client client, String event, String data) {
    client.outstanding.incrementAndGet();
    connection.send(
        data,
        event,
        null,
        new ServerSentEventConnection.EventCallback() {
          @Override
          public void done(ServerSentEventConnection c, String d, String ev, String id) {
            client.outstanding.decrementAndGet();
          }

          @Override
          public void failed(
              ServerSentEventConnection c, String d, String ev, String id, java.io.IOException e) {
            client.outstanding.decrementAndGet();
          }
        });
  }

  void closeAll() {
    for (ServerSentEventConnection c : new ArrayList<>(clients.keySet())) {
      IoUtils.safeClose(c);
    }
    clients.clear();
  }
}
