package dev.mailsink.internal.pop3;

import dev.mailsink.CapturedMessage;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.internal.reader.ReaderAccess;
import dev.mailsink.internal.reader.ReaderConnections;
import dev.mailsink.internal.reader.ReaderPorts;
import dev.mailsink.internal.smtp.SessionThreads;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;

/**
 * The POP3 listeners of one server: the plain port (with STLS when TLS is available) and the
 * implicit-TLS port, each optional. Sessions run on {@link SessionThreads} threads.
 */
public final class Pop3Server implements AutoCloseable {
  private final ReaderAccess access;
  private final SSLContext tls;
  private final ReaderConnections connections;
  private final int idleTimeoutMillis;
  private final String uidPrefix;
  private final ExecutorService executor;
  private ReaderPorts ports;

  private Pop3Server(
      MailsinkConfig config, ReaderAccess access, SSLContext tls, ReaderConnections connections) {
    this.access = access;
    this.tls = tls;
    this.connections = connections;
    this.idleTimeoutMillis = (int) config.readerIdleTimeout().toMillis();
    // UIDs must not repeat across server runs, or a client that leaves mail on the server would
    // take a new message 1 for the old one it already downloaded
    this.uidPrefix = Long.toString(System.currentTimeMillis(), 36) + ".";
    this.executor = SessionThreads.newExecutor("mailsink-pop3-");
  }

  /**
   * Binds the configured POP3 ports; returns null when both are off.
   *
   * @param tls the server TLS context, or null when TLS is off
   * @throws dev.mailsink.MailsinkException when a port cannot be bound
   */
  public static Pop3Server start(
      MailsinkConfig config, ReaderAccess access, SSLContext tls, ReaderConnections connections) {
    if (config.pop3Port() < 0 && config.pop3sPort() < 0) {
      return null;
    }
    Pop3Server server = new Pop3Server(config, access, tls, connections);
    try {
      server.ports =
          ReaderPorts.start(
              config.bindAddress(),
              "pop3",
              config.pop3Port(),
              config.pop3sPort(),
              tls,
              server.executor,
              connections,
              s -> new Pop3Session(server, connections, s));
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

  /** The UIDL of a message: stable for the server's life, unique across runs. */
  String uid(CapturedMessage message) {
    return uidPrefix + message.id();
  }

  /** The plain POP3 port actually bound, or -1. */
  public int port() {
    return ports.port();
  }

  /** The implicit-TLS POP3 port actually bound, or -1. */
  public int implicitTlsPort() {
    return ports.implicitTlsPort();
  }

  /** Stops accepting and ends the session threads; the sockets are closed by the registry. */
  @Override
  public void close() {
    if (ports != null) {
      ports.close();
    }
    executor.shutdownNow();
  }
}
