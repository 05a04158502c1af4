package dev.mailsink.web;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkException;
import dev.mailsink.web.internal.api.WebApp;
import dev.mailsink.web.internal.api.WebSettings;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Properties;
import org.xnio.Options;

/**
 * The JSON API and the browser UI of a {@link Mailsink}, served over HTTP.
 *
 * <pre>{@code
 * try (Mailsink sink = Mailsink.start();
 *     MailsinkWebServer web = MailsinkWebServer.start(sink)) {
 *   System.out.println("Mail UI: " + web.url());   // e.g. http://127.0.0.1:41234/
 *   ...
 * }
 * }</pre>
 *
 * <p>The server reads the sink's mailbox and never owns the sink: close the web server before or
 * after the sink, as you like. There are two states: {@link #start} returns a running server, and
 * {@link #close()} ends it for good. Its threads are daemon threads, so a program whose only
 * remaining threads are this server's exits; a standalone program keeps its main thread waiting.
 * Instances are thread-safe.
 */
public final class MailsinkWebServer implements AutoCloseable {
  private final Undertow undertow;
  private final WebApp app;
  private final WebConfig config;
  private final int port;
  private final String url;
  private volatile boolean closed;

  private MailsinkWebServer(Undertow undertow, WebApp app, WebConfig config, int port, String url) {
    this.undertow = undertow;
    this.app = app;
    this.config = config;
    this.port = port;
    this.url = url;
  }

  /**
   * Starts a server with the default configuration: a free port on 127.0.0.1, no authentication, no
   * CORS.
   *
   * @throws IllegalStateException if the sink is closed
   * @throws MailsinkException if the server cannot start
   */
  public static MailsinkWebServer start(Mailsink sink) {
    return start(sink, WebConfig.defaults());
  }

  /**
   * Starts a server on a running sink; when this returns, it accepts connections.
   *
   * @throws IllegalStateException if the sink is closed
   * @throws MailsinkException if the port cannot be bound (the message names the port and the fix)
   */
  public static MailsinkWebServer start(Mailsink sink, WebConfig config) {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(config, "config");
    if (!sink.isRunning()) {
      throw new IllegalStateException(
          "MailsinkWebServer.start() called with a closed Mailsink; start the sink first");
    }
    InetAddress bind = config.bindAddress();
    WebApp app =
        new WebApp(
            sink,
            new WebSettings(
                version(),
                config.basicAuthUser().orElse(null),
                config.basicAuthPassword(),
                config.corsOrigins(),
                bind.isLoopbackAddress()));
    int ioThreads = Math.min(Math.max(2, Runtime.getRuntime().availableProcessors()), 4);
    Undertow undertow =
        Undertow.builder()
            .addHttpListener(config.httpPort(), bind.getHostAddress())
            .setHandler(app)
            .setIoThreads(ioThreads)
            // Workers run short request handlers only; long polls and event streams hold none.
            .setWorkerThreads(ioThreads * 4)
            .setWorkerOption(Options.THREAD_DAEMON, true)
            .setWorkerOption(Options.WORKER_NAME, "mailsink-web")
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 1024L * 1024)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
            .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, 2_000)
            .build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      app.close();
      if (hasCause(e, BindException.class)) {
        throw new MailsinkException(
            "Port "
                + config.httpPort()
                + " on "
                + bind.getHostAddress()
                + " is in use; use httpPort(0) for a free port",
            e);
      }
      throw new MailsinkException(
          "Cannot start the Mailsink web server on "
              + bind.getHostAddress()
              + ":"
              + config.httpPort()
              + ": "
              + e.getMessage(),
          e);
    }
    InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    int port = address.getPort();
    String url = "http://" + urlHost(bind) + ":" + port + "/";
    app.bound(port, url);
    return new MailsinkWebServer(undertow, app, config, port, url);
  }

  /** The configuration this server was started with. */
  public WebConfig config() {
    return config;
  }

  /**
   * The HTTP port, the one actually bound when the configuration asked for port 0.
   *
   * @throws IllegalStateException once closed
   */
  public int port() {
    checkOpen("port()");
    return port;
  }

  /**
   * The URL of the UI, e.g. {@code http://127.0.0.1:8025/}; the API is under {@code api/v1/}. A
   * server bound to every address (0.0.0.0) is reached through 127.0.0.1.
   *
   * @throws IllegalStateException once closed
   */
  public String url() {
    checkOpen("url()");
    return url;
  }

  /** Whether the server is running, i.e. not yet closed. */
  public boolean isRunning() {
    return !closed;
  }

  /**
   * Stops the server: answers waiting long polls with 503, ends event streams, closes connections
   * and releases the port. Leaves the sink running. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      app.close();
    } finally {
      undertow.stop();
    }
  }

  @Override
  public String toString() {
    return closed ? "MailsinkWebServer{closed}" : "MailsinkWebServer{" + url + ", running}";
  }

  /** The application behind the server, for this module's tests. */
  WebApp app() {
    return app;
  }

  private void checkOpen(String method) {
    if (closed) {
      throw new IllegalStateException(
          method + " called on a closed MailsinkWebServer; start a new one");
    }
  }

  private static String urlHost(InetAddress bind) {
    InetAddress host = bind.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bind;
    String literal = host.getHostAddress();
    return host instanceof Inet6Address ? "[" + literal + "]" : literal;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String version() {
    try (InputStream in =
        MailsinkWebServer.class.getResourceAsStream("/dev/mailsink/web/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
