package dev.mailsink.internal.reader;

import dev.mailsink.Credentials;
import dev.mailsink.Mailbox;
import dev.mailsink.ReaderAuth;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns a reader login (POP3 or IMAP: user, password, whether the connection uses TLS) into the
 * mailbox view it opens or the reason it is refused. Protocol-neutral; thread-safe.
 */
public final class ReaderAccess {
  private final ReaderAuth auth;
  private final Mailbox mailbox;

  /** Access to {@code mailbox} under {@code auth}. */
  public ReaderAccess(ReaderAuth auth, Mailbox mailbox) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
  }

  /** The settings in force. */
  public ReaderAuth auth() {
    return auth;
  }

  /** Whether a plain-text login may be tried on a connection with ({@code true}) or without TLS. */
  public boolean allowsPlaintext(boolean tls) {
    return tls || !auth.isTlsOnly();
  }

  /** Checks a plain-text login and opens the inbox it names. */
  public Result login(String user, String password, boolean tls) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!allowsPlaintext(tls)) {
      return new Refused(
          Refusal.TLS_REQUIRED,
          "plain-text login refused without TLS; use STLS/STARTTLS or the implicit-TLS port");
    }
    String name = user.strip();
    if (name.isEmpty()) {
      return new Refused(Refusal.BAD_CREDENTIALS, "empty login name");
    }
    if (!auth.acceptsAnyPassword() && !matches(name, password)) {
      return new Refused(Refusal.BAD_CREDENTIALS, "wrong user name or password");
    }
    boolean catchAll = auth.catchAll().map(c -> c.equalsIgnoreCase(name)).orElse(false);
    return new Granted(name, catchAll ? mailbox : mailbox.forRecipient(name), catchAll);
  }

  private boolean matches(String user, String password) {
    boolean ok = false;
    for (Credentials c : auth.users()) {
      // constant-time compare of the password, so a test server is no timing oracle
      boolean same =
          c.user().toLowerCase(Locale.ROOT).equals(user.toLowerCase(Locale.ROOT))
              & MessageDigest.isEqual(
                  c.password().getBytes(StandardCharsets.UTF_8),
                  password.getBytes(StandardCharsets.UTF_8));
      ok |= same;
    }
    return ok;
  }

  /** Why a login is refused. */
  public enum Refusal {
    /** Plain-text logins need TLS first. */
    TLS_REQUIRED,
    /** Unknown user or wrong password. */
    BAD_CREDENTIALS
  }

  /** The outcome of a login. */
  public sealed interface Result permits Granted, Refused {}

  /**
   * A login accepted.
   *
   * @param user the login name as given (stripped)
   * @param mailbox the inbox of that recipient, or the whole mailbox for the catch-all
   * @param catchAll whether this is the catch-all login
   */
  public record Granted(String user, Mailbox mailbox, boolean catchAll) implements Result {}

  /**
   * A login refused.
   *
   * @param reason why
   * @param text a human-readable reason for the protocol reply
   */
  public record Refused(Refusal reason, String text) implements Result {}
}
