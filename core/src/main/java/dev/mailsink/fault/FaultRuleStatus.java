package dev.mailsink.fault;

/**
 * An installed fault rule with its counters.
 *
 * @param id the id given when the rule was added
 * @param rule the rule
 * @param matches how many events matched it (whether or not it fired)
 * @param hits how many times it fired
 * @param active whether it can still fire ({@code false} once its {@code times} are used up)
 */
public record FaultRuleStatus(long id, FaultRule rule, long matches, long hits, boolean active) {}
