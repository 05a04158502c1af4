package dev.mailsink.junit.internal;

import dev.mailsink.Mailbox;
import dev.mailsink.NamespaceRule;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.junit.MailsinkNamespace;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The {@link MailsinkNamespace} behind {@link MailsinkNamespace#create}. Not API. */
public final class TestNamespace implements MailsinkNamespace {
  // Four random base-36 characters per JVM: a container reused across runs, or shared by forked
  // JVMs, keeps the mail of earlier runs, and their counters start at 1 too.
  private static final String RUN = runPrefix();
  private static final AtomicLong COUNTER = new AtomicLong();

  private final String name;
  private final Mailbox mailbox;
  private final NamespaceRule rule;
  private final NamespaceFaultRules faults;

  private TestNamespace(String name, Mailbox root, FaultRules faults, NamespaceRule rule) {
    this.name = name;
    this.mailbox = root.namespace(name);
    this.rule = rule;
    this.faults = new NamespaceFaultRules(faults, name, rule);
  }

  /** See {@link MailsinkNamespace#create}. */
  public static TestNamespace create(Mailbox root, FaultRules faults, NamespaceRule rule) {
    Objects.requireNonNull(root, "mailbox");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(rule, "rule");
    // letters and digits only: the name is also a DNS label under recipientSubdomain
    String name = "t" + RUN + Long.toString(COUNTER.incrementAndGet(), 36);
    return new TestNamespace(name, root, faults, rule);
  }

  private static String runPrefix() {
    String digits = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    return "0".repeat(4 - digits.length()) + digits.toLowerCase(Locale.ROOT);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Mailbox mailbox() {
    return mailbox;
  }

  @Override
  public FaultRules faults() {
    return faults;
  }

  @Override
  public String address(String local) {
    return address(local, DEFAULT_DOMAIN);
  }

  @Override
  public String address(String local, String domain) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(domain, "domain");
    return rule.address(name, local, domain);
  }

  @Override
  public String toString() {
    return "MailsinkNamespace{" + name + "}";
  }
}
