package dev.mailsink.internal.smtp;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The socket SubEthaSMTP's session talks through: a facade over the accepted (or TLS-layered)
 * socket whose output adds enhanced status codes to replies that lack them, and whose streams can
 * be throttled by a slow-link fault. Keeping this at the socket means every reply SubEthaSMTP
 * writes itself (unknown command, timeouts, line errors) is covered, not only ours.
 */
final class SessionSocket extends Socket {
  static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final Socket delegate;
  private final Shutdown shutdown;
  private volatile long bytesPerSecond;
  private InputStream input;
  private OutputStream replies;

  SessionSocket(Socket delegate, Shutdown shutdown) {
    this.delegate = delegate;
    this.shutdown = shutdown;
  }

  /** The socket underneath, for layering TLS onto. */
  Socket delegate() {
    return delegate;
  }

  /** The TLS session, or null when the connection is not encrypted. */
  SSLSession tlsSession() {
    return delegate instanceof SSLSocket ssl ? ssl.getSession() : null;
  }

  boolean isTls() {
    return delegate instanceof SSLSocket;
  }

  /** Limits both directions to this many bytes per second from now on. */
  void throttle(long rate) {
    this.bytesPerSecond = rate;
  }

  long throttle() {
    return bytesPerSecond;
  }

  /** Closes with a TCP reset instead of an orderly FIN: the peer sees "connection reset". */
  void reset() {
    try {
      delegate.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed: nothing left to reset
    }
  }

  /** Layers server-side TLS over this connection (STARTTLS) and returns the new facade. */
  SessionSocket startTls(SSLContext context) throws IOException {
    SSLSocket ssl =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(
                    delegate, delegate.getInetAddress().getHostAddress(), delegate.getPort(), true);
    ssl.setUseClientMode(false);
    ssl.setEnabledProtocols(TLS_PROTOCOLS);
    ssl.startHandshake();
    SessionSocket upgraded = new SessionSocket(ssl, shutdown);
    upgraded.throttle(bytesPerSecond);
    return upgraded;
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (input == null) {
      input = new Paced(delegate.getInputStream());
    }
    return input;
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (replies == null) {
      replies = new ReplyNormalizer(new PacedOutput(delegate.getOutputStream()));
    }
    return replies;
  }

  private int allowance(int wanted) {
    long rate = bytesPerSecond;
    if (rate <= 0) {
      return wanted;
    }
    // slices of a tenth of a second keep the pace smooth and close() prompt
    return (int) Math.max(1, Math.min(wanted, rate / 10));
  }

  private void pace(int bytes) throws IOException {
    long rate = bytesPerSecond;
    if (rate > 0 && bytes > 0) {
      shutdown.pauseNanos(bytes * 1_000_000_000L / rate);
    }
  }

  private final class Paced extends FilterInputStream {
    Paced(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        pace(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, allowance(len));
      pace(n);
      return n;
    }
  }

  private final class PacedOutput extends FilterOutputStream {
    PacedOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int done = 0;
      while (done < len) {
        int slice = allowance(len - done);
        out.write(b, off + done, slice);
        // pacing output needs the bytes on the wire, not in a buffer
        if (bytesPerSecond > 0) {
          out.flush();
        }
        pace(slice);
        done += slice;
      }
    }
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  @Override
  public boolean isConnected() {
    return delegate.isConnected();
  }

  @Override
  public boolean isBound() {
    return delegate.isBound();
  }

  @Override
  public InetAddress getInetAddress() {
    return delegate.getInetAddress();
  }

  @Override
  public int getPort() {
    return delegate.getPort();
  }

  @Override
  public InetAddress getLocalAddress() {
    return delegate.getLocalAddress();
  }

  @Override
  public int getLocalPort() {
    return delegate.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return delegate.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return delegate.getLocalSocketAddress();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    delegate.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return delegate.getSoTimeout();
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    delegate.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return delegate.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    delegate.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return delegate.getSoLinger();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    delegate.setKeepAlive(on);
  }

  @Override
  public void shutdownInput() throws IOException {
    delegate.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    delegate.shutdownOutput();
  }

  @Override
  public boolean isInputShutdown() {
    return delegate.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return delegate.isOutputShutdown();
  }

  @Override
  public String toString() {
    return "SessionSocket[" + delegate + "]";
  }

  /**
   * A listening socket whose accepted connections are {@link SessionSocket}s with Nagle off; with a
   * TLS context, each is wrapped in server-side TLS first (implicit TLS, "SMTPS").
   */
  static final class Listener extends ServerSocket {
    private final SSLContext implicitTls;
    private final Shutdown shutdown;

    Listener(SSLContext implicitTls, Shutdown shutdown) throws IOException {
      super();
      this.implicitTls = implicitTls;
      this.shutdown = shutdown;
    }

    @Override
    public Socket accept() throws IOException {
      Socket accepted = super.accept();
      // Replies are written whole, one write each; Nagle would hold them back for the client's
      // delayed ACK (~40 ms per EHLO, as measured on GreenMail).
      accepted.setTcpNoDelay(true);
      if (implicitTls == null) {
        return new SessionSocket(accepted, shutdown);
      }
      // The handshake happens on first use, in the session's thread, not in the accept loop.
      SSLSocket ssl =
          (SSLSocket)
              implicitTls
                  .getSocketFactory()
                  .createSocket(
                      accepted,
                      accepted.getInetAddress().getHostAddress(),
                      accepted.getPort(),
                      true);
      ssl.setUseClientMode(false);
      ssl.setEnabledProtocols(TLS_PROTOCOLS);
      return new SessionSocket(ssl, shutdown);
    }
  }
}
