package dev.mailsink.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs test classes on the real JUnit Jupiter engine (through EngineTestKit) with parallel
 * execution on: every class and every test method concurrent, on a fixed number of threads. For
 * proving that what the tests share holds up when they run at once.
 *
 * <pre>{@code
 * ParallelRun.onThreads(8).assertAllSucceeded(200, Signup.class, Billing.class);
 * EngineExecutionResults results = ParallelRun.onThreads(4).execute(Fixture.class);
 * }</pre>
 *
 * <p>The caller's test class path must hold {@code junit-platform-testkit} and the Jupiter engine
 * (this module's dependency on the testkit is optional). The classes run are usually static nested
 * classes, which Surefire does not run on their own. Immutable and thread-safe.
 */
public final class ParallelRun {
  private final int threads;

  private ParallelRun(int threads) {
    this.threads = threads;
  }

  /**
   * A run on {@code threads} threads ({@code fixed} parallelism strategy).
   *
   * @throws IllegalArgumentException if {@code threads} is less than 1
   */
  public static ParallelRun onThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }
    return new ParallelRun(threads);
  }

  /** Runs {@code classes} at once and returns what happened, without asserting anything. */
  public EngineExecutionResults execute(Class<?>... classes) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
        .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
        .configurationParameter(
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
        .configurationParameter(
            "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(threads))
        .selectors(Arrays.stream(classes).map(c -> selectClass(c)).toArray(ClassSelector[]::new))
        .execute();
  }

  /**
   * Runs {@code classes} at once and asserts that exactly {@code tests} tests started and all of
   * them succeeded.
   *
   * @throws AssertionError if not; it carries what each failed test or class threw as suppressed
   *     exceptions, so that the cause of a failure inside the run is in the report
   */
  public void assertAllSucceeded(int tests, Class<?>... classes) {
    EngineExecutionResults results = execute(classes);
    try {
      results.testEvents().assertStatistics(s -> s.started(tests).succeeded(tests).failed(0));
    } catch (AssertionError e) {
      results.allEvents().failed().stream()
          .map(event -> event.getPayload(TestExecutionResult.class))
          .flatMap(Optional::stream)
          .map(TestExecutionResult::getThrowable)
          .flatMap(Optional::stream)
          .forEach(e::addSuppressed);
      throw e;
    }
  }
}
