package dev.mailsink.testcontainers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.MailsinkException;
import dev.mailsink.json.EnvelopeJson;
import dev.mailsink.relay.Release;
import dev.mailsink.session.Transcript;
import dev.mailsink.spi.AwaitFailure;
import dev.mailsink.spi.InboxStore;
import dev.mailsink.spi.MessageHistory;
import dev.mailsink.spi.NamespaceMailbox;
import dev.mailsink.spi.RecipientMailbox;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The {@link Mailbox} of a Mailsink server, read over its JSON API. Messages are built with {@link
 * CapturedMessage#of} from the bytes of {@code /api/v1/messages/{id}/raw} and the envelope of the
 * listing, so parsing is core's, exactly as in-process. Message bytes are cached by id (a message
 * never changes); listings and counts always ask the server.
 *
 * <p>A namespace view ({@link #namespace(String)}) is the same client with {@code ?namespace=} on
 * every request, so the server does the scoping: listings, counts, waits, deletions and events
 * carry only the namespace's messages. Views share the root's cache and recipients' deletions.
 */
final class RemoteMailbox implements InboxStore {
  /** Longest single long poll; longer waits are several polls in a row. */
  static final Duration MAX_POLL = Duration.ofMinutes(5);

  private static final int PAGE = 1_000;

  private final MailsinkClient client;

  /** The namespace's name (lower case), or {@code null} for the whole mailbox. */
  private final String namespace;

  /** {@code ""}, or {@code "namespace=<name>"} for a namespace view. */
  private final String scope;

  private final Map<Long, CapturedMessage> cache;

  /** A message's transcript and releases, asked of the server on each call (they change). */
  private final MessageHistory history =
      new MessageHistory() {
        @Override
        public Optional<Transcript> transcript(CapturedMessage message) {
          String path = "api/v1/messages/" + message.id() + "/transcript";
          HttpResponse<String> r = client.getString(path);
          if (r.statusCode() == 404) {
            return Optional.empty();
          }
          MailsinkClient.expectSuccess(r, "GET /" + path);
          return Optional.of(RemoteSessionLog.read(r.body(), "GET /" + path));
        }

        @Override
        public List<Release> releases(CapturedMessage message) {
          return client.releases().forMessage(message.id());
        }
      };

  private final Map<String, Set<Long>> hiddenByRecipient;

  RemoteMailbox(MailsinkClient client) {
    this(client, null, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  }

  private RemoteMailbox(
      MailsinkClient client,
      String namespace,
      Map<Long, CapturedMessage> cache,
      Map<String, Set<Long>> hiddenByRecipient) {
    this.client = client;
    this.namespace = namespace;
    this.scope = MailsinkClient.scope(namespace);
    this.cache = cache;
    this.hiddenByRecipient = hiddenByRecipient;
  }

  /** {@code path} with this view's scope as a query parameter. */
  private String scoped(String path) {
    return MailsinkClient.scoped(path, scope);
  }

  // --- reading ----------------------------------------------------------------------------------

  @Override
  public List<CapturedMessage> messages(Order order) {
    Objects.requireNonNull(order, "order");
    List<CapturedMessage> newestFirst = fetchAll();
    if (order == Order.OLDEST_FIRST) {
      List<CapturedMessage> oldestFirst = new ArrayList<>(newestFirst);
      Collections.reverse(oldestFirst);
      return List.copyOf(oldestFirst);
    }
    return List.copyOf(newestFirst);
  }

  @Override
  public List<CapturedMessage> find(Predicate<? super CapturedMessage> filter) {
    Objects.requireNonNull(filter, "filter");
    List<CapturedMessage> result = new ArrayList<>();
    for (CapturedMessage m : messages(Order.OLDEST_FIRST)) {
      if (filter.test(m)) {
        result.add(m);
      }
    }
    return result;
  }

  @Override
  public Optional<CapturedMessage> findById(long id) {
    CapturedMessage cached = cache.get(id);
    HttpResponse<String> r = client.getString(scoped("api/v1/messages/" + id));
    if (r.statusCode() == 404) {
      if (namespace == null) {
        cache.remove(id);
      }
      return Optional.empty();
    }
    MailsinkClient.expectSuccess(r, "GET /api/v1/messages/" + id);
    if (cached != null) {
      return Optional.of(cached);
    }
    return Optional.ofNullable(toMessage(MailsinkClient.parse(r.body(), "GET message " + id)));
  }

  @Override
  public Optional<CapturedMessage> latest() {
    List<CapturedMessage> page = fetchPage(0, 1, null);
    return page.isEmpty() ? Optional.empty() : Optional.of(page.get(0));
  }

  @Override
  public int count() {
    HttpResponse<String> r = client.getString(scoped("api/v1/messages?limit=0"));
    MailsinkClient.expectSuccess(r, "GET /api/v1/messages");
    return MailsinkClient.parse(r.body(), "GET /api/v1/messages").path("total").asInt();
  }

  @Override
  public long evictedCount() {
    return MailsinkClient.parse(client.info(), "GET /api/v1/info")
        .path("counts")
        .path("evicted")
        .asLong();
  }

  // --- removing ---------------------------------------------------------------------------------

  @Override
  public boolean delete(long id) {
    HttpResponse<String> r =
        client.send(
            client.request(scoped("api/v1/messages/" + id)).DELETE(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      if (namespace == null) {
        cache.remove(id);
      }
      return false;
    }
    MailsinkClient.expectSuccess(r, "DELETE /api/v1/messages/" + id);
    cache.remove(id);
    return true;
  }

  @Override
  public int clear() {
    HttpResponse<String> r =
        client.send(
            client.request(scoped("api/v1/messages")).DELETE(),
            HttpResponse.BodyHandlers.ofString());
    MailsinkClient.expectSuccess(r, "DELETE /api/v1/messages");
    if (namespace == null) {
      cache.clear();
      hiddenByRecipient.clear();
    } else {
      cache.values().removeIf(this::cachedForThisNamespace);
    }
    return MailsinkClient.parse(r.body(), "DELETE /api/v1/messages").path("deleted").asInt();
  }

  // --- waiting ----------------------------------------------------------------------------------

  @Override
  public List<CapturedMessage> await(int count, Duration timeout) {
    AwaitFailure.checkArguments(count, timeout);
    long deadline = AwaitFailure.deadline(timeout);
    while (true) {
      long remaining = deadline - System.nanoTime();
      PollResult poll = poll(count, remaining);
      if (poll.reached()) {
        List<CapturedMessage> all = messages(Order.OLDEST_FIRST);
        if (all.size() >= count) {
          return all;
        }
        // A deletion came between the poll and the listing: wait again.
      } else if (deadline - System.nanoTime() <= 0) {
        List<CapturedMessage> all = messages(Order.OLDEST_FIRST);
        if (all.size() >= count) {
          return all;
        }
        throw AwaitFailure.timedOut(
            namespace == null ? null : "in namespace " + namespace, count, timeout, all, all);
      }
    }
  }

  @Override
  public List<CapturedMessage> await(
      Predicate<? super CapturedMessage> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    return awaitMatching(filter, "matching the filter", count, timeout);
  }

  /**
   * Waits until {@code wanted} messages match a filter that only this JVM can evaluate: list, test,
   * and if too few match, long-poll until the server holds one message more than just seen. Every
   * arrival wakes the wait; no sleeping in between.
   */
  @Override
  public List<CapturedMessage> awaitMatching(
      Predicate<? super CapturedMessage> filter, String what, int wanted, Duration timeout) {
    AwaitFailure.checkArguments(wanted, timeout);
    long deadline = AwaitFailure.deadline(timeout);
    while (true) {
      List<CapturedMessage> all = messages(Order.OLDEST_FIRST);
      List<CapturedMessage> matching = new ArrayList<>();
      for (CapturedMessage m : all) {
        if (filter.test(m)) {
          matching.add(m);
        }
      }
      if (matching.size() >= wanted) {
        return matching;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw AwaitFailure.timedOut(
            namespace == null
                ? what
                : "in namespace " + namespace + (what == null ? "" : " " + what),
            wanted,
            timeout,
            matching,
            all);
      }
      poll(all.size() + 1, remaining);
    }
  }

  private record PollResult(boolean reached) {}

  /** One long poll of at most {@link #MAX_POLL}: has the server {@code count} messages? */
  private PollResult poll(int count, long remainingNanos) {
    long millis = Math.max(0, Math.min(remainingNanos / 1_000_000, MAX_POLL.toMillis()));
    HttpResponse<String> r =
        client.send(
            client
                .request(
                    scoped("api/v1/messages/await?count=" + count + "&timeout=" + millis + "ms"))
                .timeout(Duration.ofMillis(millis).plus(MailsinkClient.REQUEST_TIMEOUT))
                .GET(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 408) {
      return new PollResult(false);
    }
    MailsinkClient.expectSuccess(r, "GET /api/v1/messages/await");
    return new PollResult(true);
  }

  // --- views and listeners ----------------------------------------------------------------------

  @Override
  public Mailbox forRecipient(String address) {
    Objects.requireNonNull(address, "address");
    if (address.isBlank()) {
      throw new IllegalArgumentException("address must not be blank");
    }
    return new RecipientMailbox(this, address.strip());
  }

  @Override
  public Mailbox namespace(String name) {
    return new RemoteMailbox(client, NamespaceMailbox.checkName(name), cache, hiddenByRecipient);
  }

  @Override
  public Subscription subscribe(MailboxListener listener) {
    Objects.requireNonNull(listener, "listener");
    return EventFollower.start(client, this, scoped("api/v1/events"), listener);
  }

  @Override
  public boolean isHiddenFor(String address, long id) {
    Set<Long> hidden = hiddenByRecipient.get(address.toLowerCase(Locale.ROOT));
    return hidden != null && hidden.contains(id);
  }

  @Override
  public void hideFor(String address, long id) {
    hiddenByRecipient
        .computeIfAbsent(address.toLowerCase(Locale.ROOT), k -> ConcurrentHashMap.newKeySet())
        .add(id);
  }

  // --- JSON to messages -------------------------------------------------------------------------

  /** Every message, newest first, through as many pages as needed. */
  private List<CapturedMessage> fetchAll() {
    Map<Long, CapturedMessage> byId = new LinkedHashMap<>();
    int offset = 0;
    int[] total = {0};
    do {
      List<CapturedMessage> page = fetchPage(offset, PAGE, total);
      for (CapturedMessage m : page) {
        byId.putIfAbsent(m.id(), m);
      }
      if (page.isEmpty()) {
        break;
      }
      offset += PAGE;
    } while (offset < total[0]);
    if (namespace == null) {
      cache.keySet().retainAll(byId.keySet());
    } else {
      cache.values().removeIf(m -> cachedForThisNamespace(m) && !byId.containsKey(m.id()));
    }
    return new ArrayList<>(byId.values());
  }

  // keeps the shared cache small: a view forgets what its own listing no longer shows
  private boolean cachedForThisNamespace(CapturedMessage m) {
    return m.namespace().filter(namespace::equals).isPresent();
  }

  private List<CapturedMessage> fetchPage(int offset, int limit, int[] total) {
    HttpResponse<String> r =
        client.getString(scoped("api/v1/messages?limit=" + limit + "&offset=" + offset));
    MailsinkClient.expectSuccess(r, "GET /api/v1/messages");
    JsonNode list = MailsinkClient.parse(r.body(), "GET /api/v1/messages");
    if (total != null) {
      total[0] = list.path("total").asInt();
    }
    List<CapturedMessage> page = new ArrayList<>();
    for (JsonNode summary : list.path("messages")) {
      CapturedMessage m = toMessage(summary);
      if (m != null) {
        page.add(m);
      }
    }
    return page;
  }

  /**
   * Builds the message of a summary (or full) JSON object, fetching its bytes unless cached; {@code
   * null} when it was deleted in between.
   */
  CapturedMessage toMessage(JsonNode json) {
    long id = json.path("id").asLong();
    CapturedMessage cached = cache.get(id);
    if (cached != null) {
      return cached;
    }
    HttpResponse<byte[]> raw =
        client.send(
            client.request("api/v1/messages/" + id + "/raw").GET(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (raw.statusCode() == 404) {
      return null;
    }
    if (raw.statusCode() != 200) {
      throw new MailsinkException(
          "GET /api/v1/messages/" + id + "/raw answered " + raw.statusCode());
    }
    CapturedMessage m =
        CapturedMessage.of(
            id,
            Instant.parse(json.path("receivedAt").asText()),
            envelope(json.path("envelope")),
            raw.body(),
            history,
            json.path("namespace").isTextual() ? json.path("namespace").asText() : null);
    cache.put(id, m);
    return m;
  }

  static Envelope envelope(JsonNode e) {
    try {
      return MailsinkClient.JSON.treeToValue(e, EnvelopeJson.class).toEnvelope();
    } catch (JsonProcessingException | IllegalArgumentException ex) {
      throw new MailsinkException("The server sent an envelope this client cannot read: " + e, ex);
    }
  }

  void forget(long id) {
    cache.remove(id);
  }

  @Override
  public String toString() {
    return "Mailbox{remote="
        + client.baseUri()
        + (namespace == null ? "" : ", namespace=" + namespace)
        + "}";
  }
}
