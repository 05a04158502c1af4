package dev.mailsink.junit.internal;

import dev.mailsink.NamespaceRule;
import dev.mailsink.fault.FaultEvent;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRuleStatus;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.syntax.Glob;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One namespace's view of a server's fault rules: each rule added gets a recipient condition for
 * the namespace, and only the rules added here are listed, removed and cleared.
 */
final class NamespaceFaultRules implements FaultRules {
  private static final Set<SmtpStage> RECIPIENT_STAGES =
      EnumSet.of(SmtpStage.RCPT, SmtpStage.DATA, SmtpStage.END_OF_DATA);

  private final FaultRules server;
  private final String namespace;
  // null when the namespace rule does not show the namespace in the recipient address
  private final String recipientGlob;
  private final Set<Long> ids = ConcurrentHashMap.newKeySet();

  NamespaceFaultRules(FaultRules server, String namespace, NamespaceRule rule) {
    this.server = server;
    this.namespace = namespace;
    String glob = rule.address(namespace, "*", "*");
    this.recipientGlob = glob.equals("*@*") ? null : glob;
  }

  @Override
  public long add(FaultRule rule) {
    long id = server.add(scoped(Objects.requireNonNull(rule, "rule")));
    ids.add(id);
    return id;
  }

  private FaultRule scoped(FaultRule rule) {
    if (recipientGlob == null) {
      throw new IllegalStateException(
          "Namespace "
              + namespace
              + " cannot restrict a fault rule to its mail: the server's namespace rule does not"
              + " put the namespace into the recipient address. Use NamespaceRule.subAddress()"
              + " or recipientSubdomain(...), or add the rule to the server's faults() with a"
              + " condition that matches this test's mail, and remove it when the test ends.");
    }
    if (!RECIPIENT_STAGES.contains(rule.stage())) {
      throw new IllegalArgumentException(
          "A fault rule of namespace "
              + namespace
              + " applies at RCPT, DATA or END_OF_DATA, where the recipients are known, not at "
              + rule.stage()
              + ". A rule at an earlier stage would hit every test's mail: add it to the server's"
              + " faults() and run such tests one at a time.");
    }
    Match match = rule.match();
    if (match.recipient() == null) {
      match = match.andRecipient(recipientGlob);
    } else if (!Glob.of(recipientGlob).matches(match.recipient())) {
      throw new IllegalArgumentException(
          "The recipient condition '"
              + match.recipient()
              + "' is outside namespace "
              + namespace
              + " ("
              + recipientGlob
              + "); use an address of the namespace, e.g. Match.recipient(ns.address(\"bob\")),"
              + " or no recipient condition for all of its mail.");
    }
    return new FaultRule(
        rule.stage(),
        match,
        rule.action(),
        rule.times(),
        rule.every(),
        rule.after(),
        rule.probability(),
        rule.seed());
  }

  @Override
  public boolean remove(long id) {
    // the id stays known, so events() still shows what the removed rule did
    return ids.contains(id) && server.remove(id);
  }

  /** Removes this namespace's rules from the server and forgets their events. */
  @Override
  public void clear() {
    for (Long id : ids) {
      server.remove(id);
    }
    ids.clear();
  }

  /** The same as {@link #clear()}: a namespace starts with no rules. */
  @Override
  public void reset() {
    clear();
  }

  @Override
  public List<FaultRuleStatus> list() {
    return server.list().stream().filter(s -> ids.contains(s.id())).toList();
  }

  @Override
  public List<FaultEvent> events() {
    return server.events().stream().filter(e -> ids.contains(e.ruleId())).toList();
  }

  @Override
  public String toString() {
    return "FaultRules{namespace " + namespace + ", " + ids.size() + " rules}";
  }
}
