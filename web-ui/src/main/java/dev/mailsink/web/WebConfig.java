package dev.mailsink.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable configuration of a {@link MailsinkWebServer}. Build one with {@link #builder()}; the
 * defaults suit tests: a free port on 127.0.0.1, no authentication, no CORS.
 *
 * <p>Instances are thread-safe and may be reused for several servers.
 */
public final class WebConfig {
  private final InetAddress bindAddress;
  private final int httpPort;
  private final String basicAuthUser;
  private final String basicAuthPassword;
  private final List<String> corsOrigins;

  private WebConfig(Builder b) {
    this.bindAddress = b.bindAddress;
    this.httpPort = b.httpPort;
    this.basicAuthUser = b.basicAuthUser;
    this.basicAuthPassword = b.basicAuthPassword;
    this.corsOrigins = List.copyOf(b.corsOrigins);
  }

  /** Returns a builder holding every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the configuration with every default: a free port on 127.0.0.1, open, no CORS. */
  public static WebConfig defaults() {
    return builder().build();
  }

  /** Returns a builder initialised with this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bindAddress = bindAddress;
    b.httpPort = httpPort;
    b.basicAuthUser = basicAuthUser;
    b.basicAuthPassword = basicAuthPassword;
    b.corsOrigins.addAll(corsOrigins);
    return b;
  }

  /** The address the HTTP listener binds to; 127.0.0.1 unless set. */
  public InetAddress bindAddress() {
    return bindAddress;
  }

  /** The HTTP port; 0 (the default) means a free port, read it from {@link MailsinkWebServer}. */
  public int httpPort() {
    return httpPort;
  }

  /** The user name required by HTTP basic authentication, if it is enabled. */
  public Optional<String> basicAuthUser() {
    return Optional.ofNullable(basicAuthUser);
  }

  /** Whether the UI and the API (but not {@code /livez} and {@code /readyz}) need basic auth. */
  public boolean isBasicAuthEnabled() {
    return basicAuthUser != null;
  }

  String basicAuthPassword() {
    return basicAuthPassword;
  }

  /**
   * The origins allowed to call the API from a browser page on another origin (CORS), e.g. {@code
   * http://localhost:3000}; {@code *} allows any origin. Empty (the default) sends no CORS headers.
   */
  public List<String> corsOrigins() {
    return corsOrigins;
  }

  /** Shows every setting except the password. */
  @Override
  public String toString() {
    return "WebConfig{bind="
        + bindAddress.getHostAddress()
        + ", httpPort="
        + httpPort
        + ", basicAuth="
        + (basicAuthUser == null ? "off" : basicAuthUser + ":***")
        + ", corsOrigins="
        + corsOrigins
        + "}";
  }

  /** Builds a {@link WebConfig}; not thread-safe. Validation happens in {@link #build()}. */
  public static final class Builder {
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int httpPort = 0;
    private String basicAuthUser;
    private String basicAuthPassword;
    private final Set<String> corsOrigins = new LinkedHashSet<>();

    private Builder() {}

    /** Binds the HTTP listener to this address (default 127.0.0.1). */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "bindAddress");
      return this;
    }

    /**
     * Binds the HTTP listener to this address, given as an IP literal or host name such as {@code
     * 0.0.0.0}.
     *
     * @throws IllegalArgumentException if the address cannot be resolved
     */
    public Builder bindAddress(String address) {
      Objects.requireNonNull(address, "bindAddress");
      try {
        return bindAddress(InetAddress.getByName(address));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "bindAddress must be an IP address or resolvable host name, was " + address, e);
      }
    }

    /** Sets the HTTP port; 0 (the default) picks a free port at start. */
    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    /**
     * Requires HTTP basic authentication with these credentials for the UI and the API; the probes
     * {@code /livez} and {@code /readyz} stay open.
     */
    public Builder basicAuth(String user, String password) {
      this.basicAuthUser = Objects.requireNonNull(user, "user");
      this.basicAuthPassword = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Allows browser pages on these origins to call the API (CORS), replacing any set before. An
     * origin is {@code scheme://host[:port]}, e.g. {@code http://localhost:3000}, or {@code *} for
     * any origin. With none (the default) no CORS headers are sent.
     */
    public Builder corsOrigins(String... origins) {
      Objects.requireNonNull(origins, "origins");
      corsOrigins.clear();
      for (String o : origins) {
        corsOrigins.add(Objects.requireNonNull(o, "origin").strip());
      }
      return this;
    }

    /**
     * Validates the settings and builds the configuration.
     *
     * @throws IllegalArgumentException naming the wrong value and the accepted form
     */
    public WebConfig build() {
      if (httpPort < 0 || httpPort > 65_535) {
        throw new IllegalArgumentException(
            "httpPort must be between 0 and 65535 (0 = a free port), was " + httpPort);
      }
      if (basicAuthUser != null) {
        if (basicAuthUser.isEmpty() || basicAuthUser.contains(":")) {
          throw new IllegalArgumentException(
              "basic auth user must be non-empty and without ':', was '" + basicAuthUser + "'");
        }
        if (basicAuthPassword.isEmpty()) {
          throw new IllegalArgumentException("basic auth password must not be empty");
        }
      }
      List<String> bad = new ArrayList<>();
      for (String o : corsOrigins) {
        if (!o.equals("*") && !isOrigin(o)) {
          bad.add(o);
        }
      }
      if (!bad.isEmpty()) {
        throw new IllegalArgumentException(
            "corsOrigins must be scheme://host[:port] without a path (e.g. http://localhost:3000)"
                + " or *, was "
                + bad);
      }
      return new WebConfig(this);
    }

    private static boolean isOrigin(String origin) {
      try {
        URI uri = new URI(origin);
        return uri.getScheme() != null
            && uri.getHost() != null
            && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
            && uri.getRawQuery() == null
            && uri.getRawFragment() == null
            && uri.getRawUserInfo() == null;
      } catch (URISyntaxException e) {
        return false;
      }
    }
  }
}
