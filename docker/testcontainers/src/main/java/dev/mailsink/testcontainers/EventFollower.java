package dev.mailsink.testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.MailsinkException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows {@code GET /api/v1/events} (server-sent events, scoped like the mailbox it serves) on a
 * daemon thread and tells a listener of each received, deleted and cleared message. When the server
 * says events were missed ({@code resync}), the listing is compared with what this follower knew
 * and the difference is reported.
 */
final class EventFollower implements Mailbox.Subscription {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final long HELLO_TIMEOUT_SECONDS = 10;

  private final MailsinkClient client;
  private final RemoteMailbox mailbox;
  private final MailboxListener listener;
  private final InputStream stream;
  private final CountDownLatch hello = new CountDownLatch(1);

  /** The messages this follower has seen and not seen deleted: read by the event thread only. */
  private final Map<Long, CapturedMessage> known = new HashMap<>();

  private volatile boolean closed;

  private EventFollower(
      MailsinkClient client, RemoteMailbox mailbox, MailboxListener listener, InputStream stream) {
    this.client = client;
    this.mailbox = mailbox;
    this.listener = listener;
    this.stream = stream;
  }

  /** Connects, and returns once the server has confirmed the subscription. */
  static EventFollower start(
      MailsinkClient client, RemoteMailbox mailbox, String events, MailboxListener listener) {
    InputStream stream = client.openStream(events);
    EventFollower f = new EventFollower(client, mailbox, listener, stream);
    Thread t = new Thread(f::read, "mailsink-events-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    t.start();
    try {
      if (!f.hello.await(HELLO_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        f.close();
        throw new MailsinkException(
            "The server at " + client.baseUri() + " did not start the event stream in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.close();
      throw new MailsinkException("Interrupted while subscribing; the interrupt flag is set", e);
    }
    return f;
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String event = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while (!closed && (line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            dispatch(event, data.toString());
          }
          event = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5).stripLeading());
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        System.getLogger(EventFollower.class.getName())
            .log(
                System.Logger.Level.WARNING, "event stream from " + client.baseUri() + " ended", e);
      }
    }
  }

  private void dispatch(String event, String data) {
    switch (event) {
      case "hello" -> {
        for (CapturedMessage m : mailbox.messages()) {
          known.put(m.id(), m);
        }
        hello.countDown();
      }
      case "received" -> {
        for (JsonNode summary : MailsinkClient.parse(data, "event").path("messages")) {
          CapturedMessage m = mailbox.toMessage(summary);
          if (m != null && known.putIfAbsent(m.id(), m) == null) {
            safely(() -> listener.received(m));
          }
        }
      }
      case "deleted" -> {
        for (JsonNode id : MailsinkClient.parse(data, "event").path("ids")) {
          deleted(id.asLong());
        }
      }
      case "cleared" -> {
        known.clear();
        safely(listener::cleared);
      }
      case "resync" -> resync();
      default -> {
        // an event this client does not know yet: ignore it, as SSE clients should
      }
    }
  }

  private void deleted(long id) {
    CapturedMessage m = known.remove(id);
    mailbox.forget(id);
    if (m != null) {
      safely(() -> listener.deleted(m));
    }
  }

  private void resync() {
    Set<Long> now = new HashSet<>();
    for (CapturedMessage m : mailbox.messages()) {
      now.add(m.id());
      if (known.putIfAbsent(m.id(), m) == null) {
        safely(() -> listener.received(m));
      }
    }
    for (Long id : Set.copyOf(known.keySet())) {
      if (!now.contains(id)) {
        deleted(id);
      }
    }
  }

  private void safely(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      System.getLogger(EventFollower.class.getName())
          .log(System.Logger.Level.WARNING, "a MailboxListener threw; the events go on", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      stream.close();
    } catch (IOException e) {
      // closing is best effort; the thread ends when the stream does
    }
  }
}
