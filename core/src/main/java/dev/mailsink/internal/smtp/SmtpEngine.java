package dev.mailsink.internal.smtp;

import dev.mailsink.MailsinkConfig;
import dev.mailsink.MailsinkException;
import dev.mailsink.internal.store.InMemoryMailbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.SMTPServer;

/**
 * One SMTP listener built on SubEthaSMTP and wired to a mailbox. A new {@link SMTPServer} and a new
 * executor are made per start, since SubEthaSMTP servers cannot be restarted.
 */
public final class SmtpEngine {
  /**
   * Java's default accept backlog of 50 makes the kernel drop SYNs at 64 concurrent connects, each
   * drop costing the client a one-second retransmit.
   */
  private static final int ACCEPT_BACKLOG = 1024;

  /** Head-room above our own limit so that SubEthaSMTP never refuses or blocks first. */
  private static final int SUBETHA_CONNECTION_HEADROOM = 64;

  private final SMTPServer server;
  private final SessionRegistry sessions;

  private SmtpEngine(SMTPServer server, SessionRegistry sessions) {
    this.server = server;
    this.sessions = sessions;
  }

  /**
   * Binds and starts a listener on the configured address and port.
   *
   * @throws MailsinkException if the port cannot be bound, saying which and how to fix it
   */
  public static SmtpEngine start(MailsinkConfig config, InMemoryMailbox mailbox) {
    SessionRegistry sessions = new SessionRegistry(config.maxConnections());
    ExecutorService executor =
        config.connectionExecutor() != null ? config.connectionExecutor().get() : defaultExecutor();
    SMTPServer server =
        SMTPServer.port(config.smtpPort())
            .bindAddress(config.bindAddress())
            .hostName(config.hostName())
            .softwareName("Mailsink")
            .backlog(ACCEPT_BACKLOG)
            .executorService(executor)
            .insertReceivedHeaders(false)
            .maxConnections(config.maxConnections() + SUBETHA_CONNECTION_HEADROOM)
            .maxRecipients(config.maxRecipients())
            .connectionTimeout((int) config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .messageHandlerFactory(context -> new Transaction())
            .sessionHandler(sessions)
            .serverSocketFactory(SessionSocket.Listener::new)
            .serverThreadName("mailsink-smtp-accept")
            .build();
    for (Command command : SmtpCommands.all(config, mailbox)) {
      server.getCommandHandler().addCommand(command);
    }
    try {
      server.start();
    } catch (RuntimeException e) {
      executor.shutdownNow();
      throw bindFailure(config, e);
    }
    return new SmtpEngine(server, sessions);
  }

  private static MailsinkException bindFailure(MailsinkConfig config, RuntimeException e) {
    String where = config.bindAddress().getHostAddress();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        if (config.smtpPort() == 0) {
          return new MailsinkException(
              "Cannot bind a free port on " + where + ": " + t.getMessage(), e);
        }
        return new MailsinkException(
            "Port "
                + config.smtpPort()
                + " on "
                + where
                + " is in use (or not allowed); use smtpPort(0) for a free port",
            e);
      }
    }
    Throwable cause = e.getCause() instanceof IOException ? e.getCause() : e;
    return new MailsinkException(
        "Cannot start SMTP on " + where + ":" + config.smtpPort() + ": " + cause.getMessage(), e);
  }

  private static ExecutorService defaultExecutor() {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "mailsink-smtp-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
  }

  /** The port actually bound. */
  public int port() {
    return server.getPortAllocated();
  }

  /** How many SMTP connections are open now. */
  public int openConnections() {
    return sessions.openSessions();
  }

  /**
   * Stops accepting, closes every open connection (a transaction in flight is dropped, not stored)
   * and waits for the session threads to end.
   */
  public void stop() {
    sessions.closeAll();
    try {
      server.stop();
    } catch (UncheckedIOException e) {
      // closing sockets that the peer already closed; nothing is left to release
    }
  }
}
