package dev.mailsink.junit;

import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import java.util.Objects;

/**
 * The namespace of the current test on a shared server (see {@link
 * MailsinkExtension#namespacePerTest()}): its name, the addresses that land in it, and its mailbox.
 * Inject it into a test method, or inject {@link Mailbox} for the mailbox alone.
 *
 * <pre>{@code
 * @Test
 * void sendsWelcomeMail(MailsinkNamespace ns) {
 *   app.sendWelcomeMail(ns.address("alice"));          // alice+<ns>@example.test
 *   assertThat(ns.mailbox()).receivedExactly(1).withSubject("Welcome");
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MailsinkNamespace {
  /** The domain of {@link #address(String)}. */
  public static final String DEFAULT_DOMAIN = "example.test";

  private final Mailsink sink;
  private final String name;

  MailsinkNamespace(Mailsink sink, String name) {
    this.sink = sink;
    this.name = name;
  }

  /** The namespace's name (lower case), e.g. for SMTP AUTH or a header under those rules. */
  public String name() {
    return name;
  }

  /** The mailbox of this namespace: the shared server's mail sent to this test only. */
  public Mailbox mailbox() {
    return sink.mailbox().namespace(name);
  }

  /** The shared server (its root mailbox sees every test's mail). */
  public Mailsink sink() {
    return sink;
  }

  /** An address in this namespace at {@value #DEFAULT_DOMAIN}, e.g. {@code alice+<name>@...}. */
  public String address(String local) {
    return address(local, DEFAULT_DOMAIN);
  }

  /**
   * An address in this namespace by the server's {@link dev.mailsink.NamespaceRule}: {@code
   * local+<name>@domain} under the default rule.
   */
  public String address(String local, String domain) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(domain, "domain");
    return sink.config().namespaceRule().address(name, local, domain);
  }

  @Override
  public String toString() {
    return "MailsinkNamespace{" + name + "}";
  }
}
