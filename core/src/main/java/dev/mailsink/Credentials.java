package dev.mailsink;

import java.util.Objects;

/**
 * A user name and password that the server accepts for SMTP AUTH.
 *
 * @param user the user name
 * @param password the password
 */
public record Credentials(String user, String password) {

  /** Validates the components. */
  public Credentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty()) {
      throw new IllegalArgumentException("user must not be empty");
    }
  }

  /** Returns credentials for {@code user} with {@code password}. */
  public static Credentials of(String user, String password) {
    return new Credentials(user, password);
  }

  /**
   * Parses {@code user:password} (the password may contain colons).
   *
   * @throws IllegalArgumentException if there is no colon or the user is empty
   */
  public static Credentials parse(String userColonPassword) {
    int colon = userColonPassword.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "credentials must be user:password, was '" + userColonPassword + "'");
    }
    return new Credentials(
        userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
  }

  /** Hides the password. */
  @Override
  public String toString() {
    return "Credentials{" + user + ":***}";
  }
}
