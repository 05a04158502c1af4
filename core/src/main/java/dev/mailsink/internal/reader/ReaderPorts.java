package dev.mailsink.internal.reader;

import dev.mailsink.MailsinkException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * The two listeners of one reader protocol: the plain port and the implicit-TLS port, each
 * optional. Both run their sessions on the same executor and count against the same connection
 * limit.
 */
public final class ReaderPorts implements AutoCloseable {
  private final ReaderListener plain;
  private final ReaderListener implicit;

  private ReaderPorts(ReaderListener plain, ReaderListener implicit) {
    this.plain = plain;
    this.implicit = implicit;
  }

  /**
   * Binds the ports that are on and starts accepting.
   *
   * @param protocol the plain protocol's name, e.g. {@code imap}: the implicit-TLS one adds an
   *     {@code s}, and a bind failure names the option {@code imapPort} or {@code imapsPort}
   * @param plainPort the plain port, 0 for a free one, negative when off
   * @param implicitTlsPort the implicit-TLS port, 0 for a free one, negative when off
   * @param tls the server context of the implicit-TLS port
   * @throws MailsinkException when a port cannot be bound; then neither stays bound
   */
  public static ReaderPorts start(
      InetAddress bind,
      String protocol,
      int plainPort,
      int implicitTlsPort,
      SSLContext tls,
      ExecutorService executor,
      ReaderConnections connections,
      Function<Socket, ReaderListener.Session> sessions) {
    ReaderListener plain =
        plainPort < 0
            ? null
            : ReaderListener.start(
                bind,
                plainPort,
                protocol + "Port",
                protocol,
                null,
                executor,
                connections,
                sessions);
    try {
      ReaderListener implicit =
          implicitTlsPort < 0
              ? null
              : ReaderListener.start(
                  bind,
                  implicitTlsPort,
                  protocol + "sPort",
                  protocol + "s",
                  tls,
                  executor,
                  connections,
                  sessions);
      return new ReaderPorts(plain, implicit);
    } catch (RuntimeException e) {
      if (plain != null) {
        plain.close();
      }
      throw e;
    }
  }

  /** The plain port actually bound, or -1. */
  public int port() {
    return plain == null ? -1 : plain.port();
  }

  /** The implicit-TLS port actually bound, or -1. */
  public int implicitTlsPort() {
    return implicit == null ? -1 : implicit.port();
  }

  /** Stops accepting on both ports; open connections are closed by the registry. */
  @Override
  public void close() {
    if (plain != null) {
      plain.close();
    }
    if (implicit != null) {
      implicit.close();
    }
  }
}
