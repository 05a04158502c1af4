package dev.mailsink.internal.imap;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How an {@link ImapServer} runs.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1}
 * @param port the port, 0 for a free one
 * @param sslContext the server's TLS context, for STARTTLS and implicit TLS; null for no TLS
 * @param implicitTls whether every connection starts with a TLS handshake (IMAPS); needs {@code
 *     sslContext}
 * @param tlsOnly whether plain-text logins are refused before TLS (LOGINDISABLED)
 * @param idleTimeout how long a client may stay silent (IDLE included) before it is logged out
 * @param maxConnections how many sessions may be open at once; further ones get {@code * BYE}
 * @param maxLiteralBytes the largest literal {@code {n}} accepted; larger ones get {@code BAD}
 * @param login decides logins
 */
public record ImapSettings(
    String host,
    int port,
    SSLContext sslContext,
    boolean implicitTls,
    boolean tlsOnly,
    Duration idleTimeout,
    int maxConnections,
    int maxLiteralBytes,
    ImapLogin login) {

  /** The largest command line (outside literals) the server reads. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  public ImapSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(login, "login");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (implicitTls && sslContext == null) {
      throw new IllegalArgumentException("implicitTls needs an sslContext");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    if (maxLiteralBytes < 1) {
      throw new IllegalArgumentException("maxLiteralBytes must be at least 1");
    }
  }

  /**
   * Settings for a plain server on loopback with a free port, no TLS, a 5 minute idle timeout, 100
   * connections and literals up to 10 MB; change them with the {@code with*} methods.
   */
  public static ImapSettings loopback(ImapLogin login) {
    return new ImapSettings(
        "127.0.0.1", 0, null, false, false, Duration.ofMinutes(5), 100, 10_000_000, login);
  }

  public ImapSettings withHost(String host) {
    return new ImapSettings(
        host,
        port,
        sslContext,
        implicitTls,
        tlsOnly,
        idleTimeout,
        maxConnections,
        maxLiteralBytes,
        login);
  }

  public ImapSettings withPort(int port) {
    return new ImapSettings(
        host,
        port,
        sslContext,
        implicitTls,
        tlsOnly,
        idleTimeout,
        maxConnections,
        maxLiteralBytes,
        login);
  }

  /** STARTTLS with this context (null: none). */
  public ImapSettings withStartTls(SSLContext sslContext) {
    return new ImapSettings(
        host,
        port,
        sslContext,
        false,
        tlsOnly,
        idleTimeout,
        maxConnections,
        maxLiteralBytes,
        login);
  }

  /** Implicit TLS (IMAPS) with this context. */
  public ImapSettings withImplicitTls(SSLContext sslContext) {
    return new ImapSettings(
        host,
        port,
        Objects.requireNonNull(sslContext, "sslContext"),
        true,
        tlsOnly,
        idleTimeout,
        maxConnections,
        maxLiteralBytes,
        login);
  }

  public ImapSettings withTlsOnly(boolean tlsOnly) {
    return new ImapSettings(
        host,
        port,
        sslContext,
        implicitTls,
        tlsOnly,
        idleTimeout,
        maxConnections,
        maxLiteralBytes,
        login);
  }

  public ImapSettings withIdleTimeout(Duration idleTimeout) {
    return new ImapSettings(
        host,
        port,
        sslContext,
        implicitTls,
        tlsOnly,
        idleTimeout,
        maxConnections,
        maxLiteralBytes,
        login);
  }

  public ImapSettings withMaxConnections(int maxConnections) {
    return new ImapSettings(
        host,
        port,
        sslContext,
        implicitTls,
        tlsOnly,
        idleTimeout,
        maxConnections,
        maxLiteralBytes,
        login);
  }

  public ImapSettings withMaxLiteralBytes(int maxLiteralBytes) {
    return new ImapSettings(
        host,
        port,
        sslContext,
        implicitTls,
        tlsOnly,
        idleTimeout,
        maxConnections,
        maxLiteralBytes,
        login);
  }
}
