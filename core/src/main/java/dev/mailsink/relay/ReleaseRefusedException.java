package dev.mailsink.relay;

import dev.mailsink.MailsinkException;
import java.util.List;

/**
 * A release was refused before anything was sent: a recipient is outside the relay's allow list, or
 * no relay is configured, or too many releases are pending. The message says which and how to fix
 * it.
 */
public class ReleaseRefusedException extends MailsinkException {
  private static final long serialVersionUID = 1L;

  /** Why a release was refused. */
  public enum Reason {
    /** No upstream is configured ({@code MailsinkConfig.builder().relay(...)}). */
    NOT_CONFIGURED,
    /** A recipient matches no pattern of the allow list, or is not an address. */
    RECIPIENT_NOT_ALLOWED,
    /** The bound on pending releases is reached; try again once some are done. */
    TOO_MANY_PENDING
  }

  private final Reason reason;
  private final List<String> refusedRecipients;

  /** Creates the exception; {@code refusedRecipients} names the recipients refused, if any. */
  public ReleaseRefusedException(Reason reason, String message, List<String> refusedRecipients) {
    super(message);
    this.reason = reason;
    this.refusedRecipients = List.copyOf(refusedRecipients);
  }

  /** Why the release was refused. */
  public Reason reason() {
    return reason;
  }

  /** The recipients the allow list refused; empty for the other reasons. */
  public List<String> refusedRecipients() {
    return refusedRecipients;
  }
}
