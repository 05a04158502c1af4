package dev.mailsink.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailsink;
import dev.mailsink.testing.ParallelRun;
import dev.mailsink.testing.TestMail;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Classes annotated {@code @MailsinkTest} running at once under JUnit's parallel execution, with
 * every test method allowed to run concurrently: each class gets its own server, and the methods of
 * one class take turns on it.
 */
@Timeout(60)
class ParallelExecutionTest {
  static final Map<String, Set<Mailsink>> sinksByClass = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> runningByClass = new ConcurrentHashMap<>();
  static final Map<String, Integer> mostAtOnceByClass = new ConcurrentHashMap<>();
  static volatile CyclicBarrier allClassesStarted;

  abstract static class Fixture {
    @BeforeAll
    static void waitForTheOtherClasses(Mailsink sink)
        throws InterruptedException, BrokenBarrierException, TimeoutException {
      // Proves that the classes really run at once: each waits here until all three arrived.
      allClassesStarted.await(20, TimeUnit.SECONDS);
    }

    void sendAndExpectOnlyMine(Mailsink sink, TestInfo test) throws Exception {
      sinksByClass.computeIfAbsent(rootName(), k -> ConcurrentHashMap.newKeySet()).add(sink);
      AtomicInteger running = runningByClass.computeIfAbsent(rootName(), k -> new AtomicInteger());
      mostAtOnceByClass.merge(rootName(), running.incrementAndGet(), Math::max);
      try {
        String subject = rootName() + " " + test.getDisplayName();
        TestMail.send(
            sink.smtpHost(),
            sink.smtpPort(),
            "shop@example.com",
            "alice@example.com",
            subject,
            "text");
        MailsinkAssertions.assertThat(sink).receivedExactly(1).withSubject(subject);
      } finally {
        running.decrementAndGet();
      }
    }

    String rootName() {
      Class<?> c = getClass();
      while (c.getEnclosingClass() != null
          && c.getEnclosingClass() != ParallelExecutionTest.class) {
        c = c.getEnclosingClass();
      }
      return c.getSimpleName();
    }
  }

  @MailsinkTest
  static class A extends Fixture {
    @Test
    void one(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }

    @Test
    void two(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }

    @Test
    void three(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }

    @Nested
    class Inner {
      @Test
      void four(Mailsink sink, TestInfo test) throws Exception {
        A.this.sendAndExpectOnlyMine(sink, test);
      }
    }
  }

  @MailsinkTest
  static class B extends Fixture {
    @Test
    void one(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }

    @Test
    void two(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }

    @Test
    void three(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }
  }

  @MailsinkTest
  static class C extends Fixture {
    @Test
    void one(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }

    @Test
    void two(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }

    @Test
    void three(Mailsink sink, TestInfo test) throws Exception {
      sendAndExpectOnlyMine(sink, test);
    }
  }

  @Test
  void classesRunningAtOnceEachGetTheirOwnServerAndTheirMethodsTakeTurns() {
    allClassesStarted = new CyclicBarrier(3);
    sinksByClass.clear();
    mostAtOnceByClass.clear();

    ParallelRun.onThreads(4).assertAllSucceeded(10, A.class, B.class, C.class);

    assertThat(sinksByClass).containsOnlyKeys("A", "B", "C");
    assertThat(sinksByClass.values()).allSatisfy(sinks -> assertThat(sinks).hasSize(1));
    assertThat(sinksByClass.values().stream().flatMap(Set::stream).distinct().count()).isEqualTo(3);
    assertThat(mostAtOnceByClass)
        .containsOnly(Map.entry("A", 1), Map.entry("B", 1), Map.entry("C", 1));
  }
}
