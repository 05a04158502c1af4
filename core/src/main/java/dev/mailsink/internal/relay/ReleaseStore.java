package dev.mailsink.internal.relay;

import dev.mailsink.CapturedMessage;
import dev.mailsink.MailsinkAssertionError;
import dev.mailsink.MailsinkException;
import dev.mailsink.relay.RelayAttempt;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseLog;
import dev.mailsink.spi.AwaitFailure;
import dev.mailsink.spi.NamespaceMailbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/** The releases of one server: every change goes through here, under one lock. */
public final class ReleaseStore implements ReleaseLog {
  private static final System.Logger LOG = System.getLogger(ReleaseStore.class.getName());

  private final int retained;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Consumer<Release>> listeners = new CopyOnWriteArrayList<>();

  // guarded by lock
  private final Map<Long, ReleaseRecord> byId = new LinkedHashMap<>();
  private final Map<Long, List<ReleaseRecord>> byMessage = new HashMap<>();
  private long nextId = 1;
  private int doneCount;

  /** Creates an empty log that keeps {@link ReleaseLog#RETAINED_RELEASES} done releases. */
  public ReleaseStore() {
    this(RETAINED_RELEASES);
  }

  ReleaseStore(int retained) {
    this.retained = retained;
  }

  /**
   * Tells {@code listener} of every change of a release (requested, attempted, done), on the thread
   * that made it; keep it quick.
   *
   * @return what unsubscribes it
   */
  public Runnable onChange(Consumer<Release> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  ReleaseRecord create(CapturedMessage message, List<String> recipients, String trigger) {
    ReleaseRecord r;
    lock.lock();
    try {
      r = new ReleaseRecord(nextId++, message, recipients, trigger);
      byId.put(r.id, r);
      byMessage.computeIfAbsent(r.messageId, k -> new ArrayList<>()).add(r);
    } finally {
      lock.unlock();
    }
    changed(r);
    return r;
  }

  /** The message and recipients still to try, or null when the release is done. */
  record Work(CapturedMessage message, List<String> recipients, int attemptNumber) {}

  Work work(ReleaseRecord r) {
    lock.lock();
    try {
      if (r.status != Release.Status.PENDING) {
        return null;
      }
      return new Work(r.message, r.remaining, r.attempts.size() + 1);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records an attempt; the recipients it delivered to or that were refused for good are done.
   *
   * @param retryAt when to try the others again, or null to give up on them
   * @return whether the release stays pending
   */
  boolean attempted(ReleaseRecord r, RelayAttempt attempt, List<String> retry, Instant retryAt) {
    Release snapshot;
    boolean pending;
    lock.lock();
    try {
      if (r.status != Release.Status.PENDING) {
        // abandoned while the attempt ran (the sink closed)
        return false;
      }
      r.attempts.add(attempt);
      pending = !retry.isEmpty() && retryAt != null;
      if (pending) {
        r.remaining = List.copyOf(retry);
        r.nextAttemptAt = retryAt;
        r.detail = "retrying " + retry + " at " + retryAt + " after: " + attempt.reply();
      } else {
        finish(r, attempt.reply());
      }
      snapshot = r.snapshot();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    notify(snapshot);
    if (!pending) {
      r.done.complete(snapshot);
    }
    return pending;
  }

  /** Ends a release that will not be attempted (again), e.g. because the sink closes. */
  void abandon(ReleaseRecord r, String why) {
    Release snapshot;
    lock.lock();
    try {
      if (r.status != Release.Status.PENDING) {
        return;
      }
      finish(r, why);
      snapshot = r.snapshot();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    notify(snapshot);
    r.done.complete(snapshot);
  }

  private void finish(ReleaseRecord r, String reason) {
    List<String> delivered = r.snapshot().deliveredTo();
    if (delivered.size() == r.recipients.size()) {
      r.status = Release.Status.DELIVERED;
      r.detail = "delivered";
    } else if (!delivered.isEmpty()) {
      r.status = Release.Status.PARTIALLY_DELIVERED;
      r.detail = "delivered to " + delivered + " only: " + reason;
    } else {
      r.status = Release.Status.FAILED;
      r.detail = "not delivered: " + reason;
    }
    r.message = null;
    r.remaining = List.of();
    r.nextAttemptAt = null;
    doneCount++;
    Iterator<ReleaseRecord> it = byId.values().iterator();
    while (doneCount > retained && it.hasNext()) {
      ReleaseRecord old = it.next();
      if (old.status != Release.Status.PENDING) {
        it.remove();
        doneCount--;
        List<ReleaseRecord> ofMessage = byMessage.get(old.messageId);
        if (ofMessage != null) {
          ofMessage.remove(old);
          if (ofMessage.isEmpty()) {
            byMessage.remove(old.messageId);
          }
        }
      }
    }
  }

  private void changed(ReleaseRecord r) {
    Release snapshot;
    lock.lock();
    try {
      snapshot = r.snapshot();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    notify(snapshot);
  }

  private void notify(Release snapshot) {
    for (Consumer<Release> l : listeners) {
      try {
        l.accept(snapshot);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Release listener " + l + " failed", e);
      }
    }
  }

  @Override
  public List<Release> releases() {
    return releases(null);
  }

  private List<Release> releases(String namespace) {
    lock.lock();
    try {
      List<Release> out = new ArrayList<>();
      for (ReleaseRecord r : byId.values()) {
        if (r.isIn(namespace)) {
          out.add(r.snapshot());
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Release> forMessage(long messageId) {
    return forMessage(messageId, null);
  }

  private List<Release> forMessage(long messageId, String namespace) {
    lock.lock();
    try {
      List<ReleaseRecord> list = byMessage.get(messageId);
      if (list == null) {
        return List.of();
      }
      List<Release> out = new ArrayList<>(list.size());
      for (ReleaseRecord r : list) {
        if (r.isIn(namespace)) {
          out.add(r.snapshot());
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Release> findById(long id) {
    return findById(id, null);
  }

  private Optional<Release> findById(long id, String namespace) {
    lock.lock();
    try {
      ReleaseRecord r = get(id, namespace);
      return r == null ? Optional.empty() : Optional.of(r.snapshot());
    } finally {
      lock.unlock();
    }
  }

  // called with the lock held
  private ReleaseRecord get(long id, String namespace) {
    ReleaseRecord r = byId.get(id);
    return r != null && r.isIn(namespace) ? r : null;
  }

  @Override
  public Release awaitDone(long id, Duration timeout) {
    return awaitDone(id, null, timeout);
  }

  private Release awaitDone(long id, String namespace, Duration timeout) {
    AwaitFailure.checkArguments(0, timeout);
    long deadline = AwaitFailure.deadline(timeout);
    lock.lock();
    try {
      while (true) {
        ReleaseRecord r = get(id, namespace);
        if (r == null) {
          throw new NoSuchElementException(
              "No release with id " + id + (namespace == null ? "" : " in namespace " + namespace));
        }
        if (r.status != Release.Status.PENDING) {
          return r.snapshot();
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new MailsinkAssertionError(
              "Expected release #"
                  + id
                  + " to be done within "
                  + timeout
                  + " but it is "
                  + r.snapshot().summary());
        }
        changed.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailsinkException(
          "Interrupted while waiting for release #" + id + "; the interrupt flag is set", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ReleaseLog namespace(String name) {
    return new Namespace(NamespaceMailbox.checkName(name));
  }

  /**
   * Completes with the release once it is done (at once if it is); null when no release has this id
   * in {@code namespace} (lower case; null for any namespace or none).
   */
  public CompletableFuture<Release> whenDone(long id, String namespace) {
    lock.lock();
    try {
      ReleaseRecord r = get(id, namespace);
      if (r == null) {
        return null;
      }
      if (r.status != Release.Status.PENDING) {
        return CompletableFuture.completedFuture(r.snapshot());
      }
      return r.done.copy();
    } finally {
      lock.unlock();
    }
  }

  /** The releases of one namespace: the store's, filtered by their messages' namespace. */
  private final class Namespace implements ReleaseLog {
    private final String name;

    Namespace(String name) {
      this.name = name;
    }

    @Override
    public List<Release> releases() {
      return ReleaseStore.this.releases(name);
    }

    @Override
    public List<Release> forMessage(long messageId) {
      return ReleaseStore.this.forMessage(messageId, name);
    }

    @Override
    public Optional<Release> findById(long id) {
      return ReleaseStore.this.findById(id, name);
    }

    @Override
    public Release awaitDone(long id, Duration timeout) {
      return ReleaseStore.this.awaitDone(id, name, timeout);
    }

    @Override
    public ReleaseLog namespace(String other) {
      return ReleaseStore.this.namespace(other);
    }

    @Override
    public String toString() {
      return "ReleaseLog{namespace=" + name + "}";
    }
  }

  /** How many releases are pending now. */
  public int pendingCount() {
    lock.lock();
    try {
      return byId.size() - doneCount;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "ReleaseLog{" + releases().size() + " releases}";
  }
}
