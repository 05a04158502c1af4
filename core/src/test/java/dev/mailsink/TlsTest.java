package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.testing.TestMail;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TlsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static Properties smtpProps(Mailsink sink, int port) {
    Properties props = new Properties();
    props.put("mail.smtp.host", "localhost");
    props.put("mail.smtp.port", String.valueOf(port));
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    props.put("mail.smtp.timeout", "5000");
    props.put("mail.smtp.connectiontimeout", "5000");
    return props;
  }

  private static Session startTlsSession(Mailsink sink) {
    Properties props = smtpProps(sink, sink.smtpPort());
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.socketFactory", sink.tls().sslContext().getSocketFactory());
    return Session.getInstance(props);
  }

  @Test
  void requiredStartTlsRefusesMailBeforeTls() throws Exception {
    try (Mailsink sink =
            Mailsink.start(MailsinkConfig.builder().startTls(TlsMode.REQUIRED).build());
        SmtpScript smtp = SmtpScript.connect(sink)) {
      smtp.expectCode(220);
      assertThat(smtp.send("EHLO client.test").expectCode(250).extensions()).contains("STARTTLS");
      assertThat(smtp.send("MAIL FROM:<a@x.test>").expectCode(530).text())
          .isEqualTo("5.7.0 Must issue a STARTTLS command first");
      assertThat(smtp.send("STARTTLS").expectCode(220).text()).startsWith("2.0.0");
    }
  }

  @Test
  void jakartaMailWithRequiredStartTlsTrustingOnlyTheExposedCertificate() throws Exception {
    try (Mailsink sink =
        Mailsink.start(MailsinkConfig.builder().startTls(TlsMode.REQUIRED).build())) {
      TestMail.send(startTlsSession(sink), "a@x.test", "b@y.test", "secret", "over TLS");
      CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
      assertThat(got.envelope().isTls()).isTrue();
      assertThat(got.envelope().tlsProtocol()).isIn("TLSv1.3", "TLSv1.2");
      assertThat(got.envelope().tlsCipher()).startsWith("TLS_");
      assertThat(got.text().orElseThrow().strip()).isEqualTo("over TLS");
    }
  }

  @Test
  void clientThatDoesNotTrustTheCertificateFails() throws Exception {
    try (Mailsink sink =
        Mailsink.start(MailsinkConfig.builder().startTls(TlsMode.REQUIRED).build())) {
      Properties props = smtpProps(sink, sink.smtpPort());
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      assertThatThrownBy(
              () -> TestMail.send(Session.getInstance(props), "a@x.test", "b@y.test", "x", "x"))
          .isInstanceOf(MessagingException.class)
          .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      assertThat(sink.mailbox().count()).isZero();
    }
  }

  @Test
  void aClientSilentBeforeTheImplicitTlsHandshakeMeetsTheIdleTimeout() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().smtpsPort(0).idleTimeout(Duration.ofMillis(300)).build();
    try (Mailsink sink = Mailsink.start(config);
        java.net.Socket silent = new java.net.Socket(sink.smtpHost(), sink.smtpsPort())) {
      // the server waits for a ClientHello that never comes; its idle timeout must end the wait
      silent.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
      assertThat(SmtpScript.isEndedByServer(silent.getInputStream())).isTrue();
    }
  }

  @Test
  void aClientSilentAfterStartTlsMeetsTheIdleTimeout() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder()
            .startTls(TlsMode.OPTIONAL)
            .idleTimeout(Duration.ofMillis(300))
            .build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("STARTTLS").expectCode(220);
      // no handshake follows: the server must not wait for it longer than its idle timeout
      assertThat(smtp.isEndedByServer()).isTrue();
    }
  }

  @Test
  void implicitTlsPortSharesTheMailbox() throws Exception {
    MailsinkConfig config = MailsinkConfig.builder().smtpsPort(0).build();
    try (Mailsink sink = Mailsink.start(config)) {
      Properties props = smtpProps(sink, sink.smtpsPort());
      props.put("mail.smtp.ssl.enable", "true");
      props.put("mail.smtp.ssl.socketFactory", sink.tls().sslContext().getSocketFactory());
      TestMail.send(Session.getInstance(props), "a@x.test", "b@y.test", "smtps", "x");
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "plain", "x");
      List<CapturedMessage> got = sink.mailbox().await(2, WAIT);
      assertThat(got)
          .extracting(m -> m.subject() + "/" + m.envelope().isTls())
          .containsExactly("smtps/true", "plain/false");
      assertThat(sink.toString()).contains("smtps=127.0.0.1:" + sink.smtpsPort());
    }
  }

  @Test
  void implicitTlsPortRefusesStartTlsAndDoesNotAdvertiseIt() throws Exception {
    try (Mailsink sink =
            Mailsink.start(
                MailsinkConfig.builder().startTls(TlsMode.OPTIONAL).smtpsPort(0).build());
        SSLSocket socket =
            (SSLSocket)
                sink.tls()
                    .sslContext()
                    .getSocketFactory()
                    .createSocket("localhost", sink.smtpsPort())) {
      socket.startHandshake();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()));
      var out = socket.getOutputStream();
      assertThat(in.readLine()).startsWith("220 ");
      out.write("EHLO c\r\n".getBytes());
      String line;
      List<String> ehlo = new java.util.ArrayList<>();
      do {
        line = in.readLine();
        ehlo.add(line);
      } while (line.charAt(3) == '-');
      assertThat(ehlo).noneMatch(l -> l.contains("STARTTLS"));
      out.write("STARTTLS\r\n".getBytes());
      assertThat(in.readLine()).startsWith("503 5.5.1");
    }
  }

  @Test
  void ehloOffersStartTlsOnlyWhenEnabledAndNotYetActive() throws Exception {
    try (Mailsink off = Mailsink.start();
        SmtpScript smtp = SmtpScript.ehlo(off)) {
      smtp.send("EHLO again");
      assertThat(smtp.reply().extensions()).doesNotContain("STARTTLS");
      assertThat(smtp.send("STARTTLS").expectCode(502).text()).startsWith("5.5.1");
      assertThatThrownBy(off::tls)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("TLS is off");
    }
  }

  @Test
  void generatedCertificateNamesTheHostLocalhostAndLoopback() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().hostName("mail.test").startTls(TlsMode.OPTIONAL).build();
    try (Mailsink sink = Mailsink.start(config)) {
      X509Certificate cert = sink.tls().certificate();
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      assertThat(names.stream().map(n -> String.valueOf(n.get(1))).toList())
          .contains("mail.test", "localhost", "127.0.0.1");
      assertThat(sink.tls().certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
      assertThat(TlsMaterial.fromPem(sink.tls().certificatePem()).certificate()).isEqualTo(cert);
      KeyStore trust = sink.tls().trustStore();
      assertThat(trust.getCertificate("mailsink")).isEqualTo(cert);
    }
  }

  @Test
  void pkcs12KeystoreIsUsedWhenGiven(@TempDir Path dir) throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate cert = selfSigned(pair, "given.test");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "server", pair.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
    Path p12 = dir.resolve("server.p12");
    try (var out = Files.newOutputStream(p12)) {
      store.store(out, "pw".toCharArray());
    }
    MailsinkConfig config =
        MailsinkConfig.builder()
            .startTls(TlsMode.REQUIRED)
            .tlsIdentity(TlsIdentity.pkcs12(p12, "pw"))
            .build();
    try (Mailsink sink = Mailsink.start(config)) {
      assertThat(sink.tls().certificate()).isEqualTo(cert);
      Properties props = smtpProps(sink, sink.smtpPort());
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.checkserveridentity", "false");
      props.put("mail.smtp.ssl.socketFactory", sink.tls().sslContext().getSocketFactory());
      TestMail.send(Session.getInstance(props), "a@x.test", "b@y.test", "p12", "x");
      assertThat(sink.mailbox().await(1, WAIT).get(0).envelope().isTls()).isTrue();
    }
  }

  @Test
  void pemCertificateAndKeyAreUsedWhenGiven(@TempDir Path dir) throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate cert = selfSigned(pair, "pem.test");
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    writePem(certFile, cert);
    writePem(
        keyFile, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
    MailsinkConfig config =
        MailsinkConfig.builder()
            .smtpsPort(0)
            .tlsIdentity(TlsIdentity.pem(certFile, keyFile))
            .build();
    try (Mailsink sink = Mailsink.start(config)) {
      assertThat(sink.tls().certificate()).isEqualTo(cert);
    }
  }

  @Test
  void unreadableKeystoreIsAClearError(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing.p12");
    MailsinkConfig config =
        MailsinkConfig.builder()
            .smtpsPort(0)
            .tlsIdentity(TlsIdentity.pkcs12(missing, "pw"))
            .build();
    assertThatThrownBy(() -> Mailsink.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot set up TLS from TlsIdentity{pkcs12=" + missing + "}");
  }

  static X509Certificate selfSigned(KeyPair pair, String cn) throws Exception {
    X500Name name = new X500Name("CN=" + cn);
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.TEN,
            Date.from(now.minusSeconds(60)),
            Date.from(now.plusSeconds(3600)),
            name,
            pair.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }

  private static void writePem(Path file, Object object) throws IOException {
    try (Writer w = Files.newBufferedWriter(file);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(object);
    }
  }
}
