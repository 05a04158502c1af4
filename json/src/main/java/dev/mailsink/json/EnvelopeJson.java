package dev.mailsink.json;

import dev.mailsink.Envelope;
import java.util.List;

/**
 * The JSON form of an {@link Envelope}, as {@code /api/v1/messages} writes it inside every message
 * and summary and as the remote client reads it back. Field names are the API contract (checked
 * against {@code openapi.json} by a test); absent values are {@code null}.
 *
 * @param sender the MAIL FROM address; empty for the null sender
 * @param recipients every accepted RCPT TO address, in order
 * @param heloName the client's HELO/EHLO name
 * @param clientAddress the client's IP address
 * @param clientPort the client's TCP port
 * @param sessionId the SMTP session that carried the message
 * @param tlsProtocol the TLS protocol, or null without TLS
 * @param tlsCipher the TLS cipher suite, or null without TLS
 * @param authenticatedUser the AUTH user, or null without AUTH
 */
public record EnvelopeJson(
    String sender,
    List<String> recipients,
    String heloName,
    String clientAddress,
    int clientPort,
    String sessionId,
    String tlsProtocol,
    String tlsCipher,
    String authenticatedUser) {

  /** The JSON form of {@code e}. */
  public static EnvelopeJson of(Envelope e) {
    return new EnvelopeJson(
        e.sender(),
        e.recipients(),
        e.heloName(),
        e.clientAddress(),
        e.clientPort(),
        e.sessionId(),
        e.tlsProtocol(),
        e.tlsCipher(),
        e.authenticatedUser());
  }

  /**
   * The envelope this JSON describes; missing text fields read as empty.
   *
   * @throws IllegalArgumentException if it names no recipient
   */
  public Envelope toEnvelope() {
    return new Envelope(
        sender == null ? "" : sender,
        recipients == null ? List.of() : recipients,
        heloName == null ? "" : heloName,
        clientAddress == null ? "" : clientAddress,
        clientPort,
        sessionId == null ? "" : sessionId,
        tlsProtocol,
        tlsCipher,
        authenticatedUser);
  }
}
