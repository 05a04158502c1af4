package dev.mailsink.fault;

/** The point in an SMTP session where a fault rule is consulted, named after what it answers. */
public enum SmtpStage {
  /** A new connection, before the 220 greeting. */
  CONNECT,
  /** EHLO or HELO. */
  EHLO,
  /** STARTTLS, before the handshake. */
  STARTTLS,
  /** AUTH, before the exchange starts. */
  AUTH,
  /** MAIL FROM. */
  MAIL,
  /** Each RCPT TO. */
  RCPT,
  /** DATA (before 354) or the first BDAT chunk. */
  DATA,
  /**
   * The message has been fully received, before the final reply; a refused message is not stored.
   */
  END_OF_DATA,
  /** QUIT. */
  QUIT
}
