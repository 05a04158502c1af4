package dev.mailsink.internal.smtp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Every wait a session makes on purpose (fault delays, stalls, a slow link) waits on this, so that
 * closing the server releases them at once instead of leaving SubEthaSMTP's stop waiting for them.
 */
final class Shutdown {
  private final CountDownLatch closing = new CountDownLatch(1);

  void begin() {
    closing.countDown();
  }

  boolean isClosing() {
    return closing.getCount() == 0;
  }

  void pause(Duration duration) throws IOException {
    pauseNanos(duration.toNanos());
  }

  /** Waits; throws when the server closes meanwhile, which ends the session. */
  void pauseNanos(long nanos) throws IOException {
    if (nanos <= 0) {
      return;
    }
    try {
      if (closing.await(nanos, TimeUnit.NANOSECONDS)) {
        throw new IOException("server closing");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pausing");
    }
  }
}
