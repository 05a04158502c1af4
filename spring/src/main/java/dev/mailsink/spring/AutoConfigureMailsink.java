package dev.mailsink.spring;

import dev.mailsink.TlsMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts an in-process {@link dev.mailsink.Mailsink} for a Spring test context and points Spring
 * Boot's mail settings at it before the context starts.
 *
 * <p>Put it on a {@code @SpringBootTest} class (or on an annotation of your own that carries it).
 * Before the application context is refreshed, a sink is started on a free loopback port and these
 * properties are added with the highest precedence:
 *
 * <ul>
 *   <li>{@code spring.mail.host}, {@code spring.mail.port} (and {@code mailsink.smtp.host}, {@code
 *       mailsink.smtp.port} for applications that configure mail themselves);
 *   <li>with {@link #startTls()} other than {@code OFF}: {@code
 *       spring.mail.properties.mail.smtp.starttls.enable=true}, {@code .starttls.required=true} for
 *       {@code REQUIRED}, and {@code spring.mail.properties.mail.smtp.ssl.trust=<host>} so that the
 *       sink's self-signed certificate is accepted for its host (no JVM-wide trust store is
 *       touched);
 *   <li>with {@link #auth()}: {@code spring.mail.username}, {@code spring.mail.password} and {@code
 *       spring.mail.properties.mail.smtp.auth=true}.
 * </ul>
 *
 * <p>The context gets these beans: {@code mailsink} ({@link dev.mailsink.Mailsink}), {@code
 * mailsinkMailbox} ({@link dev.mailsink.Mailbox}), {@code mailsinkFaults} ({@link
 * dev.mailsink.fault.FaultRules}) and {@code mailsinkSessions} ({@link
 * dev.mailsink.session.SessionLog}); inject them with {@code @Autowired} and assert with {@code
 * dev.mailsink.junit.MailsinkAssertions.assertThat(mailbox)}.
 *
 * <p><b>Context caching</b>: the attributes are part of the context's cache key. Test classes with
 * the same attributes (and otherwise the same configuration) share one cached context and so one
 * sink; different attributes give a different context with its own sink. The sink is closed when
 * its context is closed (by {@code @DirtiesContext}, eviction from the cache, or the end of the
 * JVM). Before each test method the mailbox is emptied and the fault rules are removed, so a test
 * sees only its own mail as long as the tests of one context run one at a time.
 *
 * <p><b>Parallel tests</b>: with {@link #namespacePerTest()} nothing is emptied; each test method
 * gets a namespace of its own on the context's sink instead, so test methods and classes that share
 * a cached context may run at once:
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureMailsink(namespacePerTest = true)
 * @Execution(ExecutionMode.CONCURRENT)
 * class SignupTest {
 *   @Autowired SignupService signups;
 *   @Autowired MailsinkNamespace ns;   // the current test's addresses
 *   @Autowired Mailbox mailbox;        // the current test's mail
 *
 *   @Test
 *   void sendsWelcomeMail() {
 *     signups.register(ns.address("alice"));
 *     assertThat(mailbox).receivedExactly(1).to(ns.address("alice"));
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureMailsink {

  /** Whether the sink offers STARTTLS on its SMTP port; by default it does not. */
  TlsMode startTls() default TlsMode.OFF;

  /**
   * SMTP AUTH credentials as {@code user:password}: when given, the sink requires AUTH and accepts
   * only these credentials, and they are published as {@code spring.mail.username} and {@code
   * spring.mail.password}. Empty (the default): no AUTH.
   */
  String auth() default "";

  /**
   * Whether to run the sink as a Docker container ({@code MailsinkContainer} of {@code
   * mailsink-testcontainers}, which must then be on the test classpath, with the image {@code
   * mailsink/mailsink:<version>}) instead of in-process. The container is started when the context
   * is built and stopped when it closes; the same properties are set, and the beans are {@code
   * mailsinkContainer} ({@code MailsinkContainer}), {@code mailsinkMailbox}, {@code mailsinkFaults}
   * and {@code mailsinkSessions} (remote, over the container's JSON API; there is no {@code
   * mailsink} bean). Default: in-process.
   */
  boolean container() default false;

  /**
   * Whether each test method gets a namespace of its own on the context's sink instead of an
   * emptied mailbox. Then, during a test method (from before its {@code @BeforeEach} methods to
   * after its {@code @AfterEach} methods, on the thread that runs it):
   *
   * <ul>
   *   <li>the {@code mailsinkNamespace} bean ({@link dev.mailsink.junit.MailsinkNamespace}) is the
   *       test's namespace: {@code ns.address("alice")} is an address whose mail lands there;
   *   <li>the {@code mailsinkMailbox} bean shows the test's namespace only, and fault rules added
   *       to the {@code mailsinkFaults} bean hit the test's mail only and are removed after it;
   *   <li>outside a test (e.g. in {@code @BeforeAll}, or on the application's own threads) the
   *       mailbox and fault-rule beans are the whole sink's, and the namespace bean fails.
   * </ul>
   *
   * <p>The one requirement on the application: it sends the mail a test triggers to the address the
   * test gives it (e.g. the user's address in a sign-up request). Mail to addresses the application
   * configures itself (an admin copy) lands in the sink's root mailbox only, which the {@code
   * mailsink} bean shows ({@code sink.mailbox()}).
   *
   * <p>Part of the context cache key: classes with and without namespaces do not share a sink, so
   * an emptying test never deletes a parallel test's mail. Default: {@code false}.
   */
  boolean namespacePerTest() default false;
}
