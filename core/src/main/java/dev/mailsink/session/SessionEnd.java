package dev.mailsink.session;

/** How an SMTP session ended. {@link Transcript#endDetail()} says more. */
public enum SessionEnd {
  /** The client sent QUIT and was answered 221. */
  QUIT,
  /**
   * The client closed or reset the connection without QUIT, possibly in the middle of a message
   * (the detail says so, with how many bytes of message data had arrived).
   */
  CLIENT_DISCONNECTED,
  /** The client stayed silent longer than the idle timeout and was answered 421 4.4.2. */
  IDLE_TIMEOUT,
  /** A fault rule ended the session: a disconnect, a 421 reply, a stall or a TLS failure. */
  FAULT,
  /** The TLS handshake (implicit TLS or after STARTTLS) failed. */
  TLS_FAILED,
  /**
   * The server closed the connection after a protocol error it cannot recover from, e.g. a line
   * longer than 998 characters, a bare CR or LF, or an I/O error; the detail holds its last reply.
   */
  PROTOCOL_ERROR,
  /** The connection was refused before the greeting, e.g. over the connection limit. */
  REFUSED,
  /** The server was closing and ended the session. */
  SERVER_CLOSING
}
