package dev.mailsink.internal.session;

import dev.mailsink.MailsinkException;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import dev.mailsink.spi.AwaitFailure;
import dev.mailsink.spi.NamespaceMailbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The session log of a running sink: every session from its start, bounded by count and bytes.
 * Sessions still open are never evicted (there are at most as many as the connection limit, each
 * bounded by its own entry limit); of the ended ones the oldest go first.
 *
 * <p>Starting a session takes no lock (open sessions sit in a concurrent map); ending one takes the
 * lock once, to move it into the ordered log of ended sessions and evict. Transcript entries never
 * touch the store. Waiters are woken only when there are any.
 */
public final class SessionStore implements SessionLog {

  private final int retainedSessions;
  private final long retainedBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, SessionRecord> open = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong version = new AtomicLong();
  // threads in await() and pending changedAfter() futures: wake-ups cost only when there are any
  private final AtomicInteger waiting = new AtomicInteger();

  // guarded by lock; in the order they ended
  private final Map<String, SessionRecord> ended = new LinkedHashMap<>();
  private long endedBytes;
  private long evicted;
  private long lastClear;
  private final List<CompletableFuture<Long>> watchers = new ArrayList<>();

  /**
   * Creates an empty log.
   *
   * @param retainedSessions how many sessions to keep before evicting the oldest ended ones
   * @param retainedBytes how many bytes of ended transcripts to keep before evicting the oldest
   */
  public SessionStore(int retainedSessions, long retainedBytes) {
    if (retainedSessions <= 0 || retainedBytes <= 0) {
      throw new IllegalArgumentException(
          "session retention limits must be > 0, were "
              + retainedSessions
              + " sessions / "
              + retainedBytes
              + " bytes");
    }
    this.retainedSessions = retainedSessions;
    this.retainedBytes = retainedBytes;
  }

  /** Starts recording a session. */
  public SessionRecord open(String id, String clientAddress, int clientPort, int serverPort) {
    SessionRecord r =
        new SessionRecord(
            this, id, sequence.incrementAndGet(), clientAddress, clientPort, serverPort);
    open.put(id, r);
    version.incrementAndGet();
    if (waiting.get() > 0) {
      wake();
    }
    return r;
  }

  void ended(SessionRecord r) {
    List<CompletableFuture<Long>> due;
    lock.lock();
    try {
      if (open.remove(r.id(), r)) {
        ended.put(r.id(), r);
        endedBytes += r.bytes();
        evict();
      }
      r.stamp(version.incrementAndGet());
      due = signal();
    } finally {
      lock.unlock();
    }
    complete(due);
  }

  private void wake() {
    List<CompletableFuture<Long>> due;
    lock.lock();
    try {
      due = signal();
    } finally {
      lock.unlock();
    }
    complete(due);
  }

  /**
   * Wakes waiters after a change; called with the lock held.
   *
   * @return the watchers to complete once the lock is released (their callbacks must not run under
   *     it), or null
   */
  private List<CompletableFuture<Long>> signal() {
    changed.signalAll();
    if (watchers.isEmpty()) {
      return null;
    }
    List<CompletableFuture<Long>> due = new ArrayList<>(watchers);
    waiting.addAndGet(-due.size());
    watchers.clear();
    return due;
  }

  private void complete(List<CompletableFuture<Long>> due) {
    if (due != null) {
      long now = version();
      due.forEach(f -> f.complete(now));
    }
  }

  /**
   * Counts the starts, ends, clears and namespace joins so far; see {@link #changedAfter(long)}.
   */
  public long version() {
    return version.get();
  }

  /**
   * Completes with the new version as soon as the log has changed (a session started, ended or
   * joined a namespace, or the log was cleared) after {@code version}; at once if it has already.
   */
  public CompletableFuture<Long> changedAfter(long version) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    lock.lock();
    try {
      // counted before the check: a change after it sees the count and wakes us
      waiting.incrementAndGet();
      watchers.add(f);
    } finally {
      lock.unlock();
    }
    if (this.version.get() > version) {
      wake();
    }
    return f;
  }

  /**
   * Tells the log that the session {@code sessionId} stored the message {@code messageId} in {@code
   * namespace} (lower case, or null for none): the message is recorded as delivered and from then
   * on the session is in that namespace's view. Called on the storing thread before the client is
   * answered, so a reader told of the message finds the session in its namespace, listing it.
   */
  public void stored(String sessionId, long messageId, String namespace) {
    SessionRecord r = open.get(sessionId);
    if (r == null) {
      return;
    }
    r.delivered(messageId);
    if (namespace == null || !r.joined(namespace)) {
      return;
    }
    List<CompletableFuture<Long>> due;
    lock.lock();
    try {
      r.stamp(version.incrementAndGet());
      due = signal();
    } finally {
      lock.unlock();
    }
    complete(due);
  }

  /**
   * As {@link #changedAfter(long)} for the sessions of one namespace: completes once one of them
   * joined it or ended, or the log was cleared, after {@code version}; sessions of other namespaces
   * and of none do not complete it. Cancel the future to stop watching.
   *
   * @param namespace the namespace's name in lower case, or null for the whole log
   */
  public CompletableFuture<Long> changedAfter(long version, String namespace) {
    if (namespace == null) {
      return changedAfter(version);
    }
    CompletableFuture<Long> result = new CompletableFuture<>();
    watch(version, namespace, result);
    return result;
  }

  private void watch(long after, String namespace, CompletableFuture<Long> result) {
    // a loop, not a callback per change, while changes come faster than we register
    while (!result.isDone()) {
      long now;
      CompletableFuture<Long> next = null;
      lock.lock();
      try {
        now = version.get();
        if (!changedSince(after, namespace)) {
          next = new CompletableFuture<>();
          waiting.incrementAndGet();
          watchers.add(next);
        }
      } finally {
        lock.unlock();
      }
      if (next == null) {
        result.complete(now);
        return;
      }
      if (version.get() > now) {
        // a session started (that takes no lock) since: look again
        wake();
      }
      if (!next.isDone()) {
        next.whenComplete((v, e) -> watch(after, namespace, result));
        return;
      }
    }
  }

  // called with the lock held
  private boolean changedSince(long after, String namespace) {
    if (lastClear > after) {
      return true;
    }
    for (SessionRecord r : ended.values()) {
      if (r.stamp() > after && r.isIn(namespace)) {
        return true;
      }
    }
    for (SessionRecord r : open.values()) {
      if (r.stamp() > after && r.isIn(namespace)) {
        return true;
      }
    }
    return false;
  }

  private void evict() {
    Iterator<SessionRecord> it = ended.values().iterator();
    while ((ended.size() + open.size() > retainedSessions || endedBytes > retainedBytes)
        && it.hasNext()) {
      SessionRecord r = it.next();
      it.remove();
      endedBytes -= r.bytes();
      evicted++;
    }
  }

  /** The retained records in {@code namespace} (all for null), in the order they started. */
  private List<SessionRecord> records(String namespace) {
    List<SessionRecord> all = new ArrayList<>();
    lock.lock();
    try {
      for (SessionRecord r : ended.values()) {
        if (r.isIn(namespace)) {
          all.add(r);
        }
      }
    } finally {
      lock.unlock();
    }
    // a session that ends meanwhile moves from open to ended under the lock: it is listed at
    // most once, and one missed here is seen after the version change that follows its move
    for (SessionRecord r : open.values()) {
      if (r.isIn(namespace)) {
        all.add(r);
      }
    }
    all.sort(Comparator.comparingLong(SessionRecord::sequence));
    return all;
  }

  @Override
  public List<Transcript> sessions() {
    return sessions(null);
  }

  private List<Transcript> sessions(String namespace) {
    List<Transcript> out = new ArrayList<>();
    for (SessionRecord r : records(namespace)) {
      out.add(r.snapshot());
    }
    return out;
  }

  @Override
  public List<Transcript> find(Predicate<? super Transcript> filter) {
    return find(null, filter);
  }

  private List<Transcript> find(String namespace, Predicate<? super Transcript> filter) {
    Objects.requireNonNull(filter, "filter");
    List<Transcript> out = new ArrayList<>();
    for (SessionRecord r : records(namespace)) {
      Transcript t = r.snapshot();
      if (filter.test(t)) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public Optional<Transcript> findById(String id) {
    return findById(id, null);
  }

  private Optional<Transcript> findById(String id, String namespace) {
    Objects.requireNonNull(id, "id");
    SessionRecord r = open.get(id);
    if (r == null) {
      lock.lock();
      try {
        r = ended.get(id);
      } finally {
        lock.unlock();
      }
    }
    return r == null || !r.isIn(namespace) ? Optional.empty() : Optional.of(r.snapshot());
  }

  @Override
  public List<Transcript> await(Predicate<? super Transcript> filter, int count, Duration timeout) {
    return await(null, filter, count, timeout);
  }

  private List<Transcript> await(
      String namespace, Predicate<? super Transcript> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    AwaitFailure.checkArguments(count, timeout);
    long deadline = AwaitFailure.deadline(timeout);
    while (true) {
      long seen = version.get();
      List<Transcript> all = sessions(namespace);
      List<Transcript> matching = new ArrayList<>();
      for (Transcript t : all) {
        if (filter.test(t)) {
          matching.add(t);
        }
      }
      if (matching.size() >= count) {
        return matching;
      }
      lock.lock();
      // counted before the check: a session that starts after it sees the count and wakes us
      waiting.incrementAndGet();
      try {
        while (version.get() == seen) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            throw AwaitFailure.sessionsTimedOut(
                namespace == null ? null : "in namespace " + namespace,
                count,
                timeout,
                matching,
                all);
          }
          changed.awaitNanos(remaining);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MailsinkException(
            "Interrupted while waiting for " + count + " session(s); the interrupt flag is set", e);
      } finally {
        waiting.decrementAndGet();
        lock.unlock();
      }
    }
  }

  @Override
  public int clear() {
    return clear(null);
  }

  private int clear(String namespace) {
    List<CompletableFuture<Long>> due;
    int removed = 0;
    lock.lock();
    try {
      if (namespace == null) {
        removed = ended.size();
        ended.clear();
        endedBytes = 0;
      } else {
        for (Iterator<SessionRecord> it = ended.values().iterator(); it.hasNext(); ) {
          SessionRecord r = it.next();
          if (r.isIn(namespace)) {
            it.remove();
            endedBytes -= r.bytes();
            removed++;
          }
        }
      }
      lastClear = version.incrementAndGet();
      due = signal();
    } finally {
      lock.unlock();
    }
    complete(due);
    return removed;
  }

  @Override
  public long evictedCount() {
    lock.lock();
    try {
      return evicted;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public SessionLog namespace(String name) {
    return new Namespace(NamespaceMailbox.checkName(name));
  }

  /** The sessions of one namespace: the log's, filtered by the namespaces they stored mail in. */
  private final class Namespace implements SessionLog {
    private final String name;

    Namespace(String name) {
      this.name = name;
    }

    @Override
    public List<Transcript> sessions() {
      return SessionStore.this.sessions(name);
    }

    @Override
    public List<Transcript> find(Predicate<? super Transcript> filter) {
      return SessionStore.this.find(name, filter);
    }

    @Override
    public Optional<Transcript> findById(String id) {
      return SessionStore.this.findById(id, name);
    }

    @Override
    public List<Transcript> await(
        Predicate<? super Transcript> filter, int count, Duration timeout) {
      return SessionStore.this.await(name, filter, count, timeout);
    }

    @Override
    public int clear() {
      return SessionStore.this.clear(name);
    }

    @Override
    public long evictedCount() {
      return SessionStore.this.evictedCount();
    }

    @Override
    public SessionLog namespace(String other) {
      return SessionStore.this.namespace(other);
    }

    @Override
    public String toString() {
      return "SessionLog{namespace=" + name + "}";
    }
  }

  /** How many sessions are retained, open and ended. */
  public int count() {
    lock.lock();
    try {
      return ended.size() + open.size();
    } finally {
      lock.unlock();
    }
  }

  /** The estimated size of the retained ended transcripts, in bytes. */
  public long totalBytes() {
    lock.lock();
    try {
      return endedBytes;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "SessionLog{" + count() + " sessions, " + totalBytes() + " bytes}";
  }
}
