package dev.mailsink.internal.fault;

import dev.mailsink.CapturedMessage;
import java.util.List;

/**
 * What is known about an SMTP event when fault rules are consulted. Fields not known yet at a stage
 * are null (or empty).
 *
 * @param sessionId the SMTP session
 * @param clientAddress the client's IP address
 * @param authUser the authenticated user, or null
 * @param sender the envelope sender, or null before MAIL
 * @param recipient the recipient being added at RCPT, or null
 * @param recipients the recipients accepted so far
 * @param message the received message at END_OF_DATA, or null
 */
public record FaultContext(
    String sessionId,
    String clientAddress,
    String authUser,
    String sender,
    String recipient,
    List<String> recipients,
    CapturedMessage message) {}
