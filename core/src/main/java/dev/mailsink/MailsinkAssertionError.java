package dev.mailsink;

/**
 * An expectation about captured mail was not met, e.g. fewer messages arrived than awaited. The
 * message lists what did arrive.
 */
public class MailsinkAssertionError extends AssertionError {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a message that lists what was expected and what arrived. */
  public MailsinkAssertionError(String message) {
    super(message);
  }
}
