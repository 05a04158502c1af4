package dev.mailsink.junit;

import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.NamespaceRule;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.junit.internal.Serving;
import dev.mailsink.junit.internal.SharedSink;
import dev.mailsink.junit.internal.SinkHandle;
import java.lang.reflect.Field;
import java.util.Objects;
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
 *   <li>{@link #namespacePerTest()}: a namespace per test instead of an emptied mailbox, so tests
 *       of one server run in parallel; {@link #shared()}: one server for every class that registers
 *       the instance; {@link #namespacesOn(Mailbox, FaultRules)}: a namespace per test on a server
 *       that runs elsewhere (a {@code MailsinkContainer}).
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
  private static final String SERVING = "serving";
  // the key of the run's server for @MailsinkTest(shared = true), which has the default config
  private static final String SHARED_BY_ANNOTATION = "shared by @MailsinkTest";

  // null for namespacesOn(...), whose server runs elsewhere
  private final MailsinkConfig config;
  private final Mailbox remoteMailbox;
  private final FaultRules remoteFaults;
  private final boolean publishSystemProperties;
  private final boolean namespacePerTest;
  private final boolean shared;
  // true when JUnit created this instance for @MailsinkTest / @ExtendWith: such a registration
  // takes its options from the annotation, defers to a MailsinkExtension field of the class and
  // shares any enclosing server.
  private final boolean declarative;

  /** Used by JUnit for {@link MailsinkTest}; in code, use {@link #with(MailsinkConfig)}. */
  MailsinkExtension() {
    this(MailsinkConfig.defaults(), null, null, false, true, false, false);
  }

  private MailsinkExtension(
      MailsinkConfig config,
      Mailbox remoteMailbox,
      FaultRules remoteFaults,
      boolean publishSystemProperties,
      boolean declarative,
      boolean namespacePerTest,
      boolean shared) {
    this.config = config;
    this.remoteMailbox = remoteMailbox;
    this.remoteFaults = remoteFaults;
    this.publishSystemProperties = publishSystemProperties;
    this.declarative = declarative;
    this.namespacePerTest = namespacePerTest;
    this.shared = shared;
  }

  /**
   * Returns an extension that starts servers with {@code config}. Use {@code
   * MailsinkConfig.defaults()} for a free port on 127.0.0.1.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static MailsinkExtension with(MailsinkConfig config) {
    return new MailsinkExtension(
        Objects.requireNonNull(config, "config"), null, null, false, false, false, false);
  }

  /**
   * Returns an extension that starts no server but gives each test a namespace of its own on a
   * server that runs elsewhere, e.g. a {@code MailsinkContainer} shared by many test classes
   * ({@code container.mailbox()}, {@code container.faults()}), whose namespace rule must be the
   * default {@link NamespaceRule#subAddress()} (as in the Docker image):
   *
   * <pre>{@code
   * @RegisterExtension
   * static MailsinkExtension mail =
   *     MailsinkExtension.namespacesOn(SharedContainer.MAILSINK.mailbox(),
   *         SharedContainer.MAILSINK.faults());
   *
   * @Test
   * void confirmsOrder(MailsinkNamespace ns, Mailbox mailbox) {
   *   orders.confirm(ns.address("alice"));
   *   assertThat(mailbox).receivedExactly(1).to(ns.address("alice"));
   * }
   * }</pre>
   *
   * <p>{@link MailsinkNamespace} and {@link Mailbox} (the namespace's) can be injected into test
   * methods, not {@link Mailsink}. Nothing on the server is emptied or reset; tests may run at
   * once. The same instance may be registered by any number of classes.
   *
   * @throws NullPointerException if an argument is null
   */
  public static MailsinkExtension namespacesOn(Mailbox mailbox, FaultRules faults) {
    return new MailsinkExtension(
        null,
        Objects.requireNonNull(mailbox, "mailbox"),
        Objects.requireNonNull(faults, "faults"),
        false,
        false,
        true,
        true);
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
   *
   * @throws IllegalStateException on an extension from {@link #namespacesOn(Mailbox, FaultRules)},
   *     which runs no server
   */
  public MailsinkExtension publishingSystemProperties() {
    if (config == null) {
      throw new IllegalStateException(
          "publishingSystemProperties() called on an extension over a server that runs elsewhere"
              + " (namespacesOn); publish that server's address yourself");
    }
    return new MailsinkExtension(
        config, remoteMailbox, remoteFaults, true, declarative, namespacePerTest, shared);
  }

  /**
   * Returns a copy of this extension that isolates tests on a shared server by namespace instead of
   * emptying the mailbox: each test gets a namespace of its own ({@link MailsinkNamespace}), an
   * injected {@link Mailbox} is that namespace's mailbox, and mail the test sends to {@link
   * MailsinkNamespace#address(String)} lands there only. Nothing is cleared between tests and tests
   * of one server may run at the same time (JUnit's {@code
   * junit.jupiter.execution.parallel.mode.default=concurrent} or {@code @Execution(CONCURRENT)}).
   * Use it on a {@code static} field (one server for the class, or with {@link #shared()} for many
   * classes) without a plain {@code @MailsinkTest}, whose lock would run the methods one at a time
   * ({@code @MailsinkTest(namespacePerTest = true)} has none).
   *
   * <p>Fault rules added through {@link MailsinkNamespace#faults()} apply to the test's own mail
   * and are removed after it. The server's own fault rules ({@code sink.faults()}) and its session
   * log stay server-wide and are not reset between tests in this mode.
   */
  public MailsinkExtension namespacePerTest() {
    return new MailsinkExtension(
        config, remoteMailbox, remoteFaults, publishSystemProperties, declarative, true, shared);
  }

  /**
   * Returns a copy of this extension whose one server is shared by every test class that registers
   * this instance (keep it in a constant of a common base class or holder and register that
   * constant): started before the first such class, closed at the end of the test run. Combine it
   * with {@link #namespacePerTest()} so that the tests of all these classes can run at once;
   * without namespaces the mailbox is emptied before each test, and a test that starts while
   * another one uses the server fails with an explanation.
   *
   * <pre>{@code
   * final class Mail {
   *   static final MailsinkExtension SHARED =
   *       MailsinkExtension.with(MailsinkConfig.defaults()).namespacePerTest().shared();
   * }
   * class SignupTest {
   *   @RegisterExtension static MailsinkExtension mail = Mail.SHARED;
   * }
   * }</pre>
   */
  public MailsinkExtension shared() {
    return new MailsinkExtension(
        config,
        remoteMailbox,
        remoteFaults,
        publishSystemProperties,
        declarative,
        namespacePerTest,
        true);
  }

  /**
   * Starts the per-class server (or joins the shared one), unless an enclosing class's server is to
   * be shared. Called by JUnit.
   *
   * @throws ExtensionConfigurationException if two Mailsink extensions are registered on the same
   *     class
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    if (declarative && classDeclaresOwnRegistration(context)) {
      return;
    }
    Serving nearest = nearest(context);
    if (nearest != null && (nearest.registration() == this || declarative)) {
      return;
    }
    if (nearest != null && nearest.contextId().equals(context.getUniqueId())) {
      throw twoRegistrations(context);
    }
    serve(context, "class " + context.getRequiredTestClass().getName());
  }

  /**
   * Gives the test its namespace, or empties the mailbox of the shared server before the test, or
   * starts a server for this test alone when registered on an instance field. Called by JUnit.
   *
   * @throws ExtensionConfigurationException if another test uses the shared server right now
   *     (without namespaces)
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    Serving nearest = nearest(context);
    if (nearest != null && nearest.registration() == this) {
      beginTest(context, nearest, false);
      return;
    }
    if (declarative) {
      return;
    }
    if (nearest != null && nearest.contextId().equals(context.getUniqueId())) {
      throw twoRegistrations(context);
    }
    beginTest(context, serve(context, "test " + testName(context)), true);
  }

  /**
   * Removes the fault rules the test added to its namespace, and stops the server started for this
   * test, if any. Called by JUnit.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    SinkHandle.Lease lease = store.remove(this, SinkHandle.Lease.class);
    if (lease != null) {
      lease.close();
    }
    MailsinkNamespace namespace = store.remove(new TestNamespaceKey(this), MailsinkNamespace.class);
    if (namespace != null) {
      namespace.faults().clear();
    }
    stopOwnedAt(context);
  }

  /** Stops the per-class server, if this class started one. Called by JUnit. */
  @Override
  public void afterAll(ExtensionContext context) {
    stopOwnedAt(context);
  }

  /**
   * Supports parameters of type {@link Mailsink} (when this extension runs the server), {@link
   * Mailbox} (the test's namespace with {@link #namespacePerTest()}, otherwise the server's
   * mailbox) and, in a test with its own namespace, {@link MailsinkNamespace}, where this
   * registration's server applies.
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type != Mailsink.class && type != Mailbox.class && type != MailsinkNamespace.class) {
      return false;
    }
    Serving nearest = nearest(context);
    if (nearest == null || nearest.registration() != this) {
      return false;
    }
    if (type == Mailsink.class) {
      return nearest.handle() != null;
    }
    if (type == MailsinkNamespace.class || nearest.namespacePerTest()) {
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
    Serving nearest = nearest(context);
    if (type == MailsinkNamespace.class) {
      return testNamespace(context);
    }
    if (type == Mailbox.class) {
      return nearest.namespacePerTest() ? testNamespace(context).mailbox() : nearest.mailbox();
    }
    return nearest.handle().sink();
  }

  private MailsinkNamespace testNamespace(ExtensionContext context) {
    return context.getStore(NAMESPACE).get(new TestNamespaceKey(this), MailsinkNamespace.class);
  }

  private void beginTest(ExtensionContext context, Serving serving, boolean freshServer) {
    if (serving.namespacePerTest()) {
      context
          .getStore(NAMESPACE)
          .put(
              new TestNamespaceKey(this),
              MailsinkNamespace.create(serving.mailbox(), serving.faults(), serving.rule()));
    } else if (!freshServer) {
      context.getStore(NAMESPACE).put(this, serving.handle().beginTest(testName(context)));
    }
  }

  private Serving serve(ExtensionContext context, String scope) {
    boolean perTest = namespacePerTest;
    boolean perRun = shared;
    Object sharedKey = this;
    if (declarative) {
      MailsinkTest annotation =
          AnnotationSupport.findAnnotation(context.getRequiredTestClass(), MailsinkTest.class)
              .orElse(null);
      perTest = annotation != null && annotation.namespacePerTest();
      perRun = annotation != null && annotation.shared();
      sharedKey = SHARED_BY_ANNOTATION;
    }
    Serving serving;
    if (config == null) {
      serving =
          new Serving(
              this,
              context.getUniqueId(),
              null,
              remoteMailbox,
              remoteFaults,
              NamespaceRule.subAddress(),
              true);
    } else {
      SinkHandle handle;
      if (perRun) {
        ExtensionContext root = context.getRoot();
        handle =
            root.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                    sharedKey,
                    k ->
                        new SharedSink(
                            SinkHandle.start(
                                config,
                                root.getUniqueId(),
                                "the run's shared server",
                                publishSystemProperties)),
                    SharedSink.class)
                .handle();
      } else {
        handle = SinkHandle.start(config, context.getUniqueId(), scope, publishSystemProperties);
      }
      Mailsink sink = handle.sink();
      serving =
          new Serving(
              this,
              context.getUniqueId(),
              handle,
              sink.mailbox(),
              sink.faults(),
              sink.config().namespaceRule(),
              perTest);
    }
    context.getStore(NAMESPACE).put(SERVING, serving);
    return serving;
  }

  private void stopOwnedAt(ExtensionContext context) {
    Serving nearest = nearest(context);
    if (nearest != null
        && nearest.registration() == this
        && nearest.contextId().equals(context.getUniqueId())) {
      context.getStore(NAMESPACE).remove(SERVING);
      // a shared server belongs to the root context, whose store closes it at the end of the run
      if (nearest.handle() != null && nearest.handle().belongsTo(context.getUniqueId())) {
        nearest.handle().close();
      }
    }
  }

  private static Serving nearest(ExtensionContext context) {
    // The store looks in the enclosing contexts too, so @Nested classes and tests see the
    // server of the innermost context that has one.
    return context.getStore(NAMESPACE).get(SERVING, Serving.class);
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
        + (config == null ? "namespaces on " + remoteMailbox : config.toString())
        + (publishSystemProperties ? ", publishing system properties" : "")
        + (namespacePerTest && config != null ? ", a namespace per test" : "")
        + (shared && config != null ? ", shared" : "")
        + "}";
  }

  /** The store key of the namespace a registration gave a test. */
  private record TestNamespaceKey(MailsinkExtension registration) {}
}
