package dev.mailsink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ParallelRunTest {
  static volatile CyclicBarrier allThree;

  static class First {
    @Test
    void meetsTheOthers() throws Exception {
      allThree.await(10, TimeUnit.SECONDS);
    }

    @Test
    void meetsTheOthersToo() throws Exception {
      allThree.await(10, TimeUnit.SECONDS);
    }
  }

  static class Second {
    @Test
    void meetsTheOthers() throws Exception {
      allThree.await(10, TimeUnit.SECONDS);
    }
  }

  static class OnePasses {
    @Test
    void passes() {}
  }

  static class OneFails {
    @Test
    void passes() {}

    @Test
    void fails() {
      throw new IllegalStateException("the cause inside the run");
    }
  }

  @Test
  void runsTheMethodsOfSeveralClassesAtOnce() {
    allThree = new CyclicBarrier(3);

    ParallelRun.onThreads(3).assertAllSucceeded(3, First.class, Second.class);
  }

  @Test
  void aFailingTestInTheRunFailsTheAssertionAndCarriesItsCause() {
    assertThatThrownBy(() -> ParallelRun.onThreads(2).assertAllSucceeded(2, OneFails.class))
        .isInstanceOf(AssertionError.class)
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .anySatisfy(s -> assertThat(s).hasMessage("the cause inside the run")));
  }

  @Test
  void anotherNumberOfTestsThanExpectedFailsTheAssertion() {
    assertThatThrownBy(() -> ParallelRun.onThreads(2).assertAllSucceeded(2, OnePasses.class))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void executeReportsWithoutAsserting() {
    assertThat(ParallelRun.onThreads(2).execute(OneFails.class).testEvents().failed().count())
        .isOne();
  }

  @Test
  void refusesLessThanOneThread() {
    assertThatThrownBy(() -> ParallelRun.onThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be >= 1, was 0");
  }
}
