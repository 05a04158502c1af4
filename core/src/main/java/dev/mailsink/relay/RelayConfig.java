package dev.mailsink.relay;

import dev.mailsink.Credentials;
import dev.mailsink.syntax.Glob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The upstream SMTP server that captured mail may be released to, and the rules that govern it.
 * Immutable; build one with {@link #builder(String, int)} and give it to {@code
 * MailsinkConfig.builder().relay(...)}.
 *
 * <pre>{@code
 * RelayConfig relay = RelayConfig.builder("smtp.example.com", 587)
 *     .tls(RelayTls.STARTTLS)
 *     .credentials(Credentials.of("me@example.com", System.getenv("SMTP_PASSWORD")))
 *     .allowedRecipients("*@example.com")          // nothing else can ever leave
 *     .autoRelay(AutoRelayRule.recipients("qa-*@example.com"))
 *     .build();
 * }</pre>
 *
 * <p>The <b>allow list</b> is a safety net: a release to any recipient that matches none of its
 * patterns is refused before anything is sent, and the default list is empty, so nothing leaves
 * until it is configured. The password never appears in {@link #toString()}.
 */
public final class RelayConfig {

  /** Default connect, read and write timeout towards the upstream: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Default bound on releases waiting for an attempt or a retry: 1,000. */
  public static final int DEFAULT_MAX_PENDING_RELEASES = 1_000;

  private final String host;
  private final int port;
  private final RelayTls tls;
  private final RelayTrust trust;
  private final Credentials credentials;
  private final String envelopeSender;
  private final List<String> allowedRecipients;
  private final List<Glob> allowed;
  private final List<AutoRelayRule> autoRelay;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final String heloName;
  private final int maxPendingReleases;

  private RelayConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.tls = b.tls;
    this.trust = b.trust;
    this.credentials = b.credentials;
    this.envelopeSender = b.envelopeSender;
    this.allowedRecipients = b.allowedRecipients;
    this.allowed = b.allowedRecipients.stream().map(Glob::ofAddress).toList();
    this.autoRelay = b.autoRelay;
    this.retry = b.retry;
    this.timeout = b.timeout;
    this.heloName = b.heloName;
    this.maxPendingReleases = b.maxPendingReleases;
  }

  /**
   * Starts a configuration for the upstream at {@code host:port}, with STARTTLS required, system
   * trust, no AUTH, an empty allow list and the default retry policy.
   */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** Returns a builder initialised with this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder(host, port);
    b.tls = tls;
    b.trust = trust;
    b.credentials = credentials;
    b.envelopeSender = envelopeSender;
    b.allowedRecipients = allowedRecipients;
    b.autoRelay = autoRelay;
    b.retry = retry;
    b.timeout = timeout;
    b.heloName = heloName;
    b.maxPendingReleases = maxPendingReleases;
    return b;
  }

  /** The upstream host name or IP address. */
  public String host() {
    return host;
  }

  /** The upstream port. */
  public int port() {
    return port;
  }

  /** The upstream as {@code host:port}, as recorded in {@link RelayAttempt#upstream()}. */
  public String upstream() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** How the connection is secured. */
  public RelayTls tls() {
    return tls;
  }

  /** Which upstream certificates are trusted. */
  public RelayTrust trust() {
    return trust;
  }

  /** The AUTH credentials, or null to send without AUTH. */
  public Credentials credentials() {
    return credentials;
  }

  /**
   * The envelope sender (MAIL FROM) of every release, or null to keep each message's own; the empty
   * string sends the null sender {@code <>}.
   */
  public String envelopeSender() {
    return envelopeSender;
  }

  /** The allow list: the recipient patterns a release may send to; empty allows nothing. */
  public List<String> allowedRecipients() {
    return allowedRecipients;
  }

  /** Whether {@code recipient} matches a pattern of the allow list. */
  public boolean isAllowed(String recipient) {
    for (Glob g : allowed) {
      if (g.matches(recipient)) {
        return true;
      }
    }
    return false;
  }

  /** The auto-relay rules, in order; the first that matches a captured message relays it. */
  public List<AutoRelayRule> autoRelay() {
    return autoRelay;
  }

  /** When failed attempts are retried. */
  public RetryPolicy retry() {
    return retry;
  }

  /** The connect, read and write timeout towards the upstream. */
  public Duration timeout() {
    return timeout;
  }

  /** The name the relay gives in EHLO, or null for the sink's host name. */
  public String heloName() {
    return heloName;
  }

  /** The most releases that may wait for an attempt or a retry at once. */
  public int maxPendingReleases() {
    return maxPendingReleases;
  }

  @Override
  public String toString() {
    return "RelayConfig{"
        + upstream()
        + ", tls="
        + tls
        + ", trust="
        + trust
        + ", auth="
        + (credentials == null ? "none" : credentials.user() + " (password hidden)")
        + ", envelopeSender="
        + (envelopeSender == null ? "(each message's own)" : "<" + envelopeSender + ">")
        + ", allowedRecipients="
        + allowedRecipients
        + ", autoRelay="
        + autoRelay
        + ", retry="
        + retry
        + ", timeout="
        + timeout
        + "}";
  }

  /** Builds a {@link RelayConfig}; not thread-safe. Validation happens in {@link #build()}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private RelayTls tls = RelayTls.STARTTLS;
    private RelayTrust trust = RelayTrust.system();
    private Credentials credentials;
    private String envelopeSender;
    private List<String> allowedRecipients = List.of();
    private List<AutoRelayRule> autoRelay = List.of();
    private RetryPolicy retry = RetryPolicy.defaults();
    private Duration timeout = DEFAULT_TIMEOUT;
    private String heloName;
    private int maxPendingReleases = DEFAULT_MAX_PENDING_RELEASES;

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host").strip();
      this.port = port;
    }

    /** Sets how the connection is secured (default {@link RelayTls#STARTTLS}, required). */
    public Builder tls(RelayTls tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** Sets which upstream certificates are trusted (default {@link RelayTrust#system()}). */
    public Builder trust(RelayTrust trust) {
      this.trust = Objects.requireNonNull(trust, "trust");
      return this;
    }

    /** Authenticates to the upstream with these credentials (PLAIN, LOGIN or what it offers). */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Sends every release with this envelope sender (MAIL FROM) instead of the message's own, e.g.
     * the address the upstream account may send as; {@code ""} sends the null sender {@code <>}.
     */
    public Builder envelopeSender(String address) {
      this.envelopeSender = Objects.requireNonNull(address, "envelopeSender").strip();
      return this;
    }

    /**
     * Sets the allow list (replacing any set before): the recipient patterns a release may send to,
     * {@code *} and {@code ?} wildcards, case-insensitive, e.g. {@code *@example.com}. Empty (the
     * default) allows nothing.
     */
    public Builder allowedRecipients(List<String> patterns) {
      List<String> list = new ArrayList<>();
      for (String p : Objects.requireNonNull(patterns, "allowedRecipients")) {
        Objects.requireNonNull(p, "allowed recipient pattern");
        if (p.isBlank()) {
          throw new IllegalArgumentException("an allowed recipient pattern must not be blank");
        }
        list.add(p.strip());
      }
      this.allowedRecipients = List.copyOf(list);
      return this;
    }

    /** Sets the allow list (replacing any set before); see {@link #allowedRecipients(List)}. */
    public Builder allowedRecipients(String... patterns) {
      return allowedRecipients(List.of(patterns));
    }

    /** Sets the auto-relay rules (replacing any set before), in order. */
    public Builder autoRelay(List<AutoRelayRule> rules) {
      this.autoRelay = List.copyOf(Objects.requireNonNull(rules, "autoRelay"));
      return this;
    }

    /** Sets the auto-relay rules (replacing any set before), in order. */
    public Builder autoRelay(AutoRelayRule... rules) {
      return autoRelay(List.of(rules));
    }

    /** Sets when failed attempts are retried (default {@link RetryPolicy#defaults()}). */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Sets the connect, read and write timeout towards the upstream (default 30 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets the name given in EHLO (default: the sink's host name). */
    public Builder heloName(String name) {
      this.heloName = Objects.requireNonNull(name, "heloName").strip();
      return this;
    }

    /** Sets how many releases may wait for an attempt or a retry at once (default 1,000). */
    public Builder maxPendingReleases(int releases) {
      this.maxPendingReleases = releases;
      return this;
    }

    /**
     * Validates the settings and builds the configuration.
     *
     * @throws IllegalArgumentException naming the wrong value and how to fix it
     */
    public RelayConfig build() {
      if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "relay host must be a host name or IP address without spaces, was '" + host + "'");
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("relay port must be between 1 and 65535, was " + port);
      }
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "relay timeout must be positive and at most "
                + Duration.ofMillis(Integer.MAX_VALUE)
                + ", was "
                + timeout);
      }
      if (maxPendingReleases <= 0) {
        throw new IllegalArgumentException(
            "maxPendingReleases must be > 0, was " + maxPendingReleases);
      }
      if (envelopeSender != null
          && (envelopeSender.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>'))) {
        throw new IllegalArgumentException(
            "envelopeSender must be an address without spaces or angle brackets (\"\" for <>),"
                + " was '"
                + envelopeSender
                + "'");
      }
      if (heloName != null
          && (heloName.isEmpty() || heloName.chars().anyMatch(Character::isWhitespace))) {
        throw new IllegalArgumentException(
            "heloName must be a name without spaces, was '" + heloName + "'");
      }
      RelayConfig config = new RelayConfig(this);
      if (!autoRelay.isEmpty() && allowedRecipients.isEmpty()) {
        throw new IllegalArgumentException(
            "auto-relay rules "
                + autoRelay
                + " can relay nothing while the allow list is empty; set"
                + " allowedRecipients(...) to the recipients that may receive mail");
      }
      for (AutoRelayRule rule : autoRelay) {
        for (String to : rule.redirectAddresses()) {
          if (!config.isAllowed(to)) {
            throw new IllegalArgumentException(
                "auto-relay rule "
                    + rule
                    + " redirects to "
                    + to
                    + ", which the allow list "
                    + allowedRecipients
                    + " refuses; add it to allowedRecipients(...)");
          }
        }
      }
      return config;
    }
  }
}
