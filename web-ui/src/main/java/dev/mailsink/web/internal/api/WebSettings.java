package dev.mailsink.web.internal.api;

import java.util.List;
import java.util.Objects;

/**
 * What the public configuration tells the internals.
 *
 * @param version the Mailsink version shown by {@code /api/v1/info}
 * @param basicAuthUser the required user, or {@code null} without basic auth
 * @param basicAuthPassword the required password, or {@code null} without basic auth
 * @param corsOrigins the origins allowed by CORS; {@code *} for any; empty for none
 * @param loopbackOnly whether the listener is on a loopback address, so that requests naming
 *     another host (DNS rebinding) are refused
 */
public record WebSettings(
    String version,
    String basicAuthUser,
    String basicAuthPassword,
    List<String> corsOrigins,
    boolean loopbackOnly) {

  /** Validates and copies the components. */
  public WebSettings {
    Objects.requireNonNull(version, "version");
    corsOrigins = List.copyOf(corsOrigins);
    if ((basicAuthUser == null) != (basicAuthPassword == null)) {
      throw new IllegalArgumentException("basic auth needs both a user and a password");
    }
  }
}
