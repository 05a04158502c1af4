package dev.mailsink;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The server side of TLS: the key and certificate, loaded or generated, and the server context. */
final class ServerTls {
  private static final char[] IN_MEMORY_PASSWORD = "mailsink".toCharArray();

  private final SSLContext serverContext;
  private final TlsMaterial material;

  private ServerTls(SSLContext serverContext, TlsMaterial material) {
    this.serverContext = serverContext;
    this.material = material;
  }

  SSLContext serverContext() {
    return serverContext;
  }

  TlsMaterial material() {
    return material;
  }

  static ServerTls create(TlsIdentity identity, String hostName) {
    try {
      KeyStore keys =
          switch (identity.kind()) {
            case SELF_SIGNED -> selfSigned(hostName);
            case PKCS12 -> pkcs12(identity);
            case PEM -> pem(identity);
          };
      String alias = firstKeyAlias(keys);
      X509Certificate certificate = (X509Certificate) keys.getCertificate(alias);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(
          keys,
          identity.kind() == TlsIdentity.Kind.PKCS12
              ? identity.password().toCharArray()
              : IN_MEMORY_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return new ServerTls(context, TlsMaterial.trusting(certificate));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalArgumentException(
          "Cannot set up TLS from " + identity + ": " + e.getMessage(), e);
    }
  }

  private static String firstKeyAlias(KeyStore keys) throws GeneralSecurityException {
    Enumeration<String> aliases = keys.aliases();
    while (aliases.hasMoreElements()) {
      String alias = aliases.nextElement();
      if (keys.isKeyEntry(alias)) {
        return alias;
      }
    }
    throw new GeneralSecurityException("the keystore holds no private key entry");
  }

  private static KeyStore selfSigned(String hostName)
      throws GeneralSecurityException, IOException, OperatorCreationException {
    // EC P-256: generated in about a millisecond, unlike RSA, and every TLS client accepts it.
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair pair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=" + hostName + ",O=Mailsink");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(1, ChronoUnit.DAYS)),
            Date.from(now.plus(825, ChronoUnit.DAYS)),
            subject,
            pair.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(hostName));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509CertificateHolder holder =
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
    return keyStore(pair.getPrivate(), new Certificate[] {certificate});
  }

  private static GeneralNames subjectAltNames(String hostName) {
    Set<String> names = new LinkedHashSet<>(List.of(hostName, "localhost"));
    List<GeneralName> result = new ArrayList<>();
    for (String name : names) {
      result.add(
          new GeneralName(isIpLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    result.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    result.add(new GeneralName(GeneralName.iPAddress, "::1"));
    return new GeneralNames(result.toArray(GeneralName[]::new));
  }

  private static boolean isIpLiteral(String name) {
    if (name.contains(":")) {
      return true;
    }
    if (!name.matches("[0-9.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(name);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static KeyStore pkcs12(TlsIdentity identity)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(identity.first())) {
      store.load(in, identity.password().toCharArray());
    }
    return store;
  }

  private static KeyStore pem(TlsIdentity identity) throws GeneralSecurityException, IOException {
    List<Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
    try (Reader reader = Files.newBufferedReader(identity.first());
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(certificates.getCertificate(holder));
        }
      }
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + identity.first());
    }
    PrivateKey key = null;
    JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
    try (Reader reader = Files.newBufferedReader(identity.second());
        PEMParser parser = new PEMParser(reader)) {
      for (Object o = parser.readObject(); o != null && key == null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          key =
              pair.getPublicKeyInfo() != null
                  ? keys.getKeyPair(pair).getPrivate()
                  : keys.getPrivateKey(pair.getPrivateKeyInfo());
        } else if (o instanceof PrivateKeyInfo info) {
          key = keys.getPrivateKey(info);
        }
      }
    }
    if (key == null) {
      throw new GeneralSecurityException(
          "no unencrypted private key in "
              + identity.second()
              + " (PKCS#8, PKCS#1 or SEC1 PEM expected)");
    }
    return keyStore(key, chain.toArray(Certificate[]::new));
  }

  private static KeyStore keyStore(PrivateKey key, Certificate[] chain)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("mailsink", key, IN_MEMORY_PASSWORD, chain);
    return store;
  }
}
