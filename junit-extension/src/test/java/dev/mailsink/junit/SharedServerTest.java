package dev.mailsink.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.testing.ParallelRun;
import dev.mailsink.testing.TestMail;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * One server shared by many test classes for a whole run ({@code @MailsinkTest(shared = true)} or
 * one {@code MailsinkExtension.shared()} constant registered by each class), with a namespace per
 * test: the test methods of all the classes run at once, each sending and asserting its own mail,
 * on the real JUnit engine with parallel execution.
 */
@Timeout(120)
class SharedServerTest {
  static final Set<Mailsink> sinks = ConcurrentHashMap.newKeySet();
  static final Set<String> namespaces = ConcurrentHashMap.newKeySet();
  static final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
  static final AtomicInteger mostAtOnce = new AtomicInteger();
  static final AtomicInteger classesAtOnce = new AtomicInteger();
  static volatile CyclicBarrier allClassesStarted;
  static volatile CountDownLatch someAtOnce;

  static void reset(int classes, int testsAtOnce) {
    sinks.clear();
    namespaces.clear();
    running.clear();
    mostAtOnce.set(0);
    allClassesStarted = new CyclicBarrier(classes);
    someAtOnce = new CountDownLatch(testsAtOnce);
  }

  /** Sends 1-3 messages to the test's own address and asserts exactly those. */
  static void sendAndAssertOwnMail(
      Mailsink sink, MailsinkNamespace ns, Mailbox mailbox, int repetition) throws Exception {
    someAtOnce.countDown();
    assertThat(someAtOnce.await(30, TimeUnit.SECONDS)).as("tests at once").isTrue();
    sinks.add(sink);
    namespaces.add(ns.name());
    int n = 1 + repetition % 3;
    for (int i = 0; i < n; i++) {
      TestMail.message()
          .from("app@example.com")
          .to(ns.address("user"))
          .subject(ns.name() + " #" + i)
          .text("t")
          .sendTo(sink.smtpHost(), sink.smtpPort());
    }
    List<CapturedMessage> mine = mailbox.await(n, Duration.ofSeconds(30));
    assertThat(mine).hasSize(n);
    assertThat(mailbox.count()).isEqualTo(n);
    assertThat(mine)
        .extracting(CapturedMessage::subject)
        .allSatisfy(s -> assertThat(s).startsWith(ns.name() + " #"));
  }

  @MailsinkTest(shared = true, namespacePerTest = true)
  abstract static class AnnotatedFixture {
    @BeforeAll
    static void waitForTheOtherClasses() throws Exception {
      // proves that the classes run at once: each waits here until all of them arrived
      allClassesStarted.await(30, TimeUnit.SECONDS);
    }

    @RepeatedTest(50)
    void sendsAndAssertsItsOwnMail(
        Mailsink sink, MailsinkNamespace ns, Mailbox mailbox, RepetitionInfo repetition)
        throws Exception {
      sendAndAssertOwnMail(sink, ns, mailbox, repetition.getCurrentRepetition());
    }
  }

  static class Signup extends AnnotatedFixture {}

  static class PasswordReset extends AnnotatedFixture {}

  static class Invoice extends AnnotatedFixture {}

  static class Newsletter extends AnnotatedFixture {
    @Nested
    class Unsubscribe {
      @Test
      void usesTheSharedServerToo(Mailsink sink, MailsinkNamespace ns, Mailbox mailbox)
          throws Exception {
        sinks.add(sink);
        TestMail.message()
            .from("app@example.com")
            .to(ns.address("bye"))
            .subject("bye")
            .text("t")
            .sendTo(sink.smtpHost(), sink.smtpPort());
        assertThat(mailbox.await(1, Duration.ofSeconds(30))).hasSize(1);
      }
    }
  }

  @Test
  void twoHundredTestsOfFourClassesRunAtOnceOnTheOneSharedServer() {
    reset(4, 8);

    ParallelRun.onThreads(8)
        .assertAllSucceeded(
            201, Signup.class, PasswordReset.class, Invoice.class, Newsletter.class);

    assertThat(sinks).hasSize(1);
    assertThat(namespaces).hasSize(200);
    Mailsink sink = sinks.iterator().next();
    assertThat(sink.isRunning()).as("closed at the end of the run").isFalse();
  }

  /** The constant that each class registers: one server for all of them. */
  static final class Mail {
    static final MailsinkExtension SHARED =
        MailsinkExtension.with(MailsinkConfig.builder().maxRecipients(7).build())
            .namespacePerTest()
            .shared();
  }

  abstract static class FieldFixture {
    @RegisterExtension static MailsinkExtension mail = Mail.SHARED;

    @RepeatedTest(4)
    void sendsAndAssertsItsOwnMail(
        Mailsink sink, MailsinkNamespace ns, Mailbox mailbox, RepetitionInfo repetition)
        throws Exception {
      assertThat(sink.config().maxRecipients()).isEqualTo(7);
      sendAndAssertOwnMail(sink, ns, mailbox, repetition.getCurrentRepetition());
    }
  }

  static class Orders extends FieldFixture {}

  static class Refunds extends FieldFixture {}

  @Test
  void aSharedConstantRegisteredByTwoClassesGivesThemOneServer() {
    reset(1, 4);

    ParallelRun.onThreads(8).assertAllSucceeded(8, Orders.class, Refunds.class);

    assertThat(sinks).hasSize(1);
    assertThat(namespaces).hasSize(8);
    assertThat(sinks.iterator().next().isRunning()).isFalse();
  }

  @MailsinkTest(shared = true)
  abstract static class TakingTurnsFixture {
    @RepeatedTest(3)
    void seesAnEmptiedMailbox(Mailsink sink) throws Exception {
      sinks.add(sink);
      AtomicInteger now = running.computeIfAbsent("all", k -> new AtomicInteger());
      mostAtOnce.accumulateAndGet(now.incrementAndGet(), Math::max);
      try {
        assertThat(sink.mailbox().count()).isZero();
        TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@example.com", "b@example.com", "x", "x");
        MailsinkAssertions.assertThat(sink).receivedExactly(1);
      } finally {
        now.decrementAndGet();
      }
    }
  }

  static class First extends TakingTurnsFixture {}

  static class Second extends TakingTurnsFixture {}

  @Test
  void withoutNamespacesTheTestsOfTheSharingClassesTakeTurns() {
    reset(1, 0);

    ParallelRun.onThreads(4).assertAllSucceeded(6, First.class, Second.class);

    assertThat(sinks).hasSize(1);
    assertThat(mostAtOnce).hasValue(1);
  }

  @MailsinkTest(namespacePerTest = true)
  static class OwnServerWithNamespaces {
    static final CountDownLatch bothStarted = new CountDownLatch(2);

    @Test
    void first(Mailsink sink, MailsinkNamespace ns) throws InterruptedException {
      sinks.add(sink);
      namespaces.add(ns.name());
      bothStarted.countDown();
      assertThat(bothStarted.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void second(Mailsink sink, MailsinkNamespace ns) throws InterruptedException {
      sinks.add(sink);
      namespaces.add(ns.name());
      bothStarted.countDown();
      assertThat(bothStarted.await(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void namespacePerTestAloneRunsTheMethodsOfOneClassAtOnceOnItsOwnServer() {
    reset(1, 0);

    ParallelRun.onThreads(4).assertAllSucceeded(2, OwnServerWithNamespaces.class);

    assertThat(sinks).hasSize(1);
    assertThat(namespaces).hasSize(2);
  }

  static volatile Mailsink elsewhere;

  static class OnAServerElsewhere {
    @RegisterExtension
    static MailsinkExtension mail =
        MailsinkExtension.namespacesOn(elsewhere.mailbox(), elsewhere.faults());

    @RepeatedTest(4)
    void getsANamespaceOnIt(MailsinkNamespace ns, Mailbox mailbox) throws Exception {
      namespaces.add(ns.name());
      TestMail.send(
          elsewhere.smtpHost(), elsewhere.smtpPort(), "a@example.com", ns.address("b"), "x", "x");
      assertThat(mailbox.await(1, Duration.ofSeconds(30))).hasSize(1);
      assertThat(mailbox.count()).isOne();
    }

    @Test
    void cannotInjectAServerItDoesNotRun(Mailsink sink) {}
  }

  @Test
  void namespacesOnAServerThatRunsElsewhereButNoMailsinkToInject() {
    reset(1, 0);
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      elsewhere = sink;

      EngineExecutionResults results = ParallelRun.onThreads(4).execute(OnAServerElsewhere.class);

      results.testEvents().assertStatistics(s -> s.started(5).succeeded(4).failed(1));
      assertThat(namespaces).hasSize(4);
      assertThat(sink.isRunning()).as("left running: it is not the extension's").isTrue();
      assertThat(sink.mailbox().count()).isEqualTo(4);
    }
    assertThatThrownBy(
            () ->
                MailsinkExtension.namespacesOn(elsewhere.mailbox(), elsewhere.faults())
                    .publishingSystemProperties())
        .isInstanceOf(IllegalStateException.class);
  }
}
