package dev.mailsink.junit;

import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.junit.internal.SinkHandle;
import java.lang.reflect.Field;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link MailsinkTest}; register it yourself to configure the
 * server.
 *
 * <pre>{@code
 * class PasswordResetTest {
 *   @RegisterExtension
 *   static MailsinkExtension mail =
 *       MailsinkExtension.with(MailsinkConfig.builder().maxMessageBytes(1_000_000).build())
 *           .publishingSystemProperties();
 *
 *   @Test
 *   void sendsResetLink(Mailsink sink) { ... }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>On a {@code static} field: one server per test class (shared by {@code @Nested} classes),
 *       its mailbox emptied and its fault rules reset before each test.
 *   <li>On an instance field: a new server for each test, stopped after it (one per class with
 *       {@code @TestInstance(PER_CLASS)}, where the field belongs to the class's only instance).
 *   <li>{@link Mailsink} is injected into test methods, lifecycle methods and (per class only)
 *       constructors.
 *   <li>The innermost registration wins: a {@code @Nested} class or a test that registers its own
 *       extension gets its own server; otherwise the enclosing one is shared.
 * </ul>
 *
 * <p>All state lives in JUnit's {@link ExtensionContext.Store}; an instance holds only its
 * configuration, so a registration can be shared by classes running in parallel. Instances are
 * immutable and thread-safe.
 */
public final class MailsinkExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MailsinkExtension.class);
  private static final String SINK = "sink";
  private static final String TEST_NAMESPACE = "namespace";
  private static final AtomicLong NAMESPACES = new AtomicLong();

  private final MailsinkConfig config;
  private final boolean publishSystemProperties;
  private final boolean namespacePerTest;
  // true when JUnit created this instance for @MailsinkTest / @ExtendWith: such a registration
  // defers to a MailsinkExtension field of the class and shares any enclosing server.
  private final boolean declarative;

  /** Used by JUnit for {@link MailsinkTest}; in code, use {@link #with(MailsinkConfig)}. */
  MailsinkExtension() {
    this(MailsinkConfig.defaults(), false, true, false);
  }

  private MailsinkExtension(
      MailsinkConfig config,
      boolean publishSystemProperties,
      boolean declarative,
      boolean namespacePerTest) {
    this.config = Objects.requireNonNull(config, "config");
    this.publishSystemProperties = publishSystemProperties;
    this.declarative = declarative;
    this.namespacePerTest = namespacePerTest;
  }

  /**
   * Returns an extension that starts servers with {@code config}. Use {@code
   * MailsinkConfig.defaults()} for a free port on 127.0.0.1.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static MailsinkExtension with(MailsinkConfig config) {
    return new MailsinkExtension(config, false, false, false);
  }

  /**
   * Returns a copy of this extension that publishes the running server as system properties, so
   * that an application under test configured by them (Jakarta Mail sessions built from {@code
   * System.getProperties()}, Spring Boot) sends to it without further wiring:
   *
   * <ul>
   *   <li>{@code mail.smtp.host}, {@code mail.smtp.port}, {@code spring.mail.host}, {@code
   *       spring.mail.port};
   *   <li>when the server uses TLS, its certificate: {@code javax.net.ssl.trustStore} (a temporary
   *       PKCS#12 file, deleted afterwards), {@code javax.net.ssl.trustStorePassword} and {@code
   *       javax.net.ssl.trustStoreType}, and {@code mail.smtp.ssl.trust} set to its host;
   *   <li>when it requires STARTTLS, {@code mail.smtp.starttls.enable} and {@code
   *       mail.smtp.starttls.required};
   *   <li>each {@code mail.smtp.*} setting of the last two items also as {@code
   *       spring.mail.properties.mail.smtp.*}.
   * </ul>
   *
   * <p>The properties are set when the server starts (before {@code @BeforeAll} methods for a
   * per-class server) and their previous values are put back when it stops. The JVM reads {@code
   * javax.net.ssl.trustStore} only once, when something first uses the default {@code SSLContext};
   * Jakarta Mail does not need it thanks to {@code mail.smtp.ssl.trust}, other clients can use
   * {@code sink.tls().sslContext()} instead.
   *
   * <p>System properties are global to the JVM: test classes that publish them must not run at the
   * same time, so annotate them with {@code @ResourceLock(Resources.SYSTEM_PROPERTIES)} when
   * running tests in parallel. A second server that tries to publish while the first one still does
   * fails its tests with a message that says so. Spring caches application contexts between test
   * classes; a cached context keeps the port it was started with, so give such classes
   * {@code @DirtiesContext} if several of them use Mailsink.
   */
  public MailsinkExtension publishingSystemProperties() {
    return new MailsinkExtension(config, true, declarative, namespacePerTest);
  }

  /**
   * Returns a copy of this extension that isolates tests on a shared server by namespace instead of
   * emptying the mailbox: each test gets a namespace of its own ({@link MailsinkNamespace}, e.g.
   * {@code t1a}), an injected {@link Mailbox} is that namespace's mailbox, and mail the test sends
   * to {@link MailsinkNamespace#address(String)} lands there only. Nothing is cleared between tests
   * and tests of one server may run at the same time (JUnit's {@code
   * junit.jupiter.execution.parallel.mode.default=concurrent} or {@code @Execution(CONCURRENT)}).
   * Use it on a {@code static} field (one server for the class) without {@code @MailsinkTest},
   * whose lock would run the methods one at a time.
   *
   * <p>The server's fault rules and session log stay server-wide: they are not reset between tests
   * in this mode. A test that adds a fault rule should match its own addresses ({@code
   * Match.recipient(ns.address("bob"))}) and remove the rule when it ends.
   */
  public MailsinkExtension namespacePerTest() {
    return new MailsinkExtension(config, publishSystemProperties, declarative, true);
  }

  /**
   * Starts the per-class server, unless an enclosing class's server is to be shared. Called by
   * JUnit.
   *
   * @throws ExtensionConfigurationException if two Mailsink extensions are registered on the same
   *     class
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    if (declarative && classDeclaresOwnRegistration(context)) {
      return;
    }
    SinkHandle nearest = nearest(context);
    if (nearest != null && (nearest.isOwnedBy(this) || declarative)) {
      return;
    }
    if (nearest != null && nearest.belongsTo(context.getUniqueId())) {
      throw twoRegistrations(context);
    }
    start(context, "class " + context.getRequiredTestClass().getName());
  }

  /**
   * Empties the mailbox of the shared server before the test, or starts a server for this test
   * alone when registered on an instance field. Called by JUnit.
   *
   * @throws ExtensionConfigurationException if another test uses the shared server right now
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    SinkHandle nearest = nearest(context);
    if (nearest != null && nearest.isOwnedBy(this) && namespacePerTest) {
      String name = "t" + Long.toString(NAMESPACES.incrementAndGet(), 36);
      context.getStore(NAMESPACE).put(TEST_NAMESPACE, new MailsinkNamespace(nearest.sink(), name));
      return;
    }
    if (nearest != null && nearest.isOwnedBy(this)) {
      SinkHandle.Lease lease = nearest.beginTest(testName(context));
      context.getStore(NAMESPACE).put(this, lease);
      return;
    }
    if (declarative) {
      return;
    }
    if (nearest != null && nearest.belongsTo(context.getUniqueId())) {
      throw twoRegistrations(context);
    }
    start(context, "test " + testName(context));
  }

  /** Stops the server started for this test, if any. Called by JUnit. */
  @Override
  public void afterEach(ExtensionContext context) {
    SinkHandle.Lease lease = context.getStore(NAMESPACE).remove(this, SinkHandle.Lease.class);
    if (lease != null) {
      lease.close();
    }
    stopOwnedAt(context);
  }

  /** Stops the per-class server, if this class started one. Called by JUnit. */
  @Override
  public void afterAll(ExtensionContext context) {
    stopOwnedAt(context);
  }

  /**
   * Supports parameters of type {@link Mailsink}, {@link Mailbox} (the test's namespace with {@link
   * #namespacePerTest()}, otherwise the server's mailbox) and, in a test with its own namespace,
   * {@link MailsinkNamespace}, where this registration's server applies.
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type != Mailsink.class && type != Mailbox.class && type != MailsinkNamespace.class) {
      return false;
    }
    SinkHandle nearest = nearest(context);
    if (nearest == null || !nearest.isOwnedBy(this)) {
      return false;
    }
    if (type == MailsinkNamespace.class || (type == Mailbox.class && namespacePerTest)) {
      return testNamespace(context) != null;
    }
    return true;
  }

  /**
   * Returns the server, mailbox or namespace that applies to the test or class of {@code context}.
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == MailsinkNamespace.class) {
      return testNamespace(context);
    }
    if (type == Mailbox.class) {
      return namespacePerTest
          ? testNamespace(context).mailbox()
          : nearest(context).sink().mailbox();
    }
    return nearest(context).sink();
  }

  private static MailsinkNamespace testNamespace(ExtensionContext context) {
    return context.getStore(NAMESPACE).get(TEST_NAMESPACE, MailsinkNamespace.class);
  }

  private void start(ExtensionContext context, String scope) {
    SinkHandle handle =
        SinkHandle.start(this, config, context.getUniqueId(), scope, publishSystemProperties);
    context.getStore(NAMESPACE).put(SINK, handle);
  }

  private void stopOwnedAt(ExtensionContext context) {
    SinkHandle nearest = nearest(context);
    if (nearest != null && nearest.isOwnedBy(this) && nearest.belongsTo(context.getUniqueId())) {
      context.getStore(NAMESPACE).remove(SINK);
      nearest.close();
    }
  }

  private static SinkHandle nearest(ExtensionContext context) {
    // The store looks in the enclosing contexts too, so @Nested classes and tests see the
    // server of the innermost context that has one.
    return context.getStore(NAMESPACE).get(SINK, SinkHandle.class);
  }

  private static boolean classDeclaresOwnRegistration(ExtensionContext context) {
    return !AnnotationSupport.findAnnotatedFields(
            context.getRequiredTestClass(),
            RegisterExtension.class,
            (Field f) -> MailsinkExtension.class.isAssignableFrom(f.getType()))
        .isEmpty();
  }

  private static String testName(ExtensionContext context) {
    String className = context.getTestClass().map(Class::getSimpleName).orElse("?");
    return className + "." + context.getDisplayName();
  }

  private static ExtensionConfigurationException twoRegistrations(ExtensionContext context) {
    return new ExtensionConfigurationException(
        "Two MailsinkExtension registrations apply to "
            + context.getDisplayName()
            + " at the same level (e.g. two @RegisterExtension fields); keep one. A @Nested class"
            + " may register its own to get a server of its own.");
  }

  @Override
  public String toString() {
    return "MailsinkExtension{"
        + config
        + (publishSystemProperties ? ", publishing system properties" : "")
        + (namespacePerTest ? ", a namespace per test" : "")
        + "}";
  }
}
