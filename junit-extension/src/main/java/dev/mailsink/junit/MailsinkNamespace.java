package dev.mailsink.junit;

import dev.mailsink.Mailbox;
import dev.mailsink.NamespaceRule;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.junit.internal.TestNamespace;

/**
 * The namespace of the current test on a shared server (see {@link
 * MailsinkExtension#namespacePerTest()}, {@link MailsinkTest#namespacePerTest()} and {@link
 * MailsinkExtension#namespacesOn(Mailbox, FaultRules)}): its name, the addresses that land in it,
 * its mailbox and its fault rules. Inject it into a test method, or inject {@link Mailbox} for the
 * mailbox alone.
 *
 * <pre>{@code
 * @Test
 * void sendsWelcomeMail(MailsinkNamespace ns) {
 *   app.sendWelcomeMail(ns.address("alice"));          // alice+<name>@example.test
 *   assertThat(ns.mailbox()).receivedExactly(1).withSubject("Welcome");
 * }
 * }</pre>
 *
 * <p>The one requirement on the application under test: it sends the mail a test triggers to the
 * address the test gives it. Mail to any other address is in the server's root mailbox only.
 *
 * <p>Implementations are thread-safe.
 */
public interface MailsinkNamespace {
  /** The domain of {@link #address(String)}. */
  String DEFAULT_DOMAIN = "example.test";

  /**
   * Starts a namespace with a new name, unique in this JVM and unlikely to be used by another one
   * (a random part chosen once per JVM), on the server behind {@code mailbox} and {@code faults}.
   * What the JUnit extension does before each test; call it yourself to isolate work on a shared
   * server outside JUnit. Call {@code faults().clear()} when done, to remove its fault rules.
   *
   * @param mailbox the server's root mailbox (an in-process {@code Mailsink.mailbox()} or a remote
   *     one)
   * @param faults the server's fault rules
   * @param rule the server's namespace rule ({@code MailsinkConfig.namespaceRule()}; {@link
   *     NamespaceRule#subAddress()} for the Docker image)
   * @throws NullPointerException if an argument is null
   */
  static MailsinkNamespace create(Mailbox mailbox, FaultRules faults, NamespaceRule rule) {
    return TestNamespace.create(mailbox, faults, rule);
  }

  /** The namespace's name (lower case), e.g. for SMTP AUTH or a header under those rules. */
  String name();

  /** The mail of this namespace: what was sent to its addresses, and nothing else. */
  Mailbox mailbox();

  /**
   * The fault rules of this namespace: rules added here fire only for mail to this namespace's
   * addresses and are removed when the test ends ({@code clear()} removes them earlier). {@code
   * list()} and {@code events()} show this namespace's rules only.
   *
   * <p>A rule added here is the given rule with a recipient condition for this namespace (for the
   * sub-address rule {@code *+<name>@*}); so it must be at {@code RCPT}, {@code DATA} or {@code
   * END_OF_DATA}, where the recipients are known, and a recipient condition it already has must be
   * an address of this namespace ({@code Match.recipient(ns.address("bob"))}). {@code add} throws
   * {@link IllegalArgumentException} otherwise, and {@link IllegalStateException} under a namespace
   * rule that does not put the namespace into the recipient address ({@code authUser}, {@code
   * header}, {@code none}).
   */
  FaultRules faults();

  /** An address in this namespace at {@value #DEFAULT_DOMAIN}, e.g. {@code alice+<name>@...}. */
  String address(String local);

  /**
   * An address in this namespace by the server's {@link NamespaceRule}: {@code local+<name>@domain}
   * under the default rule.
   */
  String address(String local, String domain);
}
