package dev.mailsink.internal.session;

import dev.mailsink.MailsinkException;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import dev.mailsink.spi.AwaitFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The session log of a running sink: every session from its start, bounded by count and bytes.
 * Sessions still open are never evicted (there are at most as many as the connection limit, each
 * bounded by its own entry limit); of the ended ones the oldest go first.
 *
 * <p>The lock is taken twice per session (start and end), never per transcript entry.
 */
public final class SessionStore implements SessionLog {
  private static final System.Logger LOG = System.getLogger(SessionStore.class.getName());

  private final int retainedSessions;
  private final long retainedBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Consumer<Transcript>> endListeners = new CopyOnWriteArrayList<>();

  // guarded by lock
  private final Map<String, SessionRecord> byId = new LinkedHashMap<>();
  private long sequence;
  private long endedBytes;
  private long evicted;
  private long version;
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
    List<CompletableFuture<Long>> due;
    SessionRecord r;
    lock.lock();
    try {
      r = new SessionRecord(this, id, ++sequence, clientAddress, clientPort, serverPort);
      SessionRecord previous = byId.put(id, r);
      if (previous != null) {
        // ids are unique per server; a clash means a reused id: keep the newer record
        endedBytes -= previous.isEnded() ? previous.bytes() : 0;
      }
      evict();
      due = bump();
    } finally {
      lock.unlock();
    }
    complete(due);
    return r;
  }

  void ended(SessionRecord r) {
    List<CompletableFuture<Long>> due;
    lock.lock();
    try {
      if (byId.get(r.id()) == r) {
        endedBytes += r.bytes();
        evict();
      }
      due = bump();
    } finally {
      lock.unlock();
    }
    complete(due);
    if (!endListeners.isEmpty()) {
      Transcript t = r.snapshot();
      for (Consumer<Transcript> l : endListeners) {
        try {
          l.accept(t);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "Session listener " + l + " failed", e);
        }
      }
    }
  }

  /** Tells {@code listener} of each session that ends, on the session's thread; keep it quick. */
  public Runnable onEnd(Consumer<Transcript> listener) {
    Objects.requireNonNull(listener, "listener");
    endListeners.add(listener);
    return () -> endListeners.remove(listener);
  }

  /**
   * Counts a change and wakes waiters; called with the lock held.
   *
   * @return the watchers to complete once the lock is released (their callbacks must not run under
   *     it), or null
   */
  private List<CompletableFuture<Long>> bump() {
    version++;
    changed.signalAll();
    if (watchers.isEmpty()) {
      return null;
    }
    List<CompletableFuture<Long>> due = new ArrayList<>(watchers);
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
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Completes with the new version as soon as the log has changed (a session started or ended, or
   * the log was cleared) after {@code version}; at once if it has already.
   */
  public CompletableFuture<Long> changedAfter(long version) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    lock.lock();
    try {
      if (this.version > version) {
        f.complete(this.version);
      } else {
        watchers.add(f);
      }
    } finally {
      lock.unlock();
    }
    return f;
  }

  private void evict() {
    Iterator<SessionRecord> it = byId.values().iterator();
    while ((byId.size() > retainedSessions || endedBytes > retainedBytes) && it.hasNext()) {
      SessionRecord r = it.next();
      if (r.isEnded()) {
        it.remove();
        endedBytes -= r.bytes();
        evicted++;
      }
    }
  }

  private List<SessionRecord> records() {
    lock.lock();
    try {
      return new ArrayList<>(byId.values());
    } finally {
      lock.unlock();
    }
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
    SessionRecord r;
    lock.lock();
    try {
      r = byId.get(id);
    } finally {
      lock.unlock();
    }
    return r == null ? Optional.empty() : Optional.of(r.snapshot());
  }

  @Override
  public List<Transcript> await(Predicate<? super Transcript> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    AwaitFailure.checkArguments(count, timeout);
    long deadline = AwaitFailure.deadline(timeout);
    while (true) {
      long seen;
      lock.lock();
      try {
        seen = version;
      } finally {
        lock.unlock();
      }
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
      try {
        while (version == seen) {
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
      Iterator<SessionRecord> it = byId.values().iterator();
      while (it.hasNext()) {
        if (it.next().isEnded()) {
          it.remove();
          removed++;
        }
      }
      endedBytes = 0;
      due = bump();
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
      return byId.size();
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
