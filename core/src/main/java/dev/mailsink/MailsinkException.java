package dev.mailsink;

/**
 * A Mailsink server could not do what was asked, e.g. bind its port. The message says how to fix
 * it.
 */
public class MailsinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that says what went wrong and what to do. */
  public MailsinkException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with a message that says what went wrong and what to do. */
  public MailsinkException(String message) {
    super(message);
  }
}
