package dev.mailsink;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the SMTP client said around the message: the envelope sender and recipients, its EHLO name,
 * its address, and the TLS and AUTH facts of the session. Recipients include Bcc recipients, which
 * no header shows.
 *
 * @param sender the MAIL FROM address without angle brackets; empty for the null sender {@code <>}
 * @param recipients every accepted RCPT TO address, in the order given, without angle brackets
 * @param heloName the name the client gave in HELO or EHLO
 * @param clientAddress the client's IP address as a literal, e.g. {@code 127.0.0.1}
 * @param clientPort the client's TCP port
 * @param sessionId the SMTP session that carried the message (several messages may share one)
 * @param tlsProtocol the TLS protocol of the session, e.g. {@code TLSv1.3}, or {@code null} without
 *     TLS
 * @param tlsCipher the TLS cipher suite of the session, or {@code null} without TLS
 * @param authenticatedUser the user the client authenticated as, or {@code null} without AUTH
 */
public record Envelope(
    String sender,
    List<String> recipients,
    String heloName,
    String clientAddress,
    int clientPort,
    String sessionId,
    String tlsProtocol,
    String tlsCipher,
    String authenticatedUser) {

  /** Validates and copies the components. */
  public Envelope {
    Objects.requireNonNull(sender, "sender (use \"\" for the null sender)");
    recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("an envelope needs at least one recipient");
    }
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(sessionId, "sessionId");
  }

  /** Whether the sender was the null reverse-path {@code <>} (bounces, auto-replies). */
  public boolean isNullSender() {
    return sender.isEmpty();
  }

  /** Whether the message arrived over TLS (STARTTLS or implicit TLS). */
  public boolean isTls() {
    return tlsProtocol != null;
  }

  /** The authenticated user, if the client authenticated. */
  public Optional<String> authenticatedUserIfAny() {
    return Optional.ofNullable(authenticatedUser);
  }

  /**
   * Whether {@code address} is one of the envelope recipients, compared without regard to case
   * (servers virtually always treat local parts so, and DNS names are case-insensitive).
   */
  public boolean hasRecipient(String address) {
    for (String r : recipients) {
      if (Addresses.sameMailbox(r, address)) {
        return true;
      }
    }
    return false;
  }
}
