package dev.mailsink.internal.imap;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.internal.reader.ReaderAccess;
import dev.mailsink.internal.reader.ReaderConnections;
import dev.mailsink.internal.reader.ReaderPorts;
import dev.mailsink.internal.smtp.SessionThreads;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;

/**
 * The IMAP listeners of one server: the plain port (with STARTTLS when TLS is available) and the
 * implicit-TLS port, each optional. Holds what the sessions share: the flags of every login, the
 * UIDVALIDITY, and the open sessions, which it wakes when the mailbox changes (IDLE, untagged
 * EXISTS/EXPUNGE).
 */
public final class ImapServer implements AutoCloseable {
  /**
   * The largest literal accepted. There is no APPEND, so literals only carry login names, passwords
   * and search strings.
   */
  static final int MAX_LITERAL_BYTES = 64 * 1024;

  private final ReaderAccess access;
  private final SSLContext tls;
  private final ReaderConnections connections;
  private final int idleTimeoutMillis;
  private final ExecutorService executor;
  private final Flags flags = new Flags();
  private final long uidValidity;
  private final Set<ImapSession> sessions = ConcurrentHashMap.newKeySet();
  private final Mailbox.Subscription subscription;
  private ReaderPorts ports;

  private ImapServer(
      MailsinkConfig config,
      ReaderAccess access,
      SSLContext tls,
      ReaderConnections connections,
      Mailbox store) {
    this.access = access;
    this.tls = tls;
    this.connections = connections;
    this.idleTimeoutMillis = (int) config.readerIdleTimeout().toMillis();
    // UIDs are message ids, which restart at 1 with every server: a new UIDVALIDITY per start
    // tells a caching client that its old UIDs mean nothing here
    this.uidValidity = Math.max(1, (System.currentTimeMillis() / 1000) & 0xffffffffL);
    this.executor = SessionThreads.newExecutor("mailsink-imap-");
    this.subscription =
        store.subscribe(
            new MailboxListener() {
              @Override
              public void received(CapturedMessage message) {
                wakeAll();
              }

              @Override
              public void deleted(CapturedMessage message) {
                flags.forget(message.id());
                wakeAll();
              }

              @Override
              public void cleared() {
                flags.clear();
                wakeAll();
              }
            });
  }

  /**
   * Binds the configured IMAP ports; returns null when both are off.
   *
   * @param tls the server TLS context, or null when TLS is off
   * @param store the whole mailbox, whose changes the sessions hear of
   * @throws dev.mailsink.MailsinkException when a port cannot be bound
   */
  public static ImapServer start(
      MailsinkConfig config,
      ReaderAccess access,
      SSLContext tls,
      ReaderConnections connections,
      Mailbox store) {
    if (config.imapPort() < 0 && config.imapsPort() < 0) {
      return null;
    }
    ImapServer server = new ImapServer(config, access, tls, connections, store);
    try {
      server.ports =
          ReaderPorts.start(
              config.bindAddress(),
              "imap",
              config.imapPort(),
              config.imapsPort(),
              tls,
              server.executor,
              connections,
              s -> new ImapSession(server, connections, s));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  ReaderAccess access() {
    return access;
  }

  SSLContext tls() {
    return tls;
  }

  int idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  Flags flags() {
    return flags;
  }

  long uidValidity() {
    return uidValidity;
  }

  /** Runs a task on the session pool. */
  void execute(Runnable task) {
    executor.execute(task);
  }

  void opened(ImapSession session) {
    sessions.add(session);
  }

  void ended(ImapSession session) {
    sessions.remove(session);
  }

  /**
   * Lets every session look for changes. Called on mailbox events and by a session after its own
   * EXPUNGE: hiding a message in one recipient's inbox fires no event, yet the other sessions of
   * that login must report it.
   */
  void wakeAll() {
    for (ImapSession s : sessions) {
      s.wake();
    }
  }

  /** The plain IMAP port actually bound, or -1. */
  public int port() {
    return ports.port();
  }

  /** The implicit-TLS IMAP port actually bound, or -1. */
  public int implicitTlsPort() {
    return ports.implicitTlsPort();
  }

  /** Stops accepting and ends the session threads; the sockets are closed by the registry. */
  @Override
  public void close() {
    subscription.close();
    if (ports != null) {
      ports.close();
    }
    executor.shutdownNow();
  }
}
