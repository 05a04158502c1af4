package dev.mailsink.junit;

import dev.mailsink.junit.internal.OneTestAtATimePerClass;
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
 * <p>The annotation has no attributes. To configure the server (port, limits, TLS, AUTH), install
 * fault rules for every test or publish the server as system properties, register {@link
 * MailsinkExtension#with(dev.mailsink.MailsinkConfig)} on a {@code static} field; that field then
 * takes the place of the default server, and the annotation, if kept, still keeps the class's test
 * methods one at a time.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MailsinkExtension.class)
@ResourceLock(providers = OneTestAtATimePerClass.class)
public @interface MailsinkTest {}
