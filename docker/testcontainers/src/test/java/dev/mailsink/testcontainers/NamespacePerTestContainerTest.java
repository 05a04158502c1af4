package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.junit.MailsinkAssertions;
import dev.mailsink.junit.MailsinkExtension;
import dev.mailsink.junit.MailsinkNamespace;
import dev.mailsink.testing.ParallelRun;
import dev.mailsink.testing.TestMail;
import jakarta.mail.SendFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One {@link MailsinkContainer} used by many test classes, each test in a namespace of its own
 * through {@link MailsinkExtension#namespacesOn}: 200 test methods of four classes run at once on
 * the real JUnit engine, each sending to its own address over SMTP and asserting exactly its own
 * mail through the remote mailbox; and a reject rule of one test leaves a concurrent test alone.
 */
@Tag("docker")
@Timeout(300)
class NamespacePerTestContainerTest {
  static final Set<String> namespaces = ConcurrentHashMap.newKeySet();
  static final AtomicInteger sent = new AtomicInteger();
  static volatile CyclicBarrier allClassesStarted;
  static volatile CountDownLatch eightAtOnce;
  static volatile CyclicBarrier ruleInstalled;

  /** The singleton-container pattern: started once, used by every class that refers to it. */
  static final class OneContainer {
    static final MailsinkContainer MAILSINK = started();
    static final MailsinkExtension NAMESPACES =
        MailsinkExtension.namespacesOn(MAILSINK.mailbox(), MAILSINK.faults());

    private static MailsinkContainer started() {
      MailsinkContainer container = new MailsinkContainer(LocalImage.get());
      container.start();
      return container;
    }
  }

  @AfterAll
  static void stopTheContainer() {
    OneContainer.MAILSINK.stop();
  }

  abstract static class Fixture {
    @RegisterExtension static MailsinkExtension mail = OneContainer.NAMESPACES;

    @BeforeAll
    static void waitForTheOtherClasses() throws Exception {
      allClassesStarted.await(60, TimeUnit.SECONDS);
    }

    @RepeatedTest(50)
    void sendsAndAssertsItsOwnMail(MailsinkNamespace ns, Mailbox mailbox, RepetitionInfo repetition)
        throws Exception {
      eightAtOnce.countDown();
      assertThat(eightAtOnce.await(60, TimeUnit.SECONDS)).as("eight tests at once").isTrue();
      namespaces.add(ns.name());
      int n = 1 + repetition.getCurrentRepetition() % 3;
      for (int i = 0; i < n; i++) {
        TestMail.message()
            .from("app@example.com")
            .to(ns.address("user"))
            .subject(ns.name() + " #" + i)
            .text("t")
            .sendTo(OneContainer.MAILSINK.getSmtpHost(), OneContainer.MAILSINK.getSmtpPort());
        sent.incrementAndGet();
      }
      List<CapturedMessage> mine = mailbox.await(n, Duration.ofSeconds(60));
      assertThat(mine).hasSize(n);
      assertThat(mailbox.count()).isEqualTo(n);
      assertThat(mine)
          .extracting(CapturedMessage::subject)
          .allSatisfy(s -> assertThat(s).startsWith(ns.name() + " #"));
      MailsinkAssertions.assertThat(mailbox).receivedExactly(n).to(ns.address("user"));
    }
  }

  static class Signup extends Fixture {}

  static class PasswordReset extends Fixture {}

  static class Invoice extends Fixture {}

  static class Newsletter extends Fixture {}

  @Test
  void twoHundredTestsOfFourClassesRunAtOnceOnOneContainer() {
    allClassesStarted = new CyclicBarrier(4);
    eightAtOnce = new CountDownLatch(8);
    namespaces.clear();
    sent.set(0);
    int before = OneContainer.MAILSINK.mailbox().count();

    ParallelRun.onThreads(8)
        .assertAllSucceeded(
            200, Signup.class, PasswordReset.class, Invoice.class, Newsletter.class);

    assertThat(namespaces).hasSize(200);
    assertThat(OneContainer.MAILSINK.mailbox().count()).isEqualTo(before + sent.get());
  }

  static class TwoTestsAtOnce {
    @RegisterExtension static MailsinkExtension mail = OneContainer.NAMESPACES;

    @Test
    void rejectsItsOwnRecipient(MailsinkNamespace ns) throws Exception {
      ns.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No such user here").always());
      ruleInstalled.await(60, TimeUnit.SECONDS);

      assertThatThrownBy(() -> send(ns.address("bob"))).isInstanceOf(SendFailedException.class);
      assertThat(ns.faults().events()).hasSize(1);
      ruleInstalled.await(60, TimeUnit.SECONDS);
    }

    @Test
    void isNotDisturbedByTheOtherTestsRule(MailsinkNamespace ns, Mailbox mailbox) throws Exception {
      ruleInstalled.await(60, TimeUnit.SECONDS);

      send(ns.address("bob"));
      assertThat(mailbox.await(1, Duration.ofSeconds(30))).hasSize(1);
      assertThat(ns.faults().list()).isEmpty();
      ruleInstalled.await(60, TimeUnit.SECONDS);
    }

    private static void send(String to) throws Exception {
      TestMail.send(
          OneContainer.MAILSINK.getSmtpHost(),
          OneContainer.MAILSINK.getSmtpPort(),
          "shop@example.com",
          to,
          "hi",
          "text");
    }
  }

  @Test
  void aRejectRuleOfOneTestLeavesAConcurrentTestAloneAndIsRemovedAfterIt() {
    ruleInstalled = new CyclicBarrier(2);

    ParallelRun.onThreads(8).assertAllSucceeded(2, TwoTestsAtOnce.class);

    assertThat(OneContainer.MAILSINK.faults().list()).isEmpty();
  }
}
