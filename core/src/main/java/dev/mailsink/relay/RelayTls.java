package dev.mailsink.relay;

/** How the relay secures its connection to the upstream server. */
public enum RelayTls {
  /** Plain SMTP, no TLS (e.g. a local test server on port 25 or 1025). */
  NONE,
  /**
   * STARTTLS, required: the relay sends nothing if the upstream does not offer it or the handshake
   * fails (the usual submission port 587).
   */
  STARTTLS,
  /** Implicit TLS from the first byte ("SMTPS", the usual port 465). */
  IMPLICIT
}
