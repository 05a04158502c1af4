package dev.mailsink.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.testing.ParallelRun;
import dev.mailsink.testing.TestMail;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * 200 test methods run in parallel on one in-process server with {@link
 * MailsinkExtension#namespacePerTest()}: each sends its own mail and asserts an exact count in its
 * own namespace, with no clear() between them.
 */
class NamespacePerTestTest {
  static final Set<String> namespaces = ConcurrentHashMap.newKeySet();
  static final Set<Mailsink> sinks = ConcurrentHashMap.newKeySet();
  static final AtomicInteger sent = new AtomicInteger();
  static volatile CountDownLatch fourAtOnce;
  static volatile int storedAtEnd;

  @Execution(ExecutionMode.CONCURRENT)
  static class TwoHundredTests {
    @RegisterExtension
    static MailsinkExtension mail =
        MailsinkExtension.with(MailsinkConfig.defaults()).namespacePerTest();

    @RepeatedTest(200)
    void sendsAndAssertsItsOwnMail(
        MailsinkNamespace ns, Mailbox mailbox, Mailsink sink, RepetitionInfo repetition)
        throws Exception {
      // proves that tests overlap: the first four wait for each other
      fourAtOnce.countDown();
      assertThat(fourAtOnce.await(30, TimeUnit.SECONDS)).as("four tests at once").isTrue();
      namespaces.add(ns.name());
      sinks.add(sink);
      int n = 1 + repetition.getCurrentRepetition() % 3;
      for (int i = 0; i < n; i++) {
        TestMail.message()
            .from("app@example.com")
            .to(ns.address("user"))
            .subject(ns.name() + " #" + i)
            .text("t")
            .sendTo(sink.smtpHost(), sink.smtpPort());
        sent.incrementAndGet();
      }
      List<CapturedMessage> mine = mailbox.await(n, Duration.ofSeconds(20));
      assertThat(mine).hasSize(n);
      assertThat(mailbox.count()).isEqualTo(n);
      assertThat(mine).allSatisfy(m -> assertThat(m.namespace()).contains(ns.name()));
      assertThat(mine)
          .extracting(CapturedMessage::subject)
          .allSatisfy(s -> assertThat(s).startsWith(ns.name() + " #"));
      MailsinkAssertions.assertThat(mailbox).receivedAtLeast(n).to(ns.address("user"));
    }

    @AfterAll
    static void countTheRoot(Mailsink sink) {
      storedAtEnd = sink.mailbox().count();
    }
  }

  @Test
  void twoHundredParallelTestsOnOneServerEachSeeOnlyTheirOwnMail() {
    fourAtOnce = new CountDownLatch(4);
    namespaces.clear();
    sinks.clear();
    sent.set(0);

    ParallelRun.onThreads(8).assertAllSucceeded(200, TwoHundredTests.class);

    assertThat(sinks).hasSize(1);
    assertThat(namespaces).hasSize(200);
    assertThat(storedAtEnd).isEqualTo(sent.get());
  }
}
