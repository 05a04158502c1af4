package dev.mailsink.relay;

import dev.mailsink.TlsMaterial;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which upstream certificates the relay trusts: the system's trusted authorities (the default), a
 * given certificate or trust store (e.g. another Mailsink's self-signed certificate), or, only when
 * asked for explicitly, any certificate. The upstream's host name is checked against its
 * certificate unless trust is {@link #insecure()}. Immutable.
 */
public final class RelayTrust {
  private static final RelayTrust SYSTEM = new RelayTrust("system", null, false, List.of());
  private static final RelayTrust INSECURE = new RelayTrust("insecure", null, true, List.of());

  private final String description;
  private final SSLContext context;
  private final boolean insecure;
  private final List<X509Certificate> certificates;

  private RelayTrust(
      String description,
      SSLContext context,
      boolean insecure,
      List<X509Certificate> certificates) {
    this.description = description;
    this.context = context;
    this.insecure = insecure;
    this.certificates = List.copyOf(certificates);
  }

  /** The JVM's trusted certificate authorities (the default). */
  public static RelayTrust system() {
    return SYSTEM;
  }

  /** Only this certificate (typically a self-signed upstream's own). */
  public static RelayTrust certificate(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    TlsMaterial material = TlsMaterial.trusting(certificate);
    return new RelayTrust(
        "certificate " + certificate.getSubjectX500Principal().getName(),
        material.sslContext(),
        false,
        List.of(certificate));
  }

  /**
   * Only the certificate(s) in this PEM text.
   *
   * @throws IllegalArgumentException if the text holds no readable certificate
   */
  public static RelayTrust pem(String pem) {
    Objects.requireNonNull(pem, "pem");
    TlsMaterial material = TlsMaterial.fromPem(pem);
    return new RelayTrust(
        "certificate " + material.certificate().getSubjectX500Principal().getName(),
        material.sslContext(),
        false,
        List.of(material.certificate()));
  }

  /**
   * The certificates of this trust store (loaded, e.g. from a PKCS#12 or JKS file).
   *
   * @throws IllegalArgumentException if the store cannot be used as trust material
   */
  public static RelayTrust trustStore(KeyStore store) {
    Objects.requireNonNull(store, "store");
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      List<X509Certificate> certificates = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.getCertificate(alias) instanceof X509Certificate c) {
          certificates.add(c);
        }
      }
      return new RelayTrust(
          "trust store (" + store.size() + " entries)", context, false, certificates);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the trust store cannot be used: " + e.getMessage(), e);
    }
  }

  /**
   * Any certificate, without checking the host name: encryption without authentication, for test
   * upstreams only.
   */
  public static RelayTrust insecure() {
    return INSECURE;
  }

  /**
   * The certificates trusted by {@link #certificate}, {@link #pem} or {@link #trustStore}; empty
   * for {@link #system()} and {@link #insecure()}.
   */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** Whether every certificate is accepted. */
  public boolean isInsecure() {
    return insecure;
  }

  /**
   * The TLS context that trusts the given certificate or trust store; empty for {@link #system()}
   * and {@link #insecure()}.
   */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(context);
  }

  @Override
  public String toString() {
    return description;
  }
}
