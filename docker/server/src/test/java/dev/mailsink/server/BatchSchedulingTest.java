package dev.mailsink.server;

import static dev.mailsink.server.ThreadPolicies.SCHED_BATCH;
import static dev.mailsink.server.ThreadPolicies.SCHED_NORMAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BatchScheduling} on this JVM (Java 17 in the build: the {@code chrt} path; the jar on Java
 * 25, the foreign-function path, is {@link RunnableJarTest}'s), checked against the kernel's own
 * record of each thread's policy.
 */
@Timeout(30)
class BatchSchedulingTest {
  private record Outcome(Optional<String> failure, int own, int child) {}

  @Test
  void aThreadUnderBatchSchedulingPassesItToTheThreadsItStartsAndNoOtherThread() throws Exception {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    Thread scheduled =
        new Thread(
            () -> {
              try {
                Optional<String> failure = BatchScheduling.applyToCurrentThread();
                CompletableFuture<Integer> child = new CompletableFuture<>();
                Thread started =
                    new Thread(
                        () -> {
                          try {
                            child.complete(ThreadPolicies.current());
                          } catch (IOException e) {
                            child.completeExceptionally(e);
                          }
                        });
                started.start();
                outcome.complete(
                    new Outcome(
                        failure, ThreadPolicies.current(), child.get(10, TimeUnit.SECONDS)));
              } catch (Exception e) {
                outcome.completeExceptionally(e);
              }
            });
    scheduled.start();

    Outcome result = outcome.get(20, TimeUnit.SECONDS);
    assertThat(result.failure()).isEmpty();
    assertThat(result.own()).isEqualTo(SCHED_BATCH);
    assertThat(result.child()).as("a thread it started").isEqualTo(SCHED_BATCH);
    assertThat(ThreadPolicies.current()).as("the test's own thread").isEqualTo(SCHED_NORMAL);
  }

  @Test
  void theThreadIdIsTheKernelsIdOfTheCallingThread() throws Exception {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"), StandardCharsets.US_ASCII);

    assertThat(BatchScheduling.currentThreadId())
        .isEqualTo(Long.parseLong(stat.substring(0, stat.indexOf(' '))));
  }
}
