package dev.mailsink.internal.imap;

import dev.mailsink.Mailbox;
import java.util.Objects;

/**
 * Decides an IMAP login (LOGIN or AUTHENTICATE PLAIN): which mailbox a user reads, or why not.
 * Called on the session's thread; must be thread-safe.
 */
@FunctionalInterface
public interface ImapLogin {

  /**
   * @param user the login name as the client sent it
   * @param password the password as the client sent it
   * @param tls whether the connection is protected by TLS (STARTTLS or implicit)
   * @return a success carrying the mailbox this login reads, or a failure with a reason
   */
  Result login(String user, String password, boolean tls);

  /**
   * The outcome of a login: a mailbox to read, or a reason for refusing. The reason is sent to the
   * client after {@code NO}.
   */
  record Result(Mailbox mailbox, String reason) {
    public Result {
      if ((mailbox == null) == (reason == null)) {
        throw new IllegalArgumentException("exactly one of mailbox and reason must be given");
      }
    }

    /** A login that reads {@code mailbox}. */
    public static Result success(Mailbox mailbox) {
      return new Result(Objects.requireNonNull(mailbox, "mailbox"), null);
    }

    /** A refused login; {@code reason} is shown to the client (one line, no CR/LF). */
    public static Result failure(String reason) {
      Objects.requireNonNull(reason, "reason");
      return new Result(null, reason.replaceAll("[\\r\\n]+", " "));
    }

    public boolean isSuccess() {
      return mailbox != null;
    }
  }
}
