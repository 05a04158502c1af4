package dev.mailsink.internal.reader;

import dev.mailsink.MailsinkException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A blocking accept loop on one reader port: one thread accepts, each connection runs on its own
 * thread from the executor. Protocol-neutral: the session is supplied by the caller.
 */
public final class ReaderListener implements AutoCloseable {
  /** A session of one connection. */
  public interface Session {
    /** Serves the connection until it ends; the socket is closed by the listener afterwards. */
    void serve(Socket socket) throws IOException;

    /**
     * The line, without CRLF, that tells the client the connection limit is reached; the listener
     * writes it before closing the connection.
     */
    String busyReply();
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final ExecutorService executor;
  private final ReaderConnections connections;

  private ReaderListener(
      ServerSocket server,
      ExecutorService executor,
      ReaderConnections connections,
      SSLContext implicitTls,
      Function<Socket, Session> sessions,
      String name) {
    this.server = server;
    this.executor = executor;
    this.connections = connections;
    this.acceptor =
        new Thread(() -> acceptLoop(implicitTls, sessions), "mailsink-" + name + "-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Binds and starts accepting.
   *
   * @param implicitTls the server context for an implicit-TLS port, or null for a plain port
   * @param option the config option named in a bind failure, e.g. {@code pop3Port}
   * @throws MailsinkException when the port cannot be bound
   */
  public static ReaderListener start(
      InetAddress bind,
      int port,
      String option,
      String name,
      SSLContext implicitTls,
      ExecutorService executor,
      ReaderConnections connections,
      Function<Socket, Session> sessions) {
    ServerSocket server;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(bind, port), 256);
    } catch (BindException e) {
      throw new MailsinkException(
          "Port "
              + port
              + " on "
              + bind.getHostAddress()
              + " is in use (or not allowed); use "
              + option
              + "(0) for a free port",
          e);
    } catch (IOException e) {
      throw new MailsinkException(
          "Cannot start " + name + " on " + bind.getHostAddress() + ":" + port + ": " + e, e);
    }
    ReaderListener listener =
        new ReaderListener(server, executor, connections, implicitTls, sessions, name);
    listener.acceptor.start();
    return listener;
  }

  /** The port actually bound. */
  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop(SSLContext implicitTls, Function<Socket, Session> sessions) {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        executor.execute(() -> run(socket, implicitTls, sessions));
      } catch (RejectedExecutionException e) {
        connections.release(socket);
        return;
      }
    }
  }

  private void run(Socket plain, SSLContext implicitTls, Function<Socket, Session> sessions) {
    Socket socket = plain;
    if (!connections.admit(plain)) {
      try {
        OutputStream out = plain.getOutputStream();
        out.write((sessions.apply(plain).busyReply() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException | RuntimeException e) {
        // the client is refused either way
      }
      connections.release(plain);
      return;
    }
    try {
      if (implicitTls != null) {
        SSLSocket ssl = connections.layTls(plain, implicitTls);
        socket = ssl;
        ssl.startHandshake();
      }
      sessions.apply(socket).serve(socket);
    } catch (IOException | RuntimeException e) {
      // the client went away, timed out or the server is closing; the session has ended
    } finally {
      connections.release(socket);
      connections.release(plain);
    }
  }

  /** Stops accepting; open connections are closed by {@link ReaderConnections#closeAll()}. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
