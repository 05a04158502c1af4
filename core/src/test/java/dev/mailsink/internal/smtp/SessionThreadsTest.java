package dev.mailsink.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs in the build's Java 17 tests and again on Java 25 (profile java25-tests in core's pom). */
@Timeout(30)
class SessionThreadsTest {

  @Test
  void sessionsRunOnVirtualThreadsFromJava21AndOnDaemonPlatformThreadsBefore() throws Exception {
    ExecutorService executor = SessionThreads.newExecutor("mailsink-smtp-");
    try {
      Thread session = executor.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
      boolean virtual =
          Runtime.version().feature() >= 21
              && (boolean) Thread.class.getMethod("isVirtual").invoke(session);
      assertThat(virtual).isEqualTo(Runtime.version().feature() >= 21);
      assertThat(SessionThreads.areVirtual()).isEqualTo(virtual);
      assertThat(session.getName()).startsWith("mailsink-smtp-");
      assertThat(session.isDaemon()).isTrue();
    } finally {
      executor.shutdownNow();
    }
  }
}
