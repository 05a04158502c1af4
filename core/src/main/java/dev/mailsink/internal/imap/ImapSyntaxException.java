package dev.mailsink.internal.imap;

/** A command that does not follow the IMAP grammar; answered with {@code BAD}. */
final class ImapSyntaxException extends Exception {
  ImapSyntaxException(String message) {
    super(message, null, false, false);
  }
}
