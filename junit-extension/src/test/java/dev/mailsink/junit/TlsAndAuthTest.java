package dev.mailsink.junit;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.AuthConfig;
import dev.mailsink.Credentials;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsMode;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * A server that requires STARTTLS and AUTH, published as system properties: a Jakarta Mail session
 * built from them reaches it over TLS, and the assertions see TLS and the user.
 */
@Timeout(30)
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class TlsAndAuthTest {

  @RegisterExtension
  static MailsinkExtension mail =
      MailsinkExtension.with(
              MailsinkConfig.builder()
                  .startTls(TlsMode.REQUIRED)
                  .auth(AuthConfig.required(Credentials.of("app", "s3cret")))
                  .build())
          .publishingSystemProperties();

  private static void sendAsApp() throws Exception {
    Properties props = new Properties();
    props.putAll(System.getProperties());
    props.setProperty("mail.smtp.auth", "true");
    Session session =
        Session.getInstance(
            props,
            new Authenticator() {
              @Override
              protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("app", "s3cret");
              }
            });
    MimeMessage message = new MimeMessage(session);
    message.setFrom("shop@example.com");
    message.setRecipients(Message.RecipientType.TO, "alice@example.com");
    message.setSubject("Over TLS");
    message.setText("secret");
    Transport.send(message);
  }

  @Test
  void aSessionBuiltFromThePublishedPropertiesSendsOverTls(Mailsink sink) throws Exception {
    sendAsApp();

    assertThat(sink).receivedExactly(1).sentOverTls().authenticatedAs("app");
  }

  @Test
  void aFailedAuthenticationConditionNamesTheActualUser(Mailsink sink) throws Exception {
    sendAsApp();

    assertThatThrownBy(() -> assertThat(sink).receivedExactly(1).authenticatedAs("admin"))
        .hasMessageContaining("have been sent by a client authenticated as \"admin\"")
        .hasMessageContaining("the client authenticated as \"app\"");
  }

  @Test
  void thePublishedTrustStoreHoldsTheServersCertificate(Mailsink sink) throws Exception {
    KeyStore store = KeyStore.getInstance(System.getProperty("javax.net.ssl.trustStoreType"));
    try (InputStream in =
        Files.newInputStream(Path.of(System.getProperty("javax.net.ssl.trustStore")))) {
      store.load(in, System.getProperty("javax.net.ssl.trustStorePassword").toCharArray());
    }

    assertThat(store.getCertificate("mailsink")).isEqualTo(sink.tls().certificate());
    assertThat(System.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
    assertThat(System.getProperty("spring.mail.properties.mail.smtp.ssl.trust"))
        .isEqualTo(sink.smtpHost());
  }
}
