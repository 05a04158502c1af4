package dev.mailsink.server;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.MailsinkException;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.WebConfig;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * A running SMTP sink with its web UI and API, started from {@link ServerSettings}. Closing it
 * stops the web server first (so that no request sees a closed sink), then the SMTP server.
 */
final class StandaloneServer implements AutoCloseable {
  private final Mailsink sink;
  private final MailsinkWebServer web;
  private final InetAddress bind;
  private final ServerSettings settings;

  private StandaloneServer(Mailsink sink, MailsinkWebServer web, ServerSettings settings) {
    this.sink = sink;
    this.web = web;
    this.bind = sink.config().bindAddress();
    this.settings = settings;
  }

  /**
   * Starts SMTP, then the web server on the same sink.
   *
   * @throws StartupFailure when a port is in use or a setting cannot be honoured; the message names
   *     the flag to change
   */
  static StandaloneServer start(ServerSettings settings) {
    MailsinkConfig config = SmtpFeatures.apply(settings, settings.smtp().toBuilder()).build();
    Mailsink sink;
    try {
      sink = Mailsink.start(config);
    } catch (MailsinkException e) {
      // Core names the builder option of the port it could not bind, e.g. "pop3Port(0)".
      String message = String.valueOf(e.getMessage());
      InetAddress bind = config.bindAddress();
      if (message.contains("smtpsPort(")) {
        throw portProblem(e, "SMTPS", settings.smtpsPort(), "--smtps-port", bind);
      } else if (message.contains("pop3sPort(")) {
        throw portProblem(e, "POP3S", config.pop3sPort(), "--pop3s-port", bind);
      } else if (message.contains("pop3Port(")) {
        throw portProblem(e, "POP3", config.pop3Port(), "--pop3-port", bind);
      } else if (message.contains("imapsPort(")) {
        throw portProblem(e, "IMAPS", config.imapsPort(), "--imaps-port", bind);
      } else if (message.contains("imapPort(")) {
        throw portProblem(e, "IMAP", config.imapPort(), "--imap-port", bind);
      }
      throw portProblem(e, "SMTP", config.smtpPort(), "--smtp-port", bind);
    } catch (IllegalArgumentException e) {
      throw new StartupFailure("cannot start SMTP: " + e.getMessage(), e);
    }
    try {
      WebConfig.Builder web =
          WebConfig.builder().bindAddress(config.bindAddress()).httpPort(settings.httpPort());
      if (settings.uiAuth() != null) {
        web.basicAuth(settings.uiAuth().user(), settings.uiAuth().password());
      }
      if (!settings.corsOrigins().isEmpty()) {
        web.corsOrigins(settings.corsOrigins().toArray(String[]::new));
      }
      WebConfig webConfig;
      try {
        webConfig = web.build();
      } catch (IllegalArgumentException e) {
        throw new StartupFailure(
            e.getMessage().replace("corsOrigins", "--cors").replace("basic auth", "--ui-auth"), e);
      }
      try {
        return new StandaloneServer(sink, MailsinkWebServer.start(sink, webConfig), settings);
      } catch (RuntimeException e) {
        throw portProblem(e, "HTTP", settings.httpPort(), "--http-port", config.bindAddress());
      }
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
  }

  /**
   * Starts the server, prints where it listens, and waits until the process is told to stop; the
   * shutdown hook closes the server. Returns the exit code.
   */
  static int runUntilStopped(ServerSettings settings, PrintWriter out, PrintWriter err) {
    Logging.configure(settings.logLevel());
    scheduleThreadsStartedFromHere(settings.cpuScheduling());
    StandaloneServer server;
    try {
      server = start(settings);
    } catch (StartupFailure e) {
      err.println("mailsink: " + e.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  out.println("Mailsink stopped");
                  out.flush();
                  stopped.countDown();
                },
                "mailsink-shutdown"));
    server.printBanner(out);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }

  /**
   * Applies the CPU scheduling policy to the calling thread, before it starts the server's threads,
   * which inherit it.
   */
  static void scheduleThreadsStartedFromHere(FlagValues.CpuScheduling policy) {
    if (policy == FlagValues.CpuScheduling.BATCH && BatchScheduling.isLinux()) {
      BatchScheduling.applyToCurrentThread()
          .ifPresent(
              why ->
                  // looked up here: Logging.configure must run before the first logger exists
                  System.getLogger(StandaloneServer.class.getName())
                      .log(
                          System.Logger.Level.INFO,
                          // no format arguments: MessageFormat would eat the apostrophe
                          "The server's threads keep the default CPU scheduling ("
                              + why
                              + "); see --cpu-scheduling"));
    }
  }

  /** The running sink. */
  Mailsink sink() {
    return sink;
  }

  /** Where a client on this machine reaches SMTP. */
  URI smtpUri() {
    return URI.create("smtp://" + connectHost() + ":" + sink.smtpPort());
  }

  /** Where a browser on this machine reaches the web UI (ends with a slash). */
  URI webUri() {
    return URI.create("http://" + connectHost() + ":" + web.port() + "/");
  }

  /** The port the web server bound. */
  int httpPort() {
    return web.port();
  }

  private String connectHost() {
    return bind.isAnyLocalAddress()
        ? InetAddress.getLoopbackAddress().getHostAddress()
        : Healthcheck.literal(bind);
  }

  /** Prints the version, the start-up time and the URLs, one per line. */
  void printBanner(PrintWriter out) {
    // The JVM's own uptime: the process start time that ProcessHandle reports is only as precise
    // as the kernel's boot time in seconds.
    long uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    out.println(
        "Mailsink "
            + BuildInfo.version()
            + String.format(Locale.ROOT, " ready in %.2f s", uptimeMillis / 1000.0));
    out.println("  SMTP    " + smtpUri());
    SmtpFeatures.describe(sink, settings, connectHost()).forEach(line -> out.println("  " + line));
    out.println("  Web UI  " + webUri());
    out.println("  API     " + webUri().resolve("api/v1/"));
    if (bind.isAnyLocalAddress()) {
      out.println("  (listening on every interface: " + Healthcheck.literal(bind) + ")");
    }
    out.println("Stop with Ctrl-C or SIGTERM.");
    out.flush();
  }

  /** Stops the web server, then SMTP; idempotent. */
  @Override
  public void close() {
    try {
      web.close();
    } finally {
      sink.close();
    }
  }

  private static StartupFailure portProblem(
      RuntimeException e, String what, int port, String flag, InetAddress bind) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        String where = Healthcheck.literal(bind);
        if (port == 0) {
          return new StartupFailure(
              "cannot bind a free " + what + " port on " + where + ": " + t.getMessage(), e);
        }
        String env = "MAILSINK_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
        return new StartupFailure(
            what
                + " port "
                + port
                + " on "
                + where
                + " is in use (or not allowed). Choose another with "
                + flag
                + " PORT (or "
                + env
                + "=PORT), or "
                + flag
                + " 0 for a free port.",
            e);
      }
    }
    return new StartupFailure("cannot start " + what + ": " + e.getMessage(), e);
  }

  /** The server could not start; the message says what to change. */
  static final class StartupFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartupFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
