package dev.mailsink.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.testing.TestMail;
import jakarta.mail.SendFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension's behaviour, observed by running small test classes (the static nested classes
 * below, which Surefire does not run by themselves) on the Jupiter engine with EngineTestKit.
 */
@Timeout(30)
class MailsinkExtensionTest {

  /** What the fixtures saw; each test of this class clears it before running its fixture. */
  static final List<Mailsink> seen = new CopyOnWriteArrayList<>();

  static EngineExecutionResults run(Class<?> fixture) {
    return run(fixture, Map.of());
  }

  static EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
    seen.clear();
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(configuration)
        .selectors(selectClass(fixture))
        .execute();
  }

  static List<String> failureMessages(EngineExecutionResults results) {
    List<String> messages = new ArrayList<>();
    results.allEvents().failed().stream()
        .map(Event::getPayload)
        .forEach(
            p ->
                p.ifPresent(
                    payload ->
                        ((org.junit.platform.engine.TestExecutionResult) payload)
                            .getThrowable()
                            .ifPresent(t -> messages.add(String.valueOf(t.getMessage())))));
    return messages;
  }

  @MailsinkTest
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class OneServerPerClass {
    @Test
    @Order(1)
    void sendsOneMessage(Mailsink sink) throws Exception {
      seen.add(sink);
      TestMail.send(
          sink.smtpHost(),
          sink.smtpPort(),
          "shop@example.com",
          "alice@example.com",
          "first",
          "text");
      MailsinkAssertions.assertThat(sink).receivedExactly(1);
    }

    @Test
    @Order(2)
    void findsTheMailboxEmpty(Mailsink sink) {
      seen.add(sink);
      assertThat(sink.mailbox().count()).isZero();
    }
  }

  @Test
  void oneServerServesEveryTestOfTheClassWithTheMailboxEmptiedBeforeEachTest() {
    run(OneServerPerClass.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));

    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isSameAs(seen.get(1));
  }

  @Test
  void theServerListensOnAFreeLoopbackPortAndStopsAfterTheClass() {
    run(OneServerPerClass.class).testEvents().assertStatistics(s -> s.succeeded(2));

    Mailsink sink = seen.get(0);
    assertThat(sink.config().smtpPort()).isZero();
    assertThat(sink.config().bindAddress().isLoopbackAddress()).isTrue();
    assertThat(sink.isRunning()).isFalse();
  }

  @MailsinkTest
  static class InjectionEverywhere {
    static Mailsink inBeforeAll;

    InjectionEverywhere(Mailsink sink) {
      seen.add(sink);
    }

    @BeforeAll
    static void beforeAll(Mailsink sink) {
      inBeforeAll = sink;
      seen.add(sink);
    }

    @BeforeEach
    void beforeEach(Mailsink sink) {
      seen.add(sink);
    }

    @Test
    void test(Mailsink sink) {
      seen.add(sink);
      assertThat(sink.isRunning()).isTrue();
    }

    @AfterEach
    void afterEach(Mailsink sink) {
      seen.add(sink);
    }

    @AfterAll
    static void afterAll(Mailsink sink) {
      seen.add(sink);
      assertThat(sink.isRunning()).isTrue();
    }
  }

  @Test
  void theServerIsInjectedIntoConstructorsLifecycleMethodsAndTests() {
    run(InjectionEverywhere.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));

    assertThat(seen).hasSize(6).allMatch(s -> s == InjectionEverywhere.inBeforeAll);
  }

  @MailsinkTest
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class OuterWithNested {
    @Test
    @Order(1)
    void outerSendsMail(Mailsink sink) throws Exception {
      seen.add(sink);
      TestMail.send(
          sink.smtpHost(),
          sink.smtpPort(),
          "shop@example.com",
          "alice@example.com",
          "outer",
          "text");
    }

    @Nested
    class Inner {
      @Test
      void innerSharesTheServerWithAnEmptyMailbox(Mailsink sink) {
        seen.add(sink);
        assertThat(sink.mailbox().count()).isZero();
      }

      @Nested
      class Innermost {
        @Test
        void innermostSharesItToo(Mailsink sink) {
          seen.add(sink);
        }
      }
    }
  }

  @Test
  void nestedClassesShareTheOuterServer() {
    run(OuterWithNested.class).testEvents().assertStatistics(s -> s.started(3).succeeded(3));

    assertThat(seen).hasSize(3).allMatch(s -> s == seen.get(0));
  }

  @MailsinkTest
  static class NestedWithOwnRegistration {
    @Test
    void outer(Mailsink sink) {
      seen.add(sink);
    }

    @Nested
    class Inner {
      @RegisterExtension
      static MailsinkExtension own =
          MailsinkExtension.with(MailsinkConfig.builder().maxRecipients(7).build());

      @Test
      void inner(Mailsink sink) {
        seen.add(sink);
        assertThat(sink.config().maxRecipients()).isEqualTo(7);
      }
    }
  }

  @Test
  void aNestedClassWithItsOwnRegistrationGetsItsOwnServer() {
    run(NestedWithOwnRegistration.class)
        .testEvents()
        .assertStatistics(s -> s.started(2).succeeded(2));

    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isNotSameAs(seen.get(1));
  }

  @MailsinkTest
  static class ParameterizedRepeatedAndDynamic {
    @ParameterizedTest
    @ValueSource(strings = {"one", "two"})
    void parameterized(String subject, Mailsink sink) throws Exception {
      seen.add(sink);
      TestMail.send(
          sink.smtpHost(),
          sink.smtpPort(),
          "shop@example.com",
          "alice@example.com",
          subject,
          "text");
      MailsinkAssertions.assertThat(sink).receivedExactly(1).withSubject(subject);
    }

    @RepeatedTest(2)
    void repeated(Mailsink sink) throws Exception {
      seen.add(sink);
      TestMail.send(
          sink.smtpHost(),
          sink.smtpPort(),
          "shop@example.com",
          "alice@example.com",
          "repeated",
          "text");
      MailsinkAssertions.assertThat(sink).receivedExactly(1);
    }

    @TestFactory
    Stream<DynamicTest> dynamic(Mailsink sink) {
      return IntStream.rangeClosed(1, 2)
          .mapToObj(
              i ->
                  DynamicTest.dynamicTest(
                      "dynamic " + i,
                      () -> {
                        seen.add(sink);
                        TestMail.send(
                            sink.smtpHost(),
                            sink.smtpPort(),
                            "shop@example.com",
                            "alice@example.com",
                            "dynamic",
                            "text");
                        MailsinkAssertions.assertThat(sink).receivedExactly(i);
                      }));
    }
  }

  @Test
  void parameterizedRepeatedAndDynamicTestsUseTheClassServerWithAFreshMailboxPerInvocation() {
    run(ParameterizedRepeatedAndDynamic.class)
        .testEvents()
        .assertStatistics(s -> s.started(6).succeeded(6));

    assertThat(seen).hasSize(6).allMatch(s -> s == seen.get(0));
  }

  static class StaticRegistration {
    @RegisterExtension
    static MailsinkExtension mail =
        MailsinkExtension.with(MailsinkConfig.builder().maxMessageBytes(4_096).build());

    @Test
    void first(Mailsink sink) {
      seen.add(sink);
    }

    @Test
    void second(Mailsink sink) {
      seen.add(sink);
    }
  }

  @Test
  void aStaticRegistrationStartsOneConfiguredServerForTheClass() {
    run(StaticRegistration.class).testEvents().assertStatistics(s -> s.succeeded(2));

    assertThat(seen).hasSize(2).allMatch(s -> s == seen.get(0));
    assertThat(seen.get(0).config().maxMessageBytes()).isEqualTo(4_096);
    assertThat(seen.get(0).isRunning()).isFalse();
  }

  static class InstanceRegistration {
    @RegisterExtension MailsinkExtension mail = MailsinkExtension.with(MailsinkConfig.defaults());

    @Test
    void first(Mailsink sink) throws Exception {
      seen.add(sink);
      TestMail.send(
          sink.smtpHost(),
          sink.smtpPort(),
          "shop@example.com",
          "alice@example.com",
          "first",
          "text");
    }

    @Test
    void second(Mailsink sink) {
      seen.add(sink);
      assertThat(sink.mailbox().count()).isZero();
    }
  }

  @Test
  void anInstanceRegistrationStartsAServerForEachTestAndStopsItAfterTheTest() {
    run(InstanceRegistration.class).testEvents().assertStatistics(s -> s.succeeded(2));

    assertThat(seen).hasSize(2);
    assertThat(seen.get(0)).isNotSameAs(seen.get(1));
    assertThat(seen).noneMatch(Mailsink::isRunning);
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static class InstanceRegistrationWithPerClassLifecycle {
    @RegisterExtension MailsinkExtension mail = MailsinkExtension.with(MailsinkConfig.defaults());

    @BeforeAll
    void beforeAll(Mailsink sink) {
      seen.add(sink);
    }

    @Test
    void first(Mailsink sink) {
      seen.add(sink);
    }

    @Test
    void second(Mailsink sink) {
      seen.add(sink);
    }
  }

  @Test
  void withThePerClassLifecycleAnInstanceRegistrationServesTheWholeClass() {
    run(InstanceRegistrationWithPerClassLifecycle.class)
        .testEvents()
        .assertStatistics(s -> s.succeeded(2).failed(0));

    assertThat(seen).hasSize(3).allMatch(s -> s == seen.get(0));
    assertThat(seen.get(0).isRunning()).isFalse();
  }

  @MailsinkTest
  static class AnnotationWithStaticRegistration {
    @RegisterExtension
    static MailsinkExtension mail =
        MailsinkExtension.with(MailsinkConfig.builder().maxRecipients(3).build());

    @BeforeAll
    static void beforeAll(Mailsink sink) {
      seen.add(sink);
    }

    @Test
    void test(Mailsink sink) {
      seen.add(sink);
    }
  }

  @Test
  void theAnnotationDefersToAStaticRegistrationOnTheSameClass() {
    run(AnnotationWithStaticRegistration.class)
        .testEvents()
        .assertStatistics(s -> s.succeeded(1).failed(0));

    assertThat(seen).hasSize(2).allMatch(s -> s == seen.get(0));
    assertThat(seen.get(0).config().maxRecipients()).isEqualTo(3);
  }

  static class TwoRegistrations {
    @RegisterExtension
    static MailsinkExtension first = MailsinkExtension.with(MailsinkConfig.defaults());

    @RegisterExtension
    static MailsinkExtension second = MailsinkExtension.with(MailsinkConfig.defaults());

    @Test
    void test() {}
  }

  @Test
  void twoRegistrationsOnOneClassAreReportedAsAConfigurationError() {
    EngineExecutionResults results = run(TwoRegistrations.class);

    assertThat(failureMessages(results))
        .anySatisfy(m -> assertThat(m).contains("Two MailsinkExtension registrations"));
  }

  @MailsinkTest
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class FaultRulesAddedByATest {
    @Test
    @Order(1)
    void rejectsBob(Mailsink sink) {
      sink.faults()
          .add(
              FaultRule.on(SmtpStage.RCPT)
                  .when(Match.recipient("bob@example.com"))
                  .reply(550, "5.1.1 No such user"));
      assertThatThrownBy(
              () ->
                  TestMail.send(
                      sink.smtpHost(),
                      sink.smtpPort(),
                      "shop@example.com",
                      "bob@example.com",
                      "x",
                      "x"))
          .isInstanceOf(SendFailedException.class);
    }

    @Test
    @Order(2)
    void findsTheRulesGone(Mailsink sink) throws Exception {
      assertThat(sink.faults().list()).isEmpty();
      TestMail.send(
          sink.smtpHost(), sink.smtpPort(), "shop@example.com", "bob@example.com", "x", "x");
    }
  }

  @Test
  void faultRulesAddedByATestAreRemovedBeforeTheNextTest() {
    run(FaultRulesAddedByATest.class).testEvents().assertStatistics(s -> s.succeeded(2));
  }

  static class InitialFaultRules {
    @RegisterExtension
    static MailsinkExtension mail =
        MailsinkExtension.with(
            MailsinkConfig.builder()
                .faultRules(
                    FaultRule.on(SmtpStage.RCPT)
                        .when(Match.recipient("bob@example.com"))
                        .reply(450, "4.2.1 Try again later")
                        .times(1))
                .build());

    @RepeatedTest(2)
    void bobIsRefusedOnceThenAccepted(Mailsink sink) throws Exception {
      assertThatThrownBy(
              () ->
                  TestMail.send(
                      sink.smtpHost(),
                      sink.smtpPort(),
                      "shop@example.com",
                      "bob@example.com",
                      "x",
                      "x"))
          .isInstanceOf(SendFailedException.class);
      TestMail.send(
          sink.smtpHost(), sink.smtpPort(), "shop@example.com", "bob@example.com", "x", "x");
      MailsinkAssertions.assertThat(sink).receivedExactly(1);
      assertThat(sink.faults().list()).hasSize(1);
    }
  }

  @Test
  void initialFaultRulesAreInstalledAgainWithFreshCountersBeforeEachTest() {
    run(InitialFaultRules.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
  }

  @MailsinkTest
  static class FailingAssertion {
    @Test
    void expectsAnotherSubject(Mailsink sink) throws Exception {
      TestMail.send(
          sink.smtpHost(),
          sink.smtpPort(),
          "shop@example.com",
          "alice@example.com",
          "Hello",
          "text");
      MailsinkAssertions.assertThat(sink).receivedExactly(1).withSubject("Welcome");
    }
  }

  @Test
  void aFailedAssertionReportsWhatWasReceivedAndWhichConditionFailed() {
    EngineExecutionResults results = run(FailingAssertion.class);

    results.testEvents().assertStatistics(s -> s.failed(1));
    assertThat(failureMessages(results))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("Expected the message to have subject \"Welcome\", but it did not")
                    .contains("subject: \"Hello\"")
                    .contains("Received 1 message:")
                    .contains(
                        "from=<shop@example.com> to=[<alice@example.com>] subject=\"Hello\""));
  }

  static class ConcurrentTestsOnStaticRegistration {
    @RegisterExtension
    static MailsinkExtension mail = MailsinkExtension.with(MailsinkConfig.defaults());

    static final CountDownLatch bothStarted = new CountDownLatch(2);

    @Test
    void first() throws InterruptedException {
      bothStarted.countDown();
      bothStarted.await(2, TimeUnit.SECONDS);
    }

    @Test
    void second() throws InterruptedException {
      bothStarted.countDown();
      bothStarted.await(2, TimeUnit.SECONDS);
    }
  }

  @Test
  void testsRunningAtOnceOnOneClassServerFailWithAnExplanation() {
    EngineExecutionResults results =
        run(
            ConcurrentTestsOnStaticRegistration.class,
            Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"));

    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
    assertThat(failureMessages(results))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("is still running on the same Mailsink server")
                    .contains("@MailsinkTest"));
  }
}
