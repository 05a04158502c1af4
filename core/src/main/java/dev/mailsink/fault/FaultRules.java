package dev.mailsink.fault;

import java.util.List;

/**
 * The fault rules of a running server. Changes take effect from the next SMTP command; all methods
 * are thread-safe.
 */
public interface FaultRules {

  /**
   * Installs a rule after the existing ones.
   *
   * @return the rule's id, for {@link #remove(long)} and in {@link FaultEvent#ruleId()}
   */
  long add(FaultRule rule);

  /**
   * Removes one rule.
   *
   * @return whether a rule with that id was installed
   */
  boolean remove(long id);

  /** Removes every rule and forgets the recorded events. */
  void clear();

  /**
   * Goes back to the rules the server started with ({@code MailsinkConfig.faultRules()}), with
   * fresh counters, and forgets the recorded events; what a test framework does between tests.
   */
  void reset();

  /** Returns the installed rules in order, with their counters. */
  List<FaultRuleStatus> list();

  /** Returns the faults that fired, oldest first (the most recent 10,000). */
  List<FaultEvent> events();
}
