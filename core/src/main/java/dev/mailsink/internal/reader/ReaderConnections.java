package dev.mailsink.internal.reader;

import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The open POP3 and IMAP connections of one server, all reader ports together: enforces the
 * connection limit and closes every socket at shutdown (a blocked read then ends at once).
 */
public final class ReaderConnections {
  /** TLS versions offered by every reader port, as on the SMTP side. */
  private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final int limit;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Map<Socket, Socket> layers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A registry admitting at most {@code limit} connections at once. */
  public ReaderConnections(int limit) {
    this.limit = limit;
  }

  /**
   * Registers a new connection.
   *
   * @return false when the limit is reached or the server is closing (the caller refuses the
   *     connection and closes it)
   */
  public synchronized boolean admit(Socket socket) {
    if (closed || open.size() >= limit) {
      return false;
    }
    open.add(socket);
    return true;
  }

  /**
   * Lays server-side TLS over a registered connection (an implicit-TLS port, STLS, STARTTLS) and
   * registers the layer in its place. The caller runs the handshake and from then on reads and
   * writes through the layer.
   */
  public SSLSocket layTls(Socket plain, SSLContext context) throws IOException {
    SSLSocket ssl =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(
                    plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
    ssl.setUseClientMode(false);
    ssl.setEnabledProtocols(TLS_PROTOCOLS);
    // the listener only knows the accepted socket: releasing that must release the layer too
    layers.put(plain, ssl);
    open.add(ssl);
    open.remove(plain);
    if (closed) {
      closeQuietly(ssl);
    }
    return ssl;
  }

  /** Unregisters and closes a connection and its TLS layer, if any; idempotent. */
  public void release(Socket socket) {
    Socket layer = layers.remove(socket);
    if (layer != null) {
      release(layer);
    }
    open.remove(socket);
    closeQuietly(socket);
  }

  /** How many reader connections are open now. */
  public int count() {
    return open.size();
  }

  /** Whether {@link #closeAll()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Refuses new connections and closes every open one, without waiting. */
  public void closeAll() {
    synchronized (this) {
      closed = true;
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
    layers.clear();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // the peer is gone already; nothing to release
    }
  }
}
