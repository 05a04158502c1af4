package dev.mailsink.internal.smtp;

import dev.mailsink.MailsinkConfig;
import dev.mailsink.MailsinkException;
import dev.mailsink.internal.fault.FaultEngine;
import dev.mailsink.internal.session.SessionStore;
import dev.mailsink.internal.store.InMemoryMailbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.SessionIdFactory;
import org.subethamail.smtp.server.TimeBasedSessionIdFactory;

/**
 * The SMTP listeners of one server, built on SubEthaSMTP and wired to a mailbox and fault rules:
 * the plain port (with optional STARTTLS) and, when configured, an implicit-TLS port. A new {@link
 * SMTPServer} and a new executor are made per listener and start, since SubEthaSMTP servers cannot
 * be restarted and stopping one shuts its executor down.
 */
public final class SmtpEngine {
  /**
   * Java's default accept backlog of 50 makes the kernel drop SYNs at 64 concurrent connects, each
   * drop costing the client a one-second retransmit.
   */
  private static final int ACCEPT_BACKLOG = 1024;

  /** Head-room above our own limit so that SubEthaSMTP never refuses or blocks first. */
  private static final int SUBETHA_CONNECTION_HEADROOM = 64;

  private final SMTPServer plain;
  private final SMTPServer implicitTls;
  private final SmtpContext context;
  private final IdleWatch idleWatch;

  private SmtpEngine(
      SMTPServer plain, SMTPServer implicitTls, SmtpContext context, IdleWatch idleWatch) {
    this.plain = plain;
    this.implicitTls = implicitTls;
    this.context = context;
    this.idleWatch = idleWatch;
  }

  /**
   * Binds and starts the listeners.
   *
   * @param tls the server's TLS context, or null when neither STARTTLS nor implicit TLS is on
   * @param transcripts where session transcripts go, or null when sessions are not recorded
   * @throws MailsinkException if a port cannot be bound, saying which and how to fix it
   */
  public static SmtpEngine start(
      MailsinkConfig config,
      InMemoryMailbox mailbox,
      FaultEngine faults,
      SSLContext tls,
      SessionStore transcripts) {
    Shutdown shutdown = new Shutdown();
    SessionRegistry sessions =
        new SessionRegistry(
            config.maxConnections(), new FaultHooks(faults, shutdown), transcripts, shutdown);
    SmtpContext context = new SmtpContext(config, mailbox, faults, tls, shutdown, sessions);
    // one id sequence for both listeners: ids are unique per server, as transcripts need
    SessionIdFactory ids = new TimeBasedSessionIdFactory();
    SMTPServer plain = build(context, config.smtpPort(), false, ids);
    start(plain, config, config.smtpPort(), "smtpPort");
    SMTPServer implicit = null;
    if (config.smtpsPort() >= 0) {
      implicit = build(context, config.smtpsPort(), true, ids);
      try {
        start(implicit, config, config.smtpsPort(), "smtpsPort");
      } catch (MailsinkException e) {
        plain.stop();
        throw e;
      }
    }
    return new SmtpEngine(
        plain,
        implicit,
        context,
        new IdleWatch(sessions, config.idleTimeout(), "mailsink-smtp-idle"));
  }

  private static SMTPServer build(
      SmtpContext context, int port, boolean implicitTls, SessionIdFactory ids) {
    MailsinkConfig config = context.config();
    ExecutorService executor =
        config.connectionExecutor() != null
            ? config.connectionExecutor().get()
            : SessionThreads.newExecutor(implicitTls ? "mailsink-smtps-" : "mailsink-smtp-");
    SMTPServer.Builder builder =
        SMTPServer.port(port)
            .bindAddress(config.bindAddress())
            .hostName(config.hostName())
            .softwareName("Mailsink")
            .backlog(ACCEPT_BACKLOG)
            .executorService(executor)
            .insertReceivedHeaders(false)
            .maxConnections(config.maxConnections() + SUBETHA_CONNECTION_HEADROOM)
            .maxRecipients(config.maxRecipients())
            .connectionTimeout((int) config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .messageHandlerFactory(messageContext -> new Transaction())
            .sessionHandler(context.sessions())
            .sessionIdFactory(ids)
            .serverSocketFactory(
                () ->
                    new SessionSocket.Listener(
                        implicitTls ? context.tls() : null,
                        context.shutdown(),
                        config.recordSessions()))
            .serverThreadName(implicitTls ? "mailsink-smtps-accept" : "mailsink-smtp-accept");
    if (config.auth().isEnabled()) {
      builder.authenticationHandlerFactory(
          Authentication.handlers(config.auth(), config.hostName()));
    }
    SMTPServer server = builder.build();
    for (Command command : SmtpCommands.all(context, implicitTls)) {
      server.getCommandHandler().addCommand(command);
    }
    return server;
  }

  private static void start(SMTPServer server, MailsinkConfig config, int port, String option) {
    try {
      server.start();
    } catch (RuntimeException e) {
      server.getExecutorService().shutdownNow();
      throw bindFailure(config, port, option, e);
    }
  }

  private static MailsinkException bindFailure(
      MailsinkConfig config, int port, String option, RuntimeException e) {
    String where = config.bindAddress().getHostAddress();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        if (port == 0) {
          return new MailsinkException(
              "Cannot bind a free port on " + where + ": " + t.getMessage(), e);
        }
        return new MailsinkException(
            "Port "
                + port
                + " on "
                + where
                + " is in use (or not allowed); use "
                + option
                + "(0) for a free port",
            e);
      }
    }
    Throwable cause = e.getCause() instanceof IOException ? e.getCause() : e;
    return new MailsinkException(
        "Cannot start SMTP on " + where + ":" + port + ": " + cause.getMessage(), e);
  }

  /** The plain SMTP port actually bound. */
  public int port() {
    return plain.getPortAllocated();
  }

  /** The implicit-TLS port actually bound, or -1 when there is none. */
  public int implicitTlsPort() {
    return implicitTls == null ? -1 : implicitTls.getPortAllocated();
  }

  /** How many SMTP connections are open now, on both listeners. */
  public int openConnections() {
    return context.sessions().openSessions();
  }

  /**
   * Stops accepting, releases every deliberate wait, closes every open connection (a transaction in
   * flight is dropped, not stored) and waits for the session threads to end.
   */
  public void stop() {
    context.shutdown().begin();
    idleWatch.close();
    context.sessions().closeAll();
    stopQuietly(plain);
    if (implicitTls != null) {
      stopQuietly(implicitTls);
    }
  }

  private static void stopQuietly(SMTPServer server) {
    try {
      server.stop();
    } catch (UncheckedIOException e) {
      // closing sockets that the peer already closed; nothing is left to release
    }
  }
}
