package dev.mailsink.fault;

import java.time.Instant;

/**
 * A fault rule fired: a record a test can assert on ("the client retried after the 451").
 *
 * @param ruleId the id of the rule that fired
 * @param stage where it fired
 * @param sessionId the SMTP session
 * @param clientAddress the client's IP address
 * @param at when it fired
 * @param outcome what the client saw, e.g. {@code 451 4.7.1 Greylisted, try again later} or {@code
 *     disconnect}
 */
public record FaultEvent(
    long ruleId,
    SmtpStage stage,
    String sessionId,
    String clientAddress,
    Instant at,
    String outcome) {}
