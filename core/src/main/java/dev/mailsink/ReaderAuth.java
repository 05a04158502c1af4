package dev.mailsink;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How POP3 and IMAP readers log in. The login name is the recipient address whose inbox is opened
 * ({@link Mailbox#forRecipient(String)}). By default any password is accepted; with {@link
 * #users(Credentials...)} only the configured user names and passwords are. An optional catch-all
 * login name opens the whole mailbox instead of one inbox. With {@link #tlsOnly()} plain-text
 * logins (POP3 USER/PASS and AUTH PLAIN, IMAP LOGIN and AUTHENTICATE PLAIN) are refused until the
 * connection uses TLS (STLS/STARTTLS or an implicit-TLS port).
 *
 * <pre>{@code
 * ReaderAuth auth = ReaderAuth.users(Credentials.of("alice@example.com", "secret"))
 *     .withCatchAll("all@mailsink").tlsOnly();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ReaderAuth {
  private static final ReaderAuth ANY = new ReaderAuth(List.of(), null, false);

  private final List<Credentials> users;
  private final String catchAll;
  private final boolean tlsOnly;

  private ReaderAuth(List<Credentials> users, String catchAll, boolean tlsOnly) {
    this.users = List.copyOf(users);
    this.catchAll = catchAll;
    this.tlsOnly = tlsOnly;
  }

  /** Any login name with any password; no catch-all; plain-text logins allowed. The default. */
  public static ReaderAuth anyPassword() {
    return ANY;
  }

  /**
   * Only these user names (recipient addresses, compared without regard to case) with these
   * passwords may log in.
   *
   * @throws IllegalArgumentException if no user is given or a user name appears twice
   */
  public static ReaderAuth users(Credentials... users) {
    return users(List.of(users));
  }

  /**
   * Only these user names with these passwords may log in.
   *
   * @throws IllegalArgumentException if the list is empty or a user name appears twice
   */
  public static ReaderAuth users(List<Credentials> users) {
    Objects.requireNonNull(users, "users");
    if (users.isEmpty()) {
      throw new IllegalArgumentException(
          "users must name at least one user:password; use ReaderAuth.anyPassword() for any");
    }
    long distinct =
        users.stream().map(c -> c.user().toLowerCase(java.util.Locale.ROOT)).distinct().count();
    if (distinct != users.size()) {
      throw new IllegalArgumentException("users must not name a user twice, was " + users);
    }
    return new ReaderAuth(users, null, false);
  }

  /**
   * Returns these settings with a catch-all login name: logging in as {@code login} opens every
   * message of the mailbox. Its password is checked like any other login (any password, or an entry
   * in {@link #users()}).
   *
   * @throws IllegalArgumentException if the name is blank or contains white space
   */
  public ReaderAuth withCatchAll(String login) {
    Objects.requireNonNull(login, "catchAll");
    if (login.isBlank() || login.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "catch-all login must be a non-empty name without spaces, was '" + login + "'");
    }
    return new ReaderAuth(users, login, tlsOnly);
  }

  /** Returns these settings with plain-text logins refused on connections without TLS. */
  public ReaderAuth tlsOnly() {
    return new ReaderAuth(users, catchAll, true);
  }

  /** The accepted users; empty when any password is accepted. */
  public List<Credentials> users() {
    return users;
  }

  /** Whether any password is accepted (no users configured). */
  public boolean acceptsAnyPassword() {
    return users.isEmpty();
  }

  /** The catch-all login name, if one is configured. */
  public Optional<String> catchAll() {
    return Optional.ofNullable(catchAll);
  }

  /** Whether plain-text logins are refused without TLS. */
  public boolean isTlsOnly() {
    return tlsOnly;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReaderAuth r
        && r.users.equals(users)
        && Objects.equals(r.catchAll, catchAll)
        && r.tlsOnly == tlsOnly;
  }

  @Override
  public int hashCode() {
    return Objects.hash(users, catchAll, tlsOnly);
  }

  @Override
  public String toString() {
    return "ReaderAuth{"
        + (users.isEmpty()
            ? "any password"
            : "users=" + users.stream().map(Credentials::user).toList())
        + (catchAll == null ? "" : ", catchAll=" + catchAll)
        + (tlsOnly ? ", tls only" : "")
        + "}";
  }
}
