package dev.mailsink.internal.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The socket SubEthaSMTP's session talks through: a facade over the accepted (or TLS-layered)
 * socket whose output adds enhanced status codes to replies that lack them. Keeping this at the
 * socket means every reply SubEthaSMTP writes itself (unknown command, timeouts, line errors) is
 * covered, not only those of our own commands.
 */
final class SessionSocket extends Socket {
  private final Socket delegate;
  private OutputStream replies;

  SessionSocket(Socket delegate) {
    this.delegate = delegate;
  }

  /** The socket underneath, for layering TLS onto. */
  Socket delegate() {
    return delegate;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    return delegate.getInputStream();
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (replies == null) {
      replies = new ReplyNormalizer(delegate.getOutputStream());
    }
    return replies;
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

  /** A listening socket whose accepted connections are {@link SessionSocket}s with Nagle off. */
  static final class Listener extends ServerSocket {
    Listener() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      Socket accepted = super.accept();
      // Replies are written whole, one write each; Nagle would hold them back for the client's
      // delayed ACK (~40 ms per EHLO, as measured on GreenMail).
      accepted.setTcpNoDelay(true);
      return new SessionSocket(accepted);
    }
  }
}
