package dev.mailsink.internal.smtp;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the idle timeout of the SMTP sessions of one server: a daemon thread that looks at the
 * open sessions a few times per timeout and ends each read that has waited too long (see {@link
 * SessionSocket}). A read times out after between one and about 1.1 idle timeouts.
 */
final class IdleWatch implements AutoCloseable {
  private final ScheduledExecutorService thread;

  IdleWatch(SessionRegistry sessions, Duration idleTimeout, String name) {
    long period = Math.max(5, Math.min(1_000, idleTimeout.toMillis() / 10));
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        () -> sessions.expireIdleReads(System.nanoTime()), period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
