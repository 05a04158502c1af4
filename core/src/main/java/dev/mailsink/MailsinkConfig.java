package dev.mailsink;

import dev.mailsink.fault.FaultRule;
import dev.mailsink.relay.RelayConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Immutable configuration of a {@link Mailsink}. Build one with {@link #builder()}; every setting
 * has a default suited to tests (a free port on loopback, generous but bounded limits).
 *
 * <p>Instances are thread-safe and may be reused to start several sinks.
 */
public final class MailsinkConfig {

  /** Default maximum size of one message: 25 MiB. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 25L * 1024 * 1024;

  /** Default number of messages retained before the oldest are evicted: 10,000. */
  public static final int DEFAULT_RETAINED_MESSAGES = 10_000;

  /** Default total size of retained messages before the oldest are evicted: 512 MiB. */
  public static final long DEFAULT_RETAINED_BYTES = 512L * 1024 * 1024;

  /** Default maximum number of recipients in one transaction: 1,000. */
  public static final int DEFAULT_MAX_RECIPIENTS = 1_000;

  /** Default maximum number of concurrent SMTP connections: 1,000. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1_000;

  /** Default time a connection may stay silent before it is closed: 60 seconds. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Default time a POP3/IMAP connection may stay silent before it is closed: 10 minutes. */
  public static final Duration DEFAULT_READER_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** Default maximum number of concurrent POP3 and IMAP connections, all ports together: 100. */
  public static final int DEFAULT_READER_MAX_CONNECTIONS = 100;

  /** Default number of session transcripts retained before the oldest are evicted: 1,000. */
  public static final int DEFAULT_RETAINED_SESSIONS = 1_000;

  /** Default total size of retained session transcripts: 32 MiB. */
  public static final long DEFAULT_RETAINED_SESSION_BYTES = 32L * 1024 * 1024;

  private final InetAddress bindAddress;
  private final int smtpPort;
  private final String hostName;
  private final long maxMessageBytes;
  private final int maxRecipients;
  private final int maxConnections;
  private final Duration idleTimeout;
  private final int retainedMessages;
  private final long retainedBytes;
  private final Supplier<ExecutorService> connectionExecutor;
  private final TlsMode startTls;
  private final int smtpsPort;
  private final TlsIdentity tlsIdentity;
  private final AuthConfig auth;
  private final List<FaultRule> faultRules;
  private final boolean recordSessions;
  private final int retainedSessions;
  private final long retainedSessionBytes;
  private final RelayConfig relay;
  private final NamespaceRule namespaceRule;
  private final int pop3Port;
  private final int pop3sPort;
  private final int imapPort;
  private final int imapsPort;
  private final ReaderAuth readerAuth;
  private final Duration readerIdleTimeout;
  private final int readerMaxConnections;

  private MailsinkConfig(Builder b) {
    this.bindAddress = b.bindAddress;
    this.smtpPort = b.smtpPort;
    this.hostName = b.hostName;
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxRecipients = b.maxRecipients;
    this.maxConnections = b.maxConnections;
    this.idleTimeout = b.idleTimeout;
    this.retainedMessages = b.retainedMessages;
    this.retainedBytes = b.retainedBytes;
    this.connectionExecutor = b.connectionExecutor;
    this.startTls = b.startTls;
    this.smtpsPort = b.smtpsPort;
    this.tlsIdentity = b.tlsIdentity;
    this.auth = b.auth;
    this.faultRules = b.faultRules;
    this.recordSessions = b.recordSessions;
    this.retainedSessions = b.retainedSessions;
    this.retainedSessionBytes = b.retainedSessionBytes;
    this.relay = b.relay;
    this.namespaceRule = b.namespaceRule;
    this.pop3Port = b.pop3Port;
    this.pop3sPort = b.pop3sPort;
    this.imapPort = b.imapPort;
    this.imapsPort = b.imapsPort;
    this.readerAuth = b.readerAuth;
    this.readerIdleTimeout = b.readerIdleTimeout;
    this.readerMaxConnections = b.readerMaxConnections;
  }

  /** Returns a builder holding every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the configuration with every default: a free port on 127.0.0.1. */
  public static MailsinkConfig defaults() {
    return builder().build();
  }

  /** Returns a builder initialised with this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bindAddress = bindAddress;
    b.smtpPort = smtpPort;
    b.hostName = hostName;
    b.maxMessageBytes = maxMessageBytes;
    b.maxRecipients = maxRecipients;
    b.maxConnections = maxConnections;
    b.idleTimeout = idleTimeout;
    b.retainedMessages = retainedMessages;
    b.retainedBytes = retainedBytes;
    b.connectionExecutor = connectionExecutor;
    b.startTls = startTls;
    b.smtpsPort = smtpsPort;
    b.tlsIdentity = tlsIdentity;
    b.auth = auth;
    b.faultRules = faultRules;
    b.recordSessions = recordSessions;
    b.retainedSessions = retainedSessions;
    b.retainedSessionBytes = retainedSessionBytes;
    b.relay = relay;
    b.namespaceRule = namespaceRule;
    b.pop3Port = pop3Port;
    b.pop3sPort = pop3sPort;
    b.imapPort = imapPort;
    b.imapsPort = imapsPort;
    b.readerAuth = readerAuth;
    b.readerIdleTimeout = readerIdleTimeout;
    b.readerMaxConnections = readerMaxConnections;
    return b;
  }

  /** The address the SMTP listener binds to; 127.0.0.1 unless set. */
  public InetAddress bindAddress() {
    return bindAddress;
  }

  /**
   * The SMTP port; 0 means a free port chosen at start (read it from {@link Mailsink#smtpPort()}).
   */
  public int smtpPort() {
    return smtpPort;
  }

  /** The host name the server announces in its greeting and EHLO reply. */
  public String hostName() {
    return hostName;
  }

  /** The largest message accepted, in bytes, as received after dot-unstuffing. */
  public long maxMessageBytes() {
    return maxMessageBytes;
  }

  /** The most recipients accepted in one transaction; later RCPT commands get 452 4.5.3. */
  public int maxRecipients() {
    return maxRecipients;
  }

  /** The most concurrent SMTP connections; later ones are answered 421 4.7.0 and closed. */
  public int maxConnections() {
    return maxConnections;
  }

  /** How long a connection may stay silent before it is answered 421 4.4.2 and closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** How many messages the mailbox keeps before evicting the oldest. */
  public int retainedMessages() {
    return retainedMessages;
  }

  /** How many bytes of messages the mailbox keeps before evicting the oldest. */
  public long retainedBytes() {
    return retainedBytes;
  }

  /**
   * The factory of the executor whose threads accept SMTP connections and run their sessions, or
   * {@code null} for the default: virtual threads on Java 21 and later, a cached pool of daemon
   * platform threads on Java 17 to 20.
   */
  public Supplier<ExecutorService> connectionExecutor() {
    return connectionExecutor;
  }

  /** Whether the SMTP port offers STARTTLS; {@link TlsMode#OFF} unless set. */
  public TlsMode startTls() {
    return startTls;
  }

  /**
   * The implicit-TLS ("SMTPS") port: -1 when there is none (the default), 0 for a free port chosen
   * at start (read it from {@link Mailsink#smtpsPort()}).
   */
  public int smtpsPort() {
    return smtpsPort;
  }

  /** Where the TLS certificate comes from; a self-signed one generated at start unless set. */
  public TlsIdentity tlsIdentity() {
    return tlsIdentity;
  }

  /**
   * Whether TLS is used at all: SMTP STARTTLS offered, an implicit-TLS port configured, or a POP3
   * or IMAP port on (they offer STLS/STARTTLS).
   */
  public boolean isTlsEnabled() {
    return startTls != TlsMode.OFF
        || smtpsPort >= 0
        || pop3Port >= 0
        || pop3sPort >= 0
        || imapPort >= 0
        || imapsPort >= 0;
  }

  /**
   * The POP3 port: -1 when off (the default), 0 for a free port chosen at start (read it from
   * {@link Mailsink#pop3Port()}).
   */
  public int pop3Port() {
    return pop3Port;
  }

  /** The implicit-TLS POP3 ("POP3S") port: -1 when off (the default), 0 for a free port. */
  public int pop3sPort() {
    return pop3sPort;
  }

  /** The IMAP port: -1 when off (the default), 0 for a free port. */
  public int imapPort() {
    return imapPort;
  }

  /** The implicit-TLS IMAP ("IMAPS") port: -1 when off (the default), 0 for a free port. */
  public int imapsPort() {
    return imapsPort;
  }

  /** How POP3 and IMAP readers log in; {@link ReaderAuth#anyPassword()} unless set. */
  public ReaderAuth readerAuth() {
    return readerAuth;
  }

  /** How long a POP3 or IMAP connection may stay silent before it is closed. */
  public Duration readerIdleTimeout() {
    return readerIdleTimeout;
  }

  /** The most concurrent POP3 and IMAP connections, all reader ports together. */
  public int readerMaxConnections() {
    return readerMaxConnections;
  }

  /**
   * How captured messages get their namespace ({@link Mailbox#namespace(String)}); {@link
   * NamespaceRule#subAddress()} unless set.
   */
  public NamespaceRule namespaceRule() {
    return namespaceRule;
  }

  /** The SMTP AUTH settings; {@link AuthConfig#off()} unless set. */
  public AuthConfig auth() {
    return auth;
  }

  /**
   * The fault rules installed at start, in order; {@link dev.mailsink.fault.FaultRules#reset()}
   * goes back to them.
   */
  public List<FaultRule> faultRules() {
    return faultRules;
  }

  /**
   * Whether every SMTP session is recorded as a transcript ({@link Mailsink#sessions()}); true
   * unless set.
   */
  public boolean recordSessions() {
    return recordSessions;
  }

  /** How many session transcripts are retained before the oldest ended ones are evicted. */
  public int retainedSessions() {
    return retainedSessions;
  }

  /** How many bytes of ended session transcripts are retained before the oldest are evicted. */
  public long retainedSessionBytes() {
    return retainedSessionBytes;
  }

  /**
   * The upstream SMTP server that captured messages may be released to, or null when none is
   * configured (the default: nothing can leave the sink).
   */
  public RelayConfig relay() {
    return relay;
  }

  @Override
  public String toString() {
    return "MailsinkConfig{bind="
        + bindAddress.getHostAddress()
        + ", smtpPort="
        + smtpPort
        + ", hostName="
        + hostName
        + ", maxMessageBytes="
        + maxMessageBytes
        + ", maxRecipients="
        + maxRecipients
        + ", maxConnections="
        + maxConnections
        + ", idleTimeout="
        + idleTimeout
        + ", retainedMessages="
        + retainedMessages
        + ", retainedBytes="
        + retainedBytes
        + ", startTls="
        + startTls
        + ", smtpsPort="
        + smtpsPort
        + ", tls="
        + tlsIdentity
        + ", auth="
        + auth
        + ", faultRules="
        + faultRules.size()
        + ", recordSessions="
        + recordSessions
        + ", retainedSessions="
        + retainedSessions
        + ", retainedSessionBytes="
        + retainedSessionBytes
        + ", relay="
        + (relay == null ? "none" : relay)
        + ", namespaceRule="
        + namespaceRule
        + ", pop3Port="
        + pop3Port
        + ", pop3sPort="
        + pop3sPort
        + ", imapPort="
        + imapPort
        + ", imapsPort="
        + imapsPort
        + ", readerAuth="
        + readerAuth
        + "}";
  }

  /** Builds a {@link MailsinkConfig}; not thread-safe. Validation happens in {@link #build()}. */
  public static final class Builder {
    private InetAddress bindAddress = loopback();
    private int smtpPort = 0;
    private String hostName = "localhost";
    private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private int maxRecipients = DEFAULT_MAX_RECIPIENTS;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private int retainedMessages = DEFAULT_RETAINED_MESSAGES;
    private long retainedBytes = DEFAULT_RETAINED_BYTES;
    private Supplier<ExecutorService> connectionExecutor;
    private TlsMode startTls = TlsMode.OFF;
    private int smtpsPort = -1;
    private TlsIdentity tlsIdentity = TlsIdentity.selfSigned();
    private AuthConfig auth = AuthConfig.off();
    private List<FaultRule> faultRules = List.of();
    private boolean recordSessions = true;
    private int retainedSessions = DEFAULT_RETAINED_SESSIONS;
    private long retainedSessionBytes = DEFAULT_RETAINED_SESSION_BYTES;
    private RelayConfig relay;
    private NamespaceRule namespaceRule = NamespaceRule.subAddress();
    private int pop3Port = -1;
    private int pop3sPort = -1;
    private int imapPort = -1;
    private int imapsPort = -1;
    private ReaderAuth readerAuth = ReaderAuth.anyPassword();
    private Duration readerIdleTimeout = DEFAULT_READER_IDLE_TIMEOUT;
    private int readerMaxConnections = DEFAULT_READER_MAX_CONNECTIONS;

    private Builder() {}

    /**
     * Sets how captured messages get their namespace; {@link NamespaceRule#subAddress()} (the tag
     * after {@code +} in a recipient's local part) unless set.
     */
    public Builder namespaceRule(NamespaceRule rule) {
      this.namespaceRule = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * Opens a POP3 port (RFC 1939, with STLS and AUTH PLAIN) reading this sink's mailbox; 0 picks a
     * free port, -1 (the default) keeps it off.
     */
    public Builder pop3Port(int port) {
      this.pop3Port = port;
      return this;
    }

    /** Opens an implicit-TLS POP3 port ("POP3S", as on 995); 0 picks a free port, -1 is off. */
    public Builder pop3sPort(int port) {
      this.pop3sPort = port;
      return this;
    }

    /** Opens an IMAP port reading this sink's mailbox; 0 picks a free port, -1 (default) is off. */
    public Builder imapPort(int port) {
      this.imapPort = port;
      return this;
    }

    /** Opens an implicit-TLS IMAP port ("IMAPS", as on 993); 0 picks a free port, -1 is off. */
    public Builder imapsPort(int port) {
      this.imapsPort = port;
      return this;
    }

    /** Sets how POP3 and IMAP readers log in (default: any password, no catch-all). */
    public Builder readerAuth(ReaderAuth auth) {
      this.readerAuth = Objects.requireNonNull(auth, "readerAuth");
      return this;
    }

    /** Sets how long a POP3 or IMAP connection may stay silent before it is closed. */
    public Builder readerIdleTimeout(Duration timeout) {
      this.readerIdleTimeout = Objects.requireNonNull(timeout, "readerIdleTimeout");
      return this;
    }

    /** Sets the most concurrent POP3 and IMAP connections, all reader ports together. */
    public Builder readerMaxConnections(int connections) {
      this.readerMaxConnections = connections;
      return this;
    }

    /**
     * Sets the upstream SMTP server that captured messages may be released to ({@link
     * Mailsink#release}) and auto-relayed to; none unless set.
     */
    public Builder relay(RelayConfig relay) {
      this.relay = Objects.requireNonNull(relay, "relay");
      return this;
    }

    /**
     * Sets whether every SMTP session is recorded as a transcript (default true): commands and
     * replies with their times, TLS, AUTH with credentials redacted, faults that fired, message
     * data as a size, and how the session ended. Off, {@link Mailsink#sessions()} stays empty.
     */
    public Builder recordSessions(boolean record) {
      this.recordSessions = record;
      return this;
    }

    /** Sets how many session transcripts are retained before the oldest ended ones are evicted. */
    public Builder retainedSessions(int sessions) {
      this.retainedSessions = sessions;
      return this;
    }

    /**
     * Sets how many bytes of ended session transcripts are retained (estimated from their text).
     */
    public Builder retainedSessionBytes(long bytes) {
      this.retainedSessionBytes = bytes;
      return this;
    }

    /**
     * Installs these fault rules at start (replacing any set before), e.g. from a JSON file; more
     * can be added at run time through {@link Mailsink#faults()}.
     */
    public Builder faultRules(List<FaultRule> rules) {
      this.faultRules = List.copyOf(Objects.requireNonNull(rules, "faultRules"));
      return this;
    }

    /** Installs these fault rules at start (replacing any set before). */
    public Builder faultRules(FaultRule... rules) {
      return faultRules(List.of(rules));
    }

    /** Offers STARTTLS on the SMTP port: {@link TlsMode#OFF} (default), OPTIONAL or REQUIRED. */
    public Builder startTls(TlsMode mode) {
      this.startTls = Objects.requireNonNull(mode, "startTls");
      return this;
    }

    /**
     * Opens a second port speaking implicit TLS ("SMTPS", as on port 465) with the same mailbox,
     * limits and rules; 0 picks a free port. Off unless set.
     */
    public Builder smtpsPort(int port) {
      this.smtpsPort = port;
      return this;
    }

    /** Sets where the TLS certificate comes from (default: self-signed, generated at start). */
    public Builder tlsIdentity(TlsIdentity identity) {
      this.tlsIdentity = Objects.requireNonNull(identity, "tlsIdentity");
      return this;
    }

    /** Sets SMTP AUTH: off (default), optional or required, any credentials or given users. */
    public Builder auth(AuthConfig auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /** Binds the SMTP listener to this address (default 127.0.0.1). */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "bindAddress");
      return this;
    }

    /**
     * Binds the SMTP listener to this address, given as an IP literal or host name such as {@code
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

    /** Sets the SMTP port; 0 (the default) picks a free port at start. */
    public Builder smtpPort(int port) {
      this.smtpPort = port;
      return this;
    }

    /** Sets the host name announced in the greeting and the EHLO reply (default localhost). */
    public Builder hostName(String hostName) {
      this.hostName = Objects.requireNonNull(hostName, "hostName");
      return this;
    }

    /** Sets the largest accepted message in bytes; advertised as {@code SIZE} in EHLO. */
    public Builder maxMessageBytes(long bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /** Sets the most recipients accepted in one transaction. */
    public Builder maxRecipients(int recipients) {
      this.maxRecipients = recipients;
      return this;
    }

    /** Sets the most concurrent SMTP connections. */
    public Builder maxConnections(int connections) {
      this.maxConnections = connections;
      return this;
    }

    /** Sets how long a connection may stay silent before it is closed. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Objects.requireNonNull(timeout, "idleTimeout");
      return this;
    }

    /** Sets how many messages are retained before the oldest are evicted. */
    public Builder retainedMessages(int messages) {
      this.retainedMessages = messages;
      return this;
    }

    /** Sets how many bytes of messages are retained before the oldest are evicted. */
    public Builder retainedBytes(long bytes) {
      this.retainedBytes = bytes;
      return this;
    }

    /**
     * Supplies the executor whose threads accept SMTP connections and run their sessions (each
     * session on the thread that accepted it; a task serves one or more connections in turn);
     * called once per listener and start, and the executor is shut down when the sink closes. An
     * executor of n threads serves at most n sessions at once; further connections wait to be
     * accepted. Without one, sessions run on virtual threads on Java 21 and later and on a cached
     * pool of daemon platform threads before; pass {@code Executors::newCachedThreadPool} to keep
     * platform threads on Java 21+.
     */
    public Builder connectionExecutor(Supplier<ExecutorService> executorFactory) {
      this.connectionExecutor = Objects.requireNonNull(executorFactory, "connectionExecutor");
      return this;
    }

    /**
     * Validates the settings and builds the configuration.
     *
     * @throws IllegalArgumentException naming the wrong value and the accepted range
     */
    public MailsinkConfig build() {
      if (smtpPort < 0 || smtpPort > 65_535) {
        throw new IllegalArgumentException(
            "smtpPort must be between 0 and 65535 (0 = a free port), was " + smtpPort);
      }
      if (smtpsPort < -1 || smtpsPort > 65_535) {
        throw new IllegalArgumentException(
            "smtpsPort must be between 0 and 65535 (0 = a free port; -1 = none), was " + smtpsPort);
      }
      if (smtpsPort > 0 && smtpsPort == smtpPort) {
        throw new IllegalArgumentException(
            "smtpsPort must differ from smtpPort, both were " + smtpPort);
      }
      checkReaderPort("pop3Port", pop3Port);
      checkReaderPort("pop3sPort", pop3sPort);
      checkReaderPort("imapPort", imapPort);
      checkReaderPort("imapsPort", imapsPort);
      int[] ports = {smtpPort, smtpsPort, pop3Port, pop3sPort, imapPort, imapsPort};
      String[] names = {"smtpPort", "smtpsPort", "pop3Port", "pop3sPort", "imapPort", "imapsPort"};
      for (int i = 0; i < ports.length; i++) {
        for (int j = i + 1; j < ports.length; j++) {
          if (ports[i] > 0 && ports[i] == ports[j]) {
            throw new IllegalArgumentException(
                names[j] + " must differ from " + names[i] + ", both were " + ports[i]);
          }
        }
      }
      if (readerMaxConnections <= 0) {
        throw new IllegalArgumentException(
            "readerMaxConnections must be > 0, was " + readerMaxConnections);
      }
      if (readerIdleTimeout.isNegative()
          || readerIdleTimeout.isZero()
          || readerIdleTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "readerIdleTimeout must be positive and at most "
                + Duration.ofMillis(Integer.MAX_VALUE)
                + ", was "
                + readerIdleTimeout);
      }
      if (hostName.isBlank() || hostName.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "hostName must be a non-empty name without spaces, was '" + hostName + "'");
      }
      if (maxMessageBytes <= 0) {
        throw new IllegalArgumentException("maxMessageBytes must be > 0, was " + maxMessageBytes);
      }
      if (maxMessageBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "maxMessageBytes must be at most "
                + (Integer.MAX_VALUE - 8)
                + ", was "
                + maxMessageBytes);
      }
      if (maxRecipients <= 0) {
        throw new IllegalArgumentException("maxRecipients must be > 0, was " + maxRecipients);
      }
      if (maxConnections <= 0) {
        throw new IllegalArgumentException("maxConnections must be > 0, was " + maxConnections);
      }
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
      }
      if (idleTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "idleTimeout must be at most "
                + Duration.ofMillis(Integer.MAX_VALUE)
                + ", was "
                + idleTimeout);
      }
      if (retainedMessages <= 0) {
        throw new IllegalArgumentException("retainedMessages must be > 0, was " + retainedMessages);
      }
      if (retainedBytes < maxMessageBytes) {
        throw new IllegalArgumentException(
            "retainedBytes must be >= maxMessageBytes ("
                + maxMessageBytes
                + ") so that one message fits, was "
                + retainedBytes);
      }
      if (retainedSessions <= 0) {
        throw new IllegalArgumentException(
            "retainedSessions must be > 0 (use recordSessions(false) to record none), was "
                + retainedSessions);
      }
      if (retainedSessionBytes <= 0) {
        throw new IllegalArgumentException(
            "retainedSessionBytes must be > 0 (use recordSessions(false) to record none), was "
                + retainedSessionBytes);
      }
      return new MailsinkConfig(this);
    }

    private static void checkReaderPort(String name, int port) {
      if (port < -1 || port > 65_535) {
        throw new IllegalArgumentException(
            name + " must be between 0 and 65535 (0 = a free port; -1 = off), was " + port);
      }
    }

    private static InetAddress loopback() {
      return InetAddress.getLoopbackAddress();
    }
  }
}
