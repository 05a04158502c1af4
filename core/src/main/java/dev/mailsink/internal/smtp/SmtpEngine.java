package dev.mailsink.internal.smtp;

import dev.mailsink.MailsinkConfig;
import dev.mailsink.MailsinkException;
import dev.mailsink.internal.fault.FaultEngine;
import dev.mailsink.internal.session.SessionStore;
import dev.mailsink.internal.store.InMemoryMailbox;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.SessionIdFactory;
import org.subethamail.smtp.server.TimeBasedSessionIdFactory;

/**
 * The SMTP listeners of one server, wired to a mailbox and fault rules: the plain port (with
 * optional STARTTLS) and, when configured, an implicit-TLS port. Sessions are SubEthaSMTP's, run by
 * {@link Acceptor} on the thread that accepted the connection; a new executor is made per listener
 * and start, and shut down at stop.
 */
public final class SmtpEngine {
  /**
   * Java's default accept backlog of 50 makes the kernel drop SYNs at 64 concurrent connects, each
   * drop costing the client a one-second retransmit.
   */
  private static final int ACCEPT_BACKLOG = 1024;

  private final Acceptor plain;
  private final Acceptor implicitTls;
  private final SmtpContext context;
  private final IdleWatch idleWatch;

  private SmtpEngine(
      Acceptor plain, Acceptor implicitTls, SmtpContext context, IdleWatch idleWatch) {
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
    Acceptor plain = listen(context, config.smtpPort(), "smtpPort", false, ids);
    Acceptor implicit = null;
    if (config.smtpsPort() >= 0) {
      try {
        implicit = listen(context, config.smtpsPort(), "smtpsPort", true, ids);
      } catch (MailsinkException e) {
        plain.closeListener();
        plain.awaitSessions();
        throw e;
      }
    }
    return new SmtpEngine(
        plain,
        implicit,
        context,
        new IdleWatch(sessions, config.idleTimeout(), "mailsink-smtp-idle"));
  }

  private static Acceptor listen(
      SmtpContext context, int port, String option, boolean implicitTls, SessionIdFactory ids) {
    MailsinkConfig config = context.config();
    SessionSocket.Listener listener;
    try {
      listener =
          new SessionSocket.Listener(
              implicitTls ? context.tls() : null, context.shutdown(), config.recordSessions());
    } catch (IOException e) {
      throw new MailsinkException("Cannot open a socket for SMTP: " + e.getMessage(), e);
    }
    try {
      listener.bind(new InetSocketAddress(config.bindAddress(), port), ACCEPT_BACKLOG);
    } catch (IOException e) {
      try {
        listener.close();
      } catch (IOException ignored) {
        // never bound: nothing to release
      }
      throw bindFailure(config, port, option, e);
    }
    ExecutorService threads =
        config.connectionExecutor() != null
            ? config.connectionExecutor().get()
            : SessionThreads.newExecutor(implicitTls ? "mailsink-smtps-" : "mailsink-smtp-");
    Acceptor acceptor =
        new Acceptor(
            sessionSettings(context, port, implicitTls, ids, threads),
            listener,
            threads,
            context.shutdown());
    try {
      acceptor.start();
    } catch (MailsinkException e) {
      acceptor.closeListener();
      throw e;
    }
    return acceptor;
  }

  /**
   * The SubEthaSMTP server whose settings and command set the sessions use. It is never started:
   * {@link Acceptor} accepts the connections and runs the sessions itself.
   */
  private static SMTPServer sessionSettings(
      SmtpContext context,
      int port,
      boolean implicitTls,
      SessionIdFactory ids,
      ExecutorService threads) {
    MailsinkConfig config = context.config();
    SMTPServer.Builder builder =
        SMTPServer.port(port)
            .bindAddress(config.bindAddress())
            .hostName(config.hostName())
            .softwareName("Mailsink")
            // never runs, but takes SubEthaSMTP's place of a default pool of its own
            .executorService(threads)
            .insertReceivedHeaders(false)
            .maxRecipients(config.maxRecipients())
            .connectionTimeout((int) config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .messageHandlerFactory(messageContext -> new Transaction())
            .sessionHandler(context.sessions())
            .sessionIdFactory(ids)
            // names the bookkeepers of Acceptor, which never run either
            .serverThreadName(implicitTls ? "mailsink-smtps-sessions" : "mailsink-smtp-sessions");
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

  private static MailsinkException bindFailure(
      MailsinkConfig config, int port, String option, IOException e) {
    String where = config.bindAddress().getHostAddress();
    if (e instanceof BindException) {
      if (port == 0) {
        return new MailsinkException(
            "Cannot bind a free port on " + where + ": " + e.getMessage(), e);
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
    return new MailsinkException(
        "Cannot start SMTP on " + where + ":" + port + ": " + e.getMessage(), e);
  }

  /** The plain SMTP port actually bound. */
  public int port() {
    return plain.port();
  }

  /** The implicit-TLS port actually bound, or -1 when there is none. */
  public int implicitTlsPort() {
    return implicitTls == null ? -1 : implicitTls.port();
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
    plain.closeListener();
    if (implicitTls != null) {
      implicitTls.closeListener();
    }
    context.sessions().closeAll();
    plain.awaitSessions();
    if (implicitTls != null) {
      implicitTls.awaitSessions();
    }
  }
}
