package dev.mailsink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a client needs to trust a Mailsink server's certificate, and nothing else: the certificate
 * as PEM text, as a trust {@link KeyStore}, and as a ready {@link SSLContext}. Immutable.
 */
public final class TlsMaterial {
  private final X509Certificate certificate;

  private TlsMaterial(X509Certificate certificate) {
    this.certificate = certificate;
  }

  /** Trust material for one certificate. */
  public static TlsMaterial trusting(X509Certificate certificate) {
    return new TlsMaterial(Objects.requireNonNull(certificate, "certificate"));
  }

  /**
   * Trust material for the first certificate in PEM text, e.g. as served by {@code GET
   * /api/v1/tls/certificate}.
   *
   * @throws IllegalArgumentException if the text holds no readable certificate
   */
  public static TlsMaterial fromPem(String pem) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      return trusting(
          (X509Certificate)
              factory.generateCertificate(
                  new ByteArrayInputStream(
                      pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /** The server certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate as PEM text ({@code -----BEGIN CERTIFICATE-----}). */
  public String certificatePem() {
    try {
      String base64 =
          Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  /** A new PKCS#12 trust store holding only the certificate, under the alias {@code mailsink}. */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("mailsink", certificate);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store", e);
    }
  }

  /** A new client {@link SSLContext} that trusts this certificate only. */
  public SSLContext sslContext() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build an SSLContext", e);
    }
  }

  @Override
  public String toString() {
    return "TlsMaterial{" + certificate.getSubjectX500Principal() + "}";
  }
}
