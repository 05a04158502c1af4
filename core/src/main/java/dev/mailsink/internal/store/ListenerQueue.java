package dev.mailsink.internal.store;

import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One listener's events, delivered off the thread that made the change (for arrivals, the SMTP
 * session's thread): in order, one at a time, none dropped. The queue is bounded: a change that
 * finds it full waits until the listener has caught up, so memory stays bounded and a listener that
 * cannot keep up slows the changes down instead of losing events. The listener's own thread never
 * waits on its own queue (a listener may change the mailbox).
 */
final class ListenerQueue implements Mailbox.Subscription, Runnable {
  private static final System.Logger LOG = System.getLogger(ListenerQueue.class.getName());

  private final MailboxListener listener;
  private final Executor executor;
  private final int capacity;
  private final Runnable onClose;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();

  // guarded by lock
  private final ArrayDeque<Consumer<MailboxListener>> events = new ArrayDeque<>();
  private boolean scheduled;
  private boolean closed;
  private Thread deliveringThread;

  ListenerQueue(MailboxListener listener, Executor executor, int capacity, Runnable onClose) {
    this.listener = listener;
    this.executor = executor;
    this.capacity = capacity;
    this.onClose = onClose;
  }

  /**
   * Queues an event without waiting (called under the mailbox's lock, so that every listener sees
   * the changes in the order they were made, and none from before it subscribed); ignored once
   * closed. The caller then calls {@link #awaitRoom()} outside the lock.
   */
  void enqueue(Consumer<MailboxListener> event) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      events.add(event);
      if (!scheduled) {
        scheduled = true;
        executor.execute(this);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits while the queue holds more than its capacity (back-pressure). Each changing thread adds
   * at most one event before it waits here, so the queue never exceeds the capacity by more than
   * the number of threads changing the mailbox at once. The listener's own thread never waits.
   */
  void awaitRoom() {
    lock.lock();
    try {
      boolean interrupted = false;
      while (events.size() > capacity && !closed && Thread.currentThread() != deliveringThread) {
        try {
          notFull.await();
        } catch (InterruptedException e) {
          // the event is queued already; the interrupt is kept for the caller
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    while (true) {
      Consumer<MailboxListener> event;
      lock.lock();
      try {
        event = closed ? null : events.poll();
        if (event == null) {
          scheduled = false;
          deliveringThread = null;
          return;
        }
        deliveringThread = Thread.currentThread();
        notFull.signal();
      } finally {
        lock.unlock();
      }
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Mailbox listener " + listener + " failed", e);
      }
    }
  }

  /** Stops delivery: events not yet delivered are dropped, no callback starts after this. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      events.clear();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
    onClose.run();
  }
}
