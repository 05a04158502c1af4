package dev.mailsink.junit;

import dev.mailsink.junit.internal.MailsinkTestLocks;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs a Mailsink server for the annotated test class.
 *
 * <pre>{@code
 * @MailsinkTest
 * class WelcomeMailTest {
 *   @Test
 *   void sendsWelcomeMail(Mailsink sink) {
 *     app.sendWelcomeMail(sink.smtpHost(), sink.smtpPort(), "alice@example.com");
 *     assertThat(sink).receivedExactly(1).to("alice@example.com").withSubject("Welcome");
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>One server per test class, on a free port of 127.0.0.1, started before the first test and
 *       closed after the last. {@code @Nested} classes share it.
 *   <li>Before each test the mailbox is emptied and the fault rules are removed, so every test
 *       starts with no mail and a well-behaved server.
 *   <li>{@link dev.mailsink.Mailsink} can be injected into test methods, lifecycle methods
 *       ({@code @BeforeAll}, {@code @BeforeEach}, ...) and constructors.
 *   <li>Under JUnit's parallel execution, classes run at once, each with its own server; the test
 *       methods of one annotated class run one at a time, because they share its mailbox.
 * </ul>
 *
 * <p>Two attributes change that, for tests that run in parallel on one server:
 *
 * <pre>{@code
 * @MailsinkTest(shared = true, namespacePerTest = true)
 * class WelcomeMailTest {
 *   @Test
 *   void sendsWelcomeMail(MailsinkNamespace ns, Mailsink sink) {
 *     app.sendWelcomeMail(sink.smtpHost(), sink.smtpPort(), ns.address("alice"));
 *     assertThat(ns.mailbox()).receivedExactly(1).withSubject("Welcome");
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #namespacePerTest()}: nothing is emptied between tests; each test gets a namespace
 *       of its own ({@link MailsinkNamespace}, an injected {@link dev.mailsink.Mailbox} is its
 *       mailbox), and the class's methods may run at once.
 *   <li>{@link #shared()}: one server for the whole test run, shared by every class annotated with
 *       {@code shared = true} (and their {@code @Nested} classes), closed when the run ends.
 * </ul>
 *
 * <p>To configure the server (port, limits, TLS, AUTH), install fault rules for every test or
 * publish the server as system properties, register {@link
 * MailsinkExtension#with(dev.mailsink.MailsinkConfig)} on a {@code static} field; that field then
 * takes the place of the default server (and of these attributes, see {@link
 * MailsinkExtension#namespacePerTest()} and {@link MailsinkExtension#shared()}), and the
 * annotation, if kept, still keeps the class's test methods one at a time unless {@link
 * #namespacePerTest()} is set.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MailsinkExtension.class)
@ResourceLock(providers = MailsinkTestLocks.class)
public @interface MailsinkTest {

  /**
   * Whether each test gets a namespace of its own instead of an emptied mailbox: mail the test
   * sends to {@link MailsinkNamespace#address(String)} lands in its namespace only, fault rules it
   * adds through {@link MailsinkNamespace#faults()} apply to its mail only and are removed after
   * it, and the test methods of the class may run at once ({@code
   * junit.jupiter.execution.parallel.mode.default=concurrent}). The session log stays server-wide.
   * Default: {@code false}, tests take turns on an emptied mailbox.
   */
  boolean namespacePerTest() default false;

  /**
   * Whether the class uses the one server of the test run that every class annotated with {@code
   * shared = true} uses (started by the first such class, closed at the end of the run) instead of
   * a server of its own. With {@link #namespacePerTest()}, the tests of all these classes may run
   * at once; without it they take turns across the classes, each on an emptied mailbox. Default:
   * {@code false}, a server per class.
   */
  boolean shared() default false;
}
