package dev.mailsink;

import dev.mailsink.fault.FaultRules;
import dev.mailsink.internal.fault.FaultEngine;
import dev.mailsink.internal.imap.ImapServer;
import dev.mailsink.internal.pop3.Pop3Server;
import dev.mailsink.internal.reader.ReaderAccess;
import dev.mailsink.internal.reader.ReaderConnections;
import dev.mailsink.internal.relay.Relay;
import dev.mailsink.internal.relay.ReleaseStore;
import dev.mailsink.internal.session.SessionStore;
import dev.mailsink.internal.smtp.SmtpEngine;
import dev.mailsink.internal.store.InMemoryMailbox;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseLog;
import dev.mailsink.relay.ReleaseRefusedException;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import dev.mailsink.spi.MessageHistory;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running fake SMTP server that captures every message in memory and delivers none.
 *
 * <pre>{@code
 * try (Mailsink sink = Mailsink.start()) {
 *   app.sendWelcomeMail(sink.smtpHost(), sink.smtpPort());
 *   CapturedMessage mail = sink.mailbox().await(1, Duration.ofSeconds(5)).get(0);
 * }
 * }</pre>
 *
 * <p>There are two states: {@link #start(MailsinkConfig)} returns a running server, and {@link
 * #close()} ends it for good. Methods other than {@link #close()}, {@link #isRunning()} and {@link
 * #toString()} throw {@link IllegalStateException} once closed. Instances are thread-safe.
 */
public final class Mailsink implements AutoCloseable {
  private final MailsinkConfig config;
  private final InMemoryMailbox mailbox;
  private final SessionStore sessions;
  private final ReleaseStore releases;
  private final Relay relay;
  private final FaultEngine faults;
  private final TlsMaterial tls;
  private final SmtpEngine smtp;
  private final String smtpHost;
  private final ReaderConnections readerConnections;
  private final Pop3Server pop3;
  private final ImapServer imap;
  private volatile boolean closed;

  private Mailsink(
      MailsinkConfig config,
      InMemoryMailbox mailbox,
      SessionStore sessions,
      ReleaseStore releases,
      Relay relay,
      FaultEngine faults,
      TlsMaterial tls,
      SmtpEngine smtp,
      ReaderConnections readerConnections,
      Pop3Server pop3,
      ImapServer imap) {
    this.readerConnections = readerConnections;
    this.pop3 = pop3;
    this.imap = imap;
    this.config = config;
    this.mailbox = mailbox;
    this.sessions = sessions;
    this.releases = releases;
    this.relay = relay;
    this.faults = faults;
    this.tls = tls;
    this.smtp = smtp;
    InetAddress bind = config.bindAddress();
    this.smtpHost =
        bind.isAnyLocalAddress()
            ? InetAddress.getLoopbackAddress().getHostAddress()
            : bind.getHostAddress();
  }

  /**
   * Starts a server with the default configuration: a free port on 127.0.0.1.
   *
   * @throws MailsinkException if the server cannot start
   */
  public static Mailsink start() {
    return start(MailsinkConfig.defaults());
  }

  /**
   * Starts a server; when this returns, it accepts connections.
   *
   * @throws IllegalArgumentException if the TLS keystore or PEM files cannot be read
   * @throws MailsinkException if the port cannot be bound (the message names the port and the fix)
   */
  public static Mailsink start(MailsinkConfig config) {
    Objects.requireNonNull(config, "config");
    warnIfRetentionExceedsHeap(config);
    SessionStore sessions =
        new SessionStore(config.retainedSessions(), config.retainedSessionBytes());
    ReleaseStore releases = new ReleaseStore();
    MessageHistory history =
        new MessageHistory() {
          @Override
          public Optional<Transcript> transcript(CapturedMessage message) {
            return sessions.findById(message.envelope().sessionId());
          }

          @Override
          public List<Release> releases(CapturedMessage message) {
            return releases.forMessage(message.id());
          }
        };
    InMemoryMailbox mailbox =
        new InMemoryMailbox(
            config.retainedMessages(),
            config.retainedBytes(),
            history,
            config.namespaceRule(),
            // before the client's 250: a reader told of the message finds its session scoped
            m -> sessions.stored(m.envelope().sessionId(), m.id(), m.namespace().orElse(null)));
    FaultEngine faults = new FaultEngine(config.faultRules());
    ServerTls serverTls =
        config.isTlsEnabled() ? ServerTls.create(config.tlsIdentity(), config.hostName()) : null;
    Relay relay =
        config.relay() == null ? null : new Relay(config.relay(), releases, config.hostName());
    if (relay != null && !config.relay().autoRelay().isEmpty()) {
      mailbox.subscribe(
          new MailboxListener() {
            @Override
            public void received(CapturedMessage message) {
              relay.offer(message);
            }
          });
    }
    SmtpEngine smtp;
    try {
      smtp =
          SmtpEngine.start(
              config,
              mailbox,
              faults,
              serverTls == null ? null : serverTls.serverContext(),
              config.recordSessions() ? sessions : null);
    } catch (RuntimeException e) {
      if (relay != null) {
        relay.close();
      }
      throw e;
    }
    ReaderConnections readerConnections = new ReaderConnections(config.readerMaxConnections());
    ReaderAccess readerAccess = new ReaderAccess(config.readerAuth(), mailbox);
    Pop3Server pop3 = null;
    ImapServer imap = null;
    try {
      pop3 =
          Pop3Server.start(
              config,
              readerAccess,
              serverTls == null ? null : serverTls.serverContext(),
              readerConnections);
      imap =
          ImapServer.start(
              config,
              readerAccess,
              serverTls == null ? null : serverTls.serverContext(),
              readerConnections,
              mailbox);
    } catch (RuntimeException e) {
      readerConnections.closeAll();
      if (pop3 != null) {
        pop3.close();
      }
      smtp.stop();
      if (relay != null) {
        relay.close();
      }
      throw e;
    }
    return new Mailsink(
        config,
        mailbox,
        sessions,
        releases,
        relay,
        faults,
        serverTls == null ? null : serverTls.material(),
        smtp,
        readerConnections,
        pop3,
        imap);
  }

  private static void warnIfRetentionExceedsHeap(MailsinkConfig config) {
    long heap = Runtime.getRuntime().maxMemory();
    // messages cost about 1.1x their size; leave the rest of the heap to the application
    if (heap != Long.MAX_VALUE && config.retainedBytes() > heap / 2) {
      System.getLogger(Mailsink.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "retainedBytes ({0} bytes) is more than half of the maximum heap ({1} bytes): a mail"
                  + " flood could exhaust memory; lower retainedBytes or raise -Xmx",
              config.retainedBytes(),
              heap);
    }
  }

  /** The configuration this server was started with. */
  public MailsinkConfig config() {
    return config;
  }

  /** The host a client on this machine should connect to, as an IP literal (e.g. 127.0.0.1). */
  public String smtpHost() {
    checkOpen("smtpHost()");
    return smtpHost;
  }

  /** The SMTP port, the one actually bound when the configuration asked for port 0. */
  public int smtpPort() {
    checkOpen("smtpPort()");
    return smtp.port();
  }

  /**
   * The implicit-TLS ("SMTPS") port actually bound.
   *
   * @throws IllegalStateException if no implicit-TLS port was configured
   */
  public int smtpsPort() {
    checkOpen("smtpsPort()");
    if (smtp.implicitTlsPort() < 0) {
      throw new IllegalStateException(
          "smtpsPort() called but implicit TLS is off; configure MailsinkConfig.builder().smtpsPort(0)");
    }
    return smtp.implicitTlsPort();
  }

  /** The POP3 port actually bound, or -1 when POP3 is off ({@link MailsinkConfig#pop3Port()}). */
  public int pop3Port() {
    checkOpen("pop3Port()");
    return pop3 == null ? -1 : pop3.port();
  }

  /** The implicit-TLS POP3 ("POP3S") port actually bound, or -1 when it is off. */
  public int pop3sPort() {
    checkOpen("pop3sPort()");
    return pop3 == null ? -1 : pop3.implicitTlsPort();
  }

  /** The IMAP port actually bound, or -1 when IMAP is off. */
  public int imapPort() {
    checkOpen("imapPort()");
    return imap == null ? -1 : imap.port();
  }

  /** The implicit-TLS IMAP ("IMAPS") port actually bound, or -1 when it is off. */
  public int imapsPort() {
    checkOpen("imapsPort()");
    return imap == null ? -1 : imap.implicitTlsPort();
  }

  /**
   * What clients need to trust this server's certificate: PEM text, a trust store, an SSLContext.
   *
   * @throws IllegalStateException if TLS is off (neither STARTTLS nor an implicit-TLS port)
   */
  public TlsMaterial tls() {
    if (tls == null) {
      throw new IllegalStateException(
          "tls() called but TLS is off; configure startTls(TlsMode.OPTIONAL) or smtpsPort(0)");
    }
    return tls;
  }

  /**
   * The fault rules: add rules to make the server misbehave on purpose, list them with their hit
   * counts, and read the faults that fired. Changes apply from the next SMTP command.
   */
  public FaultRules faults() {
    return faults;
  }

  /** The captured mail. It stays readable after {@link #close()}. */
  public Mailbox mailbox() {
    return mailbox;
  }

  /**
   * The transcripts of the SMTP sessions this server served, open and ended, including those that
   * delivered no message (refused, dropped, greylisted); empty when {@link
   * MailsinkConfig#recordSessions()} is off. It stays readable after {@link #close()}.
   */
  public SessionLog sessions() {
    return sessions;
  }

  /**
   * Releases a captured message to the configured upstream server: sends its bytes as captured
   * (after a {@code Received:} trace header, see {@link dev.mailsink.relay}) to these recipients,
   * asynchronously, retrying 4xx replies and broken connections as {@link
   * dev.mailsink.relay.RelayConfig#retry()} says. The message stays in the sink; every attempt is
   * recorded in {@link CapturedMessage#releases()} and {@link #releases()}.
   *
   * <pre>{@code
   * Release done = sink.release(message, "me@example.com").get(30, TimeUnit.SECONDS);
   * assertThat(done.status()).isEqualTo(Release.Status.DELIVERED);
   * }</pre>
   *
   * @param recipients the envelope recipients of the release, each allowed by {@link
   *     dev.mailsink.relay.RelayConfig#allowedRecipients()}
   * @return completes with the release once it is done (delivered, partially delivered or failed;
   *     an upstream failure is a result, not an exception)
   * @throws ReleaseRefusedException before anything is sent, when no relay is configured, a
   *     recipient is outside the allow list, or too many releases are pending
   * @throws IllegalArgumentException if no recipient is given
   * @throws IllegalStateException if the sink is closed
   */
  public CompletableFuture<Release> release(CapturedMessage message, String... recipients) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(recipients, "recipients");
    checkOpen("release()");
    if (relay == null) {
      throw new ReleaseRefusedException(
          ReleaseRefusedException.Reason.NOT_CONFIGURED,
          "release() called but no relay is configured; set"
              + " MailsinkConfig.builder().relay(RelayConfig.builder(host, port)...build())"
              + " (--relay-host, MAILSINK_RELAY_HOST)",
          List.of());
    }
    return relay.release(message, List.of(recipients), "manual");
  }

  /**
   * The releases of this server, on demand and by auto-relay, pending and done. It stays readable
   * after {@link #close()}.
   */
  public ReleaseLog releases() {
    return releases;
  }

  /** How many SMTP connections are open now. */
  public int openConnections() {
    checkOpen("openConnections()");
    return smtp.openConnections();
  }

  /** Whether the server is running, i.e. not yet closed. */
  public boolean isRunning() {
    return !closed;
  }

  /**
   * Stops the server: stops accepting, closes every connection (transactions in flight are not
   * stored) and releases the port; releases still pending end as failed (an attempt under way is
   * abandoned; the messages stay in the mailbox). Idempotent; returns quickly even with clients
   * connected.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    readerConnections.closeAll();
    if (pop3 != null) {
      pop3.close();
    }
    if (imap != null) {
      imap.close();
    }
    try {
      smtp.stop();
    } finally {
      if (relay != null) {
        relay.close();
      }
    }
  }

  private void checkOpen(String method) {
    if (closed) {
      throw new IllegalStateException(method + " called on a closed Mailsink; start a new one");
    }
  }

  @Override
  public String toString() {
    if (closed) {
      return "Mailsink{closed}";
    }
    String smtps =
        smtp.implicitTlsPort() < 0 ? "" : ", smtps=" + smtpHost + ":" + smtp.implicitTlsPort();
    return "Mailsink{smtp=" + smtpHost + ":" + smtp.port() + smtps + ", running}";
  }
}
