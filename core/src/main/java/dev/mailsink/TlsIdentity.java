package dev.mailsink;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the server's TLS certificate and key come from: generated at start-up (self-signed, the
 * default), a PKCS#12 keystore, or PEM files. Immutable.
 */
public final class TlsIdentity {
  enum Kind {
    SELF_SIGNED,
    PKCS12,
    PEM
  }

  private static final TlsIdentity SELF_SIGNED =
      new TlsIdentity(Kind.SELF_SIGNED, null, null, null);

  private final Kind kind;
  private final Path first;
  private final Path second;
  private final String password;

  private TlsIdentity(Kind kind, Path first, Path second, String password) {
    this.kind = kind;
    this.first = first;
    this.second = second;
    this.password = password;
  }

  /**
   * A certificate generated when the server starts, self-signed, valid for the configured host
   * name, {@code localhost}, {@code 127.0.0.1} and {@code ::1}. Clients trust it through {@link
   * Mailsink#tls()}.
   */
  public static TlsIdentity selfSigned() {
    return SELF_SIGNED;
  }

  /**
   * The first private-key entry of a PKCS#12 keystore.
   *
   * @param keystore the {@code .p12} file
   * @param password the store (and key) password
   */
  public static TlsIdentity pkcs12(Path keystore, String password) {
    return new TlsIdentity(
        Kind.PKCS12,
        Objects.requireNonNull(keystore, "keystore"),
        null,
        Objects.requireNonNull(password, "password"));
  }

  /**
   * A PEM certificate chain and an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1).
   *
   * @param certificateChain the certificate, optionally followed by its chain
   * @param privateKey the private key
   */
  public static TlsIdentity pem(Path certificateChain, Path privateKey) {
    return new TlsIdentity(
        Kind.PEM,
        Objects.requireNonNull(certificateChain, "certificateChain"),
        Objects.requireNonNull(privateKey, "privateKey"),
        null);
  }

  Kind kind() {
    return kind;
  }

  Path first() {
    return first;
  }

  Path second() {
    return second;
  }

  String password() {
    return password;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SELF_SIGNED -> "TlsIdentity{self-signed}";
      case PKCS12 -> "TlsIdentity{pkcs12=" + first + "}";
      case PEM -> "TlsIdentity{pem=" + first + ", key=" + second + "}";
    };
  }
}
