package dev.mailsink.internal.store;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.MailsinkException;
import dev.mailsink.NamespaceRule;
import dev.mailsink.spi.AwaitFailure;
import dev.mailsink.spi.InboxStore;
import dev.mailsink.spi.MessageHistory;
import dev.mailsink.spi.NamespaceMailbox;
import dev.mailsink.spi.RecipientMailbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The mailbox of a running sink: messages in memory, bounded by count and by bytes (oldest evicted
 * first), with waits that wake on arrival.
 *
 * <p>Reads are lock-free over a sorted map; writes take one lock so that the byte total, eviction
 * and wake-ups stay consistent. A message is stored, and waiters woken, before {@link #store}
 * returns (so before the SMTP client is answered); listeners hear of it afterwards on their own
 * delivery thread (see {@link ListenerQueue}), so that a slow listener never delays a client.
 */
public final class InMemoryMailbox implements InboxStore {
  /**
   * How many undelivered events one listener may have before changes wait for it: at about 100
   * bytes an event, a few MB at most per hopelessly slow listener.
   */
  static final int LISTENER_QUEUE_CAPACITY = 65_536;

  // shared by every mailbox of the JVM; idle threads end after a minute
  private static final ExecutorService DELIVERY = deliveryThreads();

  private final int retainedMessages;
  private final long retainedBytes;
  private final MessageHistory history;
  private final NamespaceRule namespaceRule;
  private final Consumer<CapturedMessage> onStore;

  private final ConcurrentSkipListMap<Long, CapturedMessage> messages =
      new ConcurrentSkipListMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicLong nextId = new AtomicLong(1);
  private final AtomicLong evicted = new AtomicLong();
  private final List<ListenerQueue> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Set<Long>> hiddenByRecipient = new ConcurrentHashMap<>();

  // guarded by lock
  private int count;
  private long totalBytes;
  private volatile long version;

  /**
   * Creates an empty mailbox.
   *
   * @param retainedMessages how many messages to keep before evicting the oldest
   * @param retainedBytes how many bytes of messages to keep before evicting the oldest
   * @param history what stored messages tell of their session and releases
   */
  public InMemoryMailbox(int retainedMessages, long retainedBytes, MessageHistory history) {
    this(retainedMessages, retainedBytes, history, NamespaceRule.subAddress());
  }

  /**
   * Creates an empty mailbox whose messages get their namespace by {@code namespaceRule}; otherwise
   * as {@link #InMemoryMailbox(int, long, MessageHistory)}.
   */
  public InMemoryMailbox(
      int retainedMessages,
      long retainedBytes,
      MessageHistory history,
      NamespaceRule namespaceRule) {
    this(retainedMessages, retainedBytes, history, namespaceRule, m -> {});
  }

  /**
   * As {@link #InMemoryMailbox(int, long, MessageHistory, NamespaceRule)}, and tells {@code
   * onStore} of every message as it is stored, on the storing thread, before {@link #store} returns
   * (listeners hear of it later, on their own thread); keep it quick.
   */
  public InMemoryMailbox(
      int retainedMessages,
      long retainedBytes,
      MessageHistory history,
      NamespaceRule namespaceRule,
      Consumer<CapturedMessage> onStore) {
    this.onStore = Objects.requireNonNull(onStore, "onStore");
    this.namespaceRule = Objects.requireNonNull(namespaceRule, "namespaceRule");
    if (retainedMessages <= 0 || retainedBytes <= 0) {
      throw new IllegalArgumentException(
          "retention limits must be > 0, were "
              + retainedMessages
              + " messages / "
              + retainedBytes
              + " bytes");
    }
    this.retainedMessages = retainedMessages;
    this.retainedBytes = retainedBytes;
    this.history = Objects.requireNonNull(history, "history");
  }

  /**
   * Stores a message, evicting the oldest ones beyond the limits, wakes waiters and tells
   * listeners. The array is taken over, not copied.
   *
   * @return the stored message with its id and time of arrival
   */
  public CapturedMessage store(Envelope envelope, byte[] raw) {
    List<CapturedMessage> evictedNow = null;
    CapturedMessage message;
    // computed once, before the lock: the header rule parses the headers of a probe
    String namespace =
        namespaceRule.namespaceOf(CapturedMessage.of(0, Instant.now(), envelope, raw)).orElse(null);
    lock.lock();
    try {
      message =
          CapturedMessage.of(
              nextId.getAndIncrement(), Instant.now(), envelope, raw, history, namespace);
      messages.put(message.id(), message);
      count++;
      totalBytes += raw.length;
      while (count > retainedMessages || totalBytes > retainedBytes) {
        Map.Entry<Long, CapturedMessage> oldest = messages.pollFirstEntry();
        if (oldest == null) {
          break;
        }
        count--;
        totalBytes -= oldest.getValue().size();
        evicted.incrementAndGet();
        if (evictedNow == null) {
          evictedNow = new ArrayList<>();
        }
        evictedNow.add(oldest.getValue());
      }
      version++;
      changed.signalAll();
      if (evictedNow != null) {
        for (CapturedMessage gone : evictedNow) {
          enqueueForListeners(l -> l.deleted(gone));
        }
      }
      CapturedMessage stored = message;
      enqueueForListeners(l -> l.received(stored));
    } finally {
      lock.unlock();
    }
    if (evictedNow != null) {
      for (CapturedMessage gone : evictedNow) {
        forgetHidden(gone.id());
      }
    }
    onStore.accept(message);
    awaitListenerRoom();
    return message;
  }

  /** Returns the total size in bytes of the stored messages. */
  public long totalBytes() {
    lock.lock();
    try {
      return totalBytes;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<CapturedMessage> messages(Order order) {
    Objects.requireNonNull(order, "order");
    Collection<CapturedMessage> view =
        order == Order.OLDEST_FIRST ? messages.values() : messages.descendingMap().values();
    return List.copyOf(view);
  }

  @Override
  public List<CapturedMessage> find(Predicate<? super CapturedMessage> filter) {
    Objects.requireNonNull(filter, "filter");
    List<CapturedMessage> result = new ArrayList<>();
    for (CapturedMessage m : messages.values()) {
      if (filter.test(m)) {
        result.add(m);
      }
    }
    return result;
  }

  @Override
  public Optional<CapturedMessage> findById(long id) {
    return Optional.ofNullable(messages.get(id));
  }

  @Override
  public Optional<CapturedMessage> latest() {
    Map.Entry<Long, CapturedMessage> last = messages.lastEntry();
    return last == null ? Optional.empty() : Optional.of(last.getValue());
  }

  @Override
  public int count() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean delete(long id) {
    CapturedMessage removed;
    lock.lock();
    try {
      removed = messages.remove(id);
      if (removed == null) {
        return false;
      }
      count--;
      totalBytes -= removed.size();
      version++;
      changed.signalAll();
      enqueueForListeners(l -> l.deleted(removed));
    } finally {
      lock.unlock();
    }
    forgetHidden(id);
    awaitListenerRoom();
    return true;
  }

  @Override
  public int clear() {
    int removed;
    lock.lock();
    try {
      removed = count;
      messages.clear();
      hiddenByRecipient.clear();
      count = 0;
      totalBytes = 0;
      version++;
      changed.signalAll();
      enqueueForListeners(MailboxListener::cleared);
    } finally {
      lock.unlock();
    }
    awaitListenerRoom();
    return removed;
  }

  @Override
  public List<CapturedMessage> await(int count, Duration timeout) {
    return awaitMatching(m -> true, null, count, timeout);
  }

  @Override
  public List<CapturedMessage> await(
      Predicate<? super CapturedMessage> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    return awaitMatching(filter, "matching the filter", count, timeout);
  }

  @Override
  public List<CapturedMessage> awaitMatching(
      Predicate<? super CapturedMessage> filter, String what, int wanted, Duration timeout) {
    AwaitFailure.checkArguments(wanted, timeout);
    long deadline = AwaitFailure.deadline(timeout);
    while (true) {
      long seen = version;
      List<CapturedMessage> matching = find(filter);
      if (matching.size() >= wanted) {
        return matching;
      }
      lock.lock();
      try {
        while (version == seen) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            throw AwaitFailure.timedOut(what, wanted, timeout, matching, messages());
          }
          changed.awaitNanos(remaining);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MailsinkException(
            "Interrupted while waiting for " + wanted + " message(s); the interrupt flag is set",
            e);
      } finally {
        lock.unlock();
      }
    }
  }

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
    return new NamespaceMailbox(this, name);
  }

  @Override
  public Subscription subscribe(MailboxListener listener) {
    Objects.requireNonNull(listener, "listener");
    ListenerQueue[] queue = new ListenerQueue[1];
    queue[0] =
        new ListenerQueue(
            listener, DELIVERY, LISTENER_QUEUE_CAPACITY, () -> listeners.remove(queue[0]));
    // under the lock: the new listener hears exactly the changes made after this
    lock.lock();
    try {
      listeners.add(queue[0]);
    } finally {
      lock.unlock();
    }
    return queue[0];
  }

  @Override
  public long evictedCount() {
    return evicted.get();
  }

  @Override
  public boolean isHiddenFor(String recipientKey, long id) {
    Set<Long> hidden = hiddenByRecipient.get(recipientKey);
    return hidden != null && hidden.contains(id);
  }

  @Override
  public void hideFor(String recipientKey, long id) {
    hiddenByRecipient.computeIfAbsent(recipientKey, k -> ConcurrentHashMap.newKeySet()).add(id);
    lock.lock();
    try {
      version++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void forgetHidden(long id) {
    if (!hiddenByRecipient.isEmpty()) {
      for (Set<Long> hidden : hiddenByRecipient.values()) {
        hidden.remove(id);
      }
    }
  }

  // under the lock, so that every listener gets the changes in the order they were made
  private void enqueueForListeners(Consumer<MailboxListener> event) {
    for (ListenerQueue l : listeners) {
      l.enqueue(event);
    }
  }

  // outside the lock: a listener that falls too far behind slows the changes down
  private void awaitListenerRoom() {
    for (ListenerQueue l : listeners) {
      l.awaitRoom();
    }
  }

  private static ExecutorService deliveryThreads() {
    AtomicLong counter = new AtomicLong();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "mailsink-listener-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
  }

  @Override
  public String toString() {
    return "InMemoryMailbox{"
        + count()
        + " messages, "
        + totalBytes()
        + " bytes, "
        + evicted.get()
        + " evicted}";
  }
}
