package dev.mailsink;

import java.util.List;
import java.util.Objects;

/**
 * SMTP AUTH settings: off, optional or required; any credentials or only configured users.
 * Mechanisms offered: PLAIN, LOGIN and CRAM-MD5. Wrong credentials are answered {@code 535 5.7.8};
 * MAIL without AUTH when required {@code 530 5.7.0 Authentication required}. Immutable.
 */
public final class AuthConfig {
  private static final AuthConfig OFF = new AuthConfig(Mode.OFF, List.of(), false);

  private enum Mode {
    OFF,
    OPTIONAL,
    REQUIRED
  }

  private final Mode mode;
  private final List<Credentials> users;
  private final boolean plaintextOnlyAfterTls;

  private AuthConfig(Mode mode, List<Credentials> users, boolean plaintextOnlyAfterTls) {
    this.mode = mode;
    this.users = List.copyOf(users);
    this.plaintextOnlyAfterTls = plaintextOnlyAfterTls;
  }

  /** AUTH is not advertised; an AUTH command is refused. The default. */
  public static AuthConfig off() {
    return OFF;
  }

  /**
   * AUTH is advertised and optional. With no users given any credentials are accepted; otherwise
   * only these.
   */
  public static AuthConfig optional(Credentials... users) {
    return new AuthConfig(Mode.OPTIONAL, List.of(users), false);
  }

  /**
   * AUTH is required before MAIL. With no users given any credentials are accepted; otherwise only
   * these.
   */
  public static AuthConfig required(Credentials... users) {
    return new AuthConfig(Mode.REQUIRED, List.of(users), false);
  }

  /**
   * Returns these settings with the plaintext mechanisms (PLAIN, LOGIN) refused before TLS, with
   * {@code 538 5.7.11 Encryption required for requested authentication mechanism}.
   */
  public AuthConfig plaintextOnlyAfterTls() {
    return new AuthConfig(mode, users, true);
  }

  /** Whether AUTH is advertised and accepted. */
  public boolean isEnabled() {
    return mode != Mode.OFF;
  }

  /** Whether AUTH is required before MAIL. */
  public boolean isRequired() {
    return mode == Mode.REQUIRED;
  }

  /** The accepted users; empty when any credentials are accepted. */
  public List<Credentials> users() {
    return users;
  }

  /** Whether PLAIN and LOGIN are refused before TLS. */
  public boolean isPlaintextOnlyAfterTls() {
    return plaintextOnlyAfterTls;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthConfig a
        && a.mode == mode
        && a.users.equals(users)
        && a.plaintextOnlyAfterTls == plaintextOnlyAfterTls;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, users, plaintextOnlyAfterTls);
  }

  @Override
  public String toString() {
    return "AuthConfig{"
        + mode.name().toLowerCase(java.util.Locale.ROOT)
        + (users.isEmpty()
            ? ", any credentials"
            : ", users=" + users.stream().map(Credentials::user).toList())
        + (plaintextOnlyAfterTls ? ", plaintext only after TLS" : "")
        + "}";
  }
}
