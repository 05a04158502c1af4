package dev.mailsink.internal.session;

import dev.mailsink.MailsinkException;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import dev.mailsink.spi.AwaitFailure;
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
      version.incrementAndGet();
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

  /** Counts the starts, ends and clears so far; see {@link #changedAfter(long)}. */
  public long version() {
    return version.get();
  }

  /**
   * Completes with the new version as soon as the log has changed (a session started or ended, or
   * the log was cleared) after {@code version}; at once if it has already.
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

  /** Every retained record, in the order the sessions started. */
  private List<SessionRecord> records() {
    List<SessionRecord> all;
    lock.lock();
    try {
      all = new ArrayList<>(ended.values());
    } finally {
      lock.unlock();
    }
    // a session that ends meanwhile moves from open to ended under the lock: it is listed at
    // most once, and one missed here is seen after the version change that follows its move
    all.addAll(open.values());
    all.sort(Comparator.comparingLong(SessionRecord::sequence));
    return all;
  }

  @Override
  public List<Transcript> sessions() {
    List<Transcript> out = new ArrayList<>();
    for (SessionRecord r : records()) {
      out.add(r.snapshot());
    }
    return out;
  }

  @Override
  public List<Transcript> find(Predicate<? super Transcript> filter) {
    Objects.requireNonNull(filter, "filter");
    List<Transcript> out = new ArrayList<>();
    for (SessionRecord r : records()) {
      Transcript t = r.snapshot();
      if (filter.test(t)) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public Optional<Transcript> findById(String id) {
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
    return r == null ? Optional.empty() : Optional.of(r.snapshot());
  }

  @Override
  public List<Transcript> await(Predicate<? super Transcript> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    AwaitFailure.checkArguments(count, timeout);
    long deadline = AwaitFailure.deadline(timeout);
    while (true) {
      long seen = version.get();
      List<Transcript> all = sessions();
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
            throw AwaitFailure.sessionsTimedOut(count, timeout, matching, all);
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
    List<CompletableFuture<Long>> due;
    int removed = 0;
    lock.lock();
    try {
      removed = ended.size();
      ended.clear();
      endedBytes = 0;
      version.incrementAndGet();
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
