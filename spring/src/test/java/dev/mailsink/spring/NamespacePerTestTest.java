package dev.mailsink.spring;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.junit.MailsinkNamespace;
import dev.mailsink.testing.ParallelRun;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.mail.MailSendException;

/**
 * {@code @AutoConfigureMailsink(namespacePerTest = true)}: the test methods of two classes that
 * share one cached context run at once on its one sink, each sending through the application's
 * {@code JavaMailSender} to its own address and seeing exactly its own mail, and a fault rule of
 * one test leaves the others alone. Run through the real JUnit engine with parallel execution.
 */
@Timeout(120)
class NamespacePerTestTest {
  static final Set<ApplicationContext> contexts = ConcurrentHashMap.newKeySet();
  static final Set<Mailsink> sinks = ConcurrentHashMap.newKeySet();
  static final Set<String> namespaces = ConcurrentHashMap.newKeySet();
  static final Set<Mailbox> mailboxBeans = ConcurrentHashMap.newKeySet();
  static final Set<MailsinkNamespace> namespaceBeans = ConcurrentHashMap.newKeySet();
  static volatile CountDownLatch fourAtOnce;
  static volatile CyclicBarrier ruleInstalled;

  @SpringBootTest(classes = MailTestApplication.class)
  @AutoConfigureMailsink(namespacePerTest = true)
  abstract static class Fixture {
    @Autowired ApplicationContext context;
    @Autowired Mailsink sink;
    @Autowired MailTestApplication.Greeter greeter;
    @Autowired MailsinkNamespace ns;
    @Autowired Mailbox mailbox;

    @RepeatedTest(25)
    void greetsItsOwnAddressAndSeesOnlyThatMail() throws Exception {
      fourAtOnce.countDown();
      assertThat(fourAtOnce.await(60, TimeUnit.SECONDS)).as("four tests at once").isTrue();
      contexts.add(context);
      sinks.add(sink);
      namespaces.add(ns.name());
      mailboxBeans.add(mailbox);
      namespaceBeans.add(ns);

      greeter.greet(ns.address("alice"));

      assertThat(mailbox.await(1, Duration.ofSeconds(30))).hasSize(1);
      assertThat(mailbox).receivedExactly(1).to(ns.address("alice")).withSubject("Hello");
    }
  }

  static class Signup extends Fixture {}

  static class Billing extends Fixture {}

  @Test
  void methodsOfTwoClassesOnOneCachedContextRunAtOnceAndSeeOnlyTheirOwnMail() {
    fourAtOnce = new CountDownLatch(4);

    ParallelRun.onThreads(8).assertAllSucceeded(50, Signup.class, Billing.class);

    assertThat(contexts).hasSize(1);
    assertThat(sinks).hasSize(1);
    assertThat(namespaces).hasSize(50);
    // outside a test the mailbox bean is the whole sink's, and there is no current namespace
    Mailsink sink = sinks.iterator().next();
    assertThat(sink.mailbox().count()).isGreaterThanOrEqualTo(50);
    assertThat(mailboxBeans)
        .singleElement()
        .satisfies(m -> assertThat(m.count()).isEqualTo(sink.mailbox().count()));
    assertThatThrownBy(() -> namespaceBeans.iterator().next().name())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("namespacePerTest");
  }

  @SpringBootTest(classes = MailTestApplication.class)
  @AutoConfigureMailsink(namespacePerTest = true)
  static class FaultsAtOnce {
    @Autowired MailTestApplication.Greeter greeter;
    @Autowired MailsinkNamespace ns;
    @Autowired Mailbox mailbox;
    @Autowired FaultRules faults;
    @Autowired Mailsink sink;

    @Test
    void rejectsItsOwnRecipient() throws Exception {
      faults.add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No such user here").always());
      ruleInstalled.await(30, TimeUnit.SECONDS);

      assertThatThrownBy(() -> greeter.greet(ns.address("bob")))
          .isInstanceOf(MailSendException.class);
      assertThat(faults.events()).hasSize(1);
      ruleInstalled.await(30, TimeUnit.SECONDS);
    }

    @Test
    void isNotDisturbedByTheOtherTestsRule() throws Exception {
      ruleInstalled.await(30, TimeUnit.SECONDS);

      greeter.greet(ns.address("bob"));
      assertThat(mailbox).receivedExactly(1);
      assertThat(faults.list()).isEmpty();
      sinks.add(sink);
      ruleInstalled.await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFaultRuleOfOneTestHitsItsMailOnlyAndIsRemovedAfterIt() {
    ruleInstalled = new CyclicBarrier(2);
    sinks.clear();

    ParallelRun.onThreads(4).assertAllSucceeded(2, FaultsAtOnce.class);

    assertThat(sinks.iterator().next().faults().list()).isEmpty();
  }
}
