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
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The socket SubEthaSMTP's session talks through: a facade over the accepted (or TLS-layered)
 * socket whose output adds enhanced status codes to replies that lack them, and whose streams can
 * be throttled by a slow-link fault. Keeping this at the socket means every reply SubEthaSMTP
 * writes itself (unknown command, timeouts, line errors) is covered, not only ours. When sessions
 * are recorded, every byte read and every reply written is shown to the session's {@link
 * TranscriptRecorder} too.
 *
 * <p>The idle timeout SubEthaSMTP sets is not given to the socket: a socket with {@code SO_TIMEOUT}
 * turns every read that waits into a failed non-blocking read, a {@code poll} with a timer and a
 * second read, which cost about a tenth of the server's CPU time per message. Reads block plainly
 * instead and {@link IdleWatch} ends those that wait too long: it shuts the input down, and the
 * read that then ends throws the {@link SocketTimeoutException} SubEthaSMTP expects.
 */
final class SessionSocket extends Socket {
  static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final Socket delegate;
  // the TCP connection under any TLS layer: its input is what an idle timeout shuts down
  private final Socket raw;
  private final Shutdown shutdown;
  private final boolean recording;
  private volatile TranscriptRecorder transcript;
  private volatile long bytesPerSecond;
  private InputStream input;
  private OutputStream replies;
  private volatile int idleTimeoutMillis;
  // System.nanoTime() when the read now waiting began, or 0 when no read waits
  private volatile long readingSince;
  private volatile boolean idleExpired;
  // only for a TLS delegate: whether its handshake is done (see handshake)
  private volatile boolean handshaken;

  SessionSocket(Socket delegate, Socket raw, Shutdown shutdown, boolean recording) {
    this.delegate = delegate;
    this.raw = raw;
    this.shutdown = shutdown;
    this.recording = recording;
  }

  /**
   * Ends the read now waiting if it has waited longer than the idle timeout; called by {@link
   * IdleWatch}, never by the session's thread.
   */
  void expireIdleRead(long now) {
    long since = readingSince;
    int timeout = idleTimeoutMillis;
    if (since == 0 || timeout <= 0 || now - since < timeout * 1_000_000L || idleExpired) {
      return;
    }
    idleExpired = true;
    try {
      raw.shutdownInput();
    } catch (IOException e) {
      // closed meanwhile: the read has ended anyway
    }
  }

  /**
   * Sets a real {@code SO_TIMEOUT} on the connection, for a short probe that must not block; 0
   * removes it again. Unlike {@link #setSoTimeout}, which sets the idle timeout.
   */
  void probeTimeout(int millis) throws SocketException {
    delegate.setSoTimeout(millis);
  }

  /** Starts showing the traffic to {@code recorder}; only when made with recording on. */
  void record(TranscriptRecorder recorder) {
    if (recording) {
      this.transcript = recorder;
    }
  }

  /** The session's recorder, or null when sessions are not recorded. */
  TranscriptRecorder transcript() {
    return transcript;
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
    TranscriptRecorder recorder = transcript;
    try {
      handshake(ssl);
    } catch (IOException e) {
      if (recorder != null) {
        recorder.tlsFailed(e);
      }
      throw e;
    }
    SessionSocket upgraded = new SessionSocket(ssl, raw, shutdown, recording);
    upgraded.handshaken = true;
    upgraded.throttle(bytesPerSecond);
    if (recorder != null) {
      upgraded.record(recorder);
      recorder.tlsStarted(ssl.getSession());
    }
    return upgraded;
  }

  /**
   * Runs a TLS handshake as a wait for the client, which the idle timeout ends like a read: the
   * handshake reads from the connection underneath, past {@link Paced}.
   */
  private void handshake(SSLSocket ssl) throws IOException {
    readingSince = System.nanoTime();
    try {
      ssl.startHandshake();
    } catch (IOException e) {
      throw idleExpired ? timedOut() : e;
    } finally {
      readingSince = 0;
    }
    handshaken = true;
  }

  private static SocketTimeoutException timedOut() {
    return new SocketTimeoutException("Read timed out");
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (input == null) {
      Paced paced = new Paced(delegate.getInputStream());
      input = recording ? new RecordingInput(paced) : paced;
    }
    return input;
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (replies == null) {
      PacedOutput paced = new PacedOutput(delegate.getOutputStream());
      replies = new ReplyNormalizer(recording ? new RecordingOutput(paced) : paced);
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
      int b;
      readingSince = System.nanoTime();
      try {
        b = in.read();
      } catch (IOException e) {
        throw idleExpired ? timedOut() : e;
      } finally {
        readingSince = 0;
      }
      if (b >= 0) {
        pace(1);
      } else if (idleExpired) {
        throw timedOut();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      readingSince = System.nanoTime();
      try {
        n = in.read(b, off, allowance(len));
      } catch (IOException e) {
        throw idleExpired ? timedOut() : e;
      } finally {
        readingSince = 0;
      }
      if (n < 0 && idleExpired) {
        throw timedOut();
      }
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
      if (!handshaken && delegate instanceof SSLSocket ssl) {
        // an implicit-TLS connection shakes hands on its first write, the greeting
        handshake(ssl);
      }
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

  /** Shows what is read to the recorder, once one is attached. */
  private final class RecordingInput extends FilterInputStream {
    private final byte[] one = new byte[1];

    RecordingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      TranscriptRecorder t = transcript;
      if (t == null) {
        return in.read(b, off, len);
      }
      int n;
      try {
        n = in.read(b, off, len);
      } catch (SocketTimeoutException e) {
        t.readTimedOut();
        throw e;
      } catch (IOException e) {
        t.inputFailed(e);
        throw e;
      }
      if (n > 0) {
        t.received(b, off, n);
      } else if (n < 0) {
        t.endOfInput();
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        recordClose();
      }
    }
  }

  /**
   * Shows each reply to the recorder; {@link ReplyNormalizer} writes a reply whole, in one call.
   * The first write on an implicit-TLS connection does the handshake, so TLS is recorded after it.
   */
  private final class RecordingOutput extends FilterOutputStream {
    RecordingOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      TranscriptRecorder t = transcript;
      if (t == null) {
        out.write(b, off, len);
        return;
      }
      t.sending(b, off, len);
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        t.sendFailed(e);
        throw e;
      }
      if (!t.isTlsRecorded() && delegate instanceof SSLSocket ssl) {
        t.tlsStarted(ssl.getSession());
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        recordClose();
      }
    }
  }

  /** SubEthaSMTP ends a session by closing its streams (which closes the socket) or the socket. */
  private void recordClose() {
    TranscriptRecorder t = transcript;
    if (t != null) {
      t.closed();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      delegate.close();
    } finally {
      recordClose();
    }
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

  /** Sets the idle timeout (0: none), enforced by {@link IdleWatch}; see the class comment. */
  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    if (delegate.isClosed()) {
      throw new SocketException("Socket is closed");
    }
    idleTimeoutMillis = timeout;
  }

  @Override
  public int getSoTimeout() {
    return idleTimeoutMillis;
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
    private final boolean recording;

    Listener(SSLContext implicitTls, Shutdown shutdown, boolean recording) throws IOException {
      super();
      this.implicitTls = implicitTls;
      this.shutdown = shutdown;
      this.recording = recording;
    }

    @Override
    public Socket accept() throws IOException {
      Socket accepted = super.accept();
      // Replies are written whole, one write each; Nagle would hold them back for the client's
      // delayed ACK (~40 ms per EHLO, as measured on GreenMail).
      accepted.setTcpNoDelay(true);
      if (implicitTls == null) {
        return new SessionSocket(accepted, accepted, shutdown, recording);
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
      return new SessionSocket(ssl, accepted, shutdown, recording);
    }
  }
}
