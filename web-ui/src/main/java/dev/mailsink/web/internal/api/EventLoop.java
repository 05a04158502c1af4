package dev.mailsink.web.internal.api;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.internal.relay.ReleaseStore;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that owns the waiting long polls and the event stream's batching. Mailbox listeners
 * run on SMTP session threads before the client is answered, so they only hand the event over to
 * this thread; matching waiters and building event payloads happen here, in arrival order, without
 * locks.
 */
final class EventLoop implements MailboxListener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

  private final ScheduledThreadPoolExecutor executor;
  private final Waiters waiters;
  private final EventStream stream;
  private final Mailbox.Subscription subscription;
  private final Runnable releaseSubscription;
  private volatile boolean closed;

  EventLoop(Mailbox mailbox, ReleaseStore releases) {
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mailsink-web-events");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.waiters = new Waiters(mailbox, this);
    this.stream = new EventStream(mailbox, this);
    this.subscription = mailbox.subscribe(this);
    this.releaseSubscription = releases.onChange(r -> execute(() -> stream.release(r)));
  }

  Waiters waiters() {
    return waiters;
  }

  EventStream stream() {
    return stream;
  }

  /** Runs a task on the loop thread; failures are logged, never fatal to the loop. */
  void execute(Runnable task) {
    if (closed) {
      return;
    }
    try {
      executor.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      // closing: nothing left to tell
    }
  }

  ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    try {
      return executor.schedule(guarded(task), delay, unit);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.WARNING, "Mailsink web event task failed", e);
      }
    };
  }

  @Override
  public void received(CapturedMessage message) {
    execute(
        () -> {
          // Parse the header summary now, off the SMTP thread, so that listing a full mailbox does
          // not parse every message at once. Bodies stay lazy: parsing them all on arrival would
          // spend the ingest path's CPU on mail nobody opens.
          message.subject();
          waiters.received(message);
          stream.received(message);
        });
  }

  @Override
  public void deleted(CapturedMessage message) {
    execute(
        () -> {
          waiters.deleted(message.id());
          stream.deleted(message);
        });
  }

  @Override
  public void cleared() {
    execute(
        () -> {
          waiters.cleared();
          stream.cleared();
        });
  }

  /** Stops listening, answers every waiter with 503, ends every event stream, stops the thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    subscription.close();
    releaseSubscription.run();
    execute(
        () -> {
          waiters.closeAll();
          stream.closeAll();
        });
    closed = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
