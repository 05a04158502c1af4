package dev.mailsink.junit.internal;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * One running sink as the extension keeps it in JUnit's store: the server, the JUnit context it
 * belongs to, its published system properties, and the test that is using it right now. Not API.
 */
public final class SinkHandle implements AutoCloseable {
  private final String contextId;
  private final String scope;
  private final Mailsink sink;
  private final SystemPropertiesPublication publication;
  private final AtomicReference<String> runningTest = new AtomicReference<>();

  private SinkHandle(
      String contextId, String scope, Mailsink sink, SystemPropertiesPublication publication) {
    this.contextId = contextId;
    this.scope = scope;
    this.sink = sink;
    this.publication = publication;
  }

  /**
   * Starts a sink.
   *
   * @param contextId the unique id of the JUnit context (class or test) the sink belongs to
   * @param scope a readable name of that context, for messages
   * @param publishSystemProperties whether to publish the sink as system properties
   * @throws ExtensionConfigurationException if the properties are already published by another sink
   *     (the sink is closed again)
   */
  public static SinkHandle start(
      MailsinkConfig config, String contextId, String scope, boolean publishSystemProperties) {
    Mailsink sink = Mailsink.start(config);
    SystemPropertiesPublication publication = null;
    try {
      if (publishSystemProperties) {
        publication = SystemPropertiesPublication.publish(sink, scope);
      }
    } catch (IllegalStateException e) {
      sink.close();
      throw new ExtensionConfigurationException(e.getMessage(), e);
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
    return new SinkHandle(contextId, scope, sink, publication);
  }

  /** The running server. */
  public Mailsink sink() {
    return sink;
  }

  /** Whether this sink belongs to the JUnit context with this unique id. */
  public boolean belongsTo(String uniqueId) {
    return contextId.equals(uniqueId);
  }

  /**
   * Prepares the sink for a test that shares it with other tests: empties the mailbox, removes the
   * fault rules and their recorded events, and installs the initial rules again (with fresh
   * counters).
   *
   * @return a lease to close when the test ends
   * @throws ExtensionConfigurationException if another test is using the sink right now
   */
  public Lease beginTest(String testName) {
    Objects.requireNonNull(testName, "testName");
    String other = runningTest.compareAndExchange(null, testName);
    if (other != null) {
      throw new ExtensionConfigurationException(
          "Test "
              + testName
              + " started while "
              + other
              + " is still running on the same Mailsink server (one per class, "
              + scope
              + "). Emptying the mailbox now would delete the other test's mail. Run the test"
              + " methods of this class one at a time: annotate the class with @MailsinkTest"
              + " (it keeps working beside a static MailsinkExtension field) or with"
              + " @Execution(ExecutionMode.SAME_THREAD); or give each test its own server with a"
              + " non-static @RegisterExtension MailsinkExtension field.");
    }
    sink.mailbox().clear();
    // a test asserts on its own sessions only
    sink.sessions().clear();
    // back to the configured start-up rules, with fresh counters and no recorded events
    sink.faults().reset();
    return new Lease(testName);
  }

  /** Restores the published system properties and stops the server. Idempotent. */
  @Override
  public void close() {
    try {
      sink.close();
    } finally {
      if (publication != null) {
        publication.close();
      }
    }
  }

  @Override
  public String toString() {
    return "SinkHandle{" + scope + ", " + sink + "}";
  }

  /** One test's use of a shared sink; closing it lets the next test begin. */
  public final class Lease implements AutoCloseable {
    private final String testName;

    private Lease(String testName) {
      this.testName = testName;
    }

    /** Ends the test's use of the sink. Idempotent. */
    @Override
    public void close() {
      runningTest.compareAndSet(testName, null);
    }
  }
}
