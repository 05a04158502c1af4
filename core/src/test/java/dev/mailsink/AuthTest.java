package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.testing.TestMail;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class AuthTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static void sendAs(Mailsink sink, String mechanism, String user, String password)
      throws Exception {
    Properties props = new Properties();
    props.put("mail.smtp.host", sink.smtpHost());
    props.put("mail.smtp.port", String.valueOf(sink.smtpPort()));
    props.put("mail.smtp.auth", "true");
    props.put("mail.smtp.auth.mechanisms", mechanism);
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom("app@x.test");
    message.setRecipients(Message.RecipientType.TO, "b@y.test");
    message.setSubject("via " + mechanism);
    message.setText("x");
    Transport.send(message, user, password);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "LOGIN"})
  void configuredUserAuthenticatesWithEachMechanism(String mechanism) throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().auth(AuthConfig.required(Credentials.of("app", "s3cret"))).build();
    try (Mailsink sink = Mailsink.start(config)) {
      sendAs(sink, mechanism, "app", "s3cret");
      CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
      assertThat(got.envelope().authenticatedUser()).isEqualTo("app");
      assertThat(got.subject()).isEqualTo("via " + mechanism);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "LOGIN"})
  void wrongPasswordIsRefusedWithEachMechanism(String mechanism) {
    MailsinkConfig config =
        MailsinkConfig.builder().auth(AuthConfig.required(Credentials.of("app", "s3cret"))).build();
    try (Mailsink sink = Mailsink.start(config)) {
      assertThatThrownBy(() -> sendAs(sink, mechanism, "app", "wrong"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("535 5.7.8");
      assertThat(sink.mailbox().count()).isZero();
    }
  }

  @Test
  void wrongCredentialsGet535WithEnhancedCode() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().auth(AuthConfig.required(Credentials.of("app", "s3cret"))).build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      String bad =
          Base64.getEncoder().encodeToString("\0app\0nope".getBytes(StandardCharsets.UTF_8));
      assertThat(smtp.send("AUTH PLAIN " + bad).expectCode(535).text()).startsWith("5.7.8");
      String good =
          Base64.getEncoder().encodeToString("\0app\0s3cret".getBytes(StandardCharsets.UTF_8));
      assertThat(smtp.send("AUTH PLAIN " + good).expectCode(235).text()).startsWith("2.7.0");
      assertThat(smtp.send("AUTH PLAIN " + good).expectCode(503).text()).startsWith("5.5.1");
    }
  }

  // Jakarta Mail (Angus) has no CRAM-MD5, so these exchanges are scripted by hand.
  private static String cramMd5Answer(String challengeLine, String user, String password)
      throws Exception {
    String challenge =
        new String(
            Base64.getDecoder().decode(challengeLine.substring(4)), StandardCharsets.US_ASCII);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
    String digest =
        java.util.HexFormat.of()
            .formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.US_ASCII)));
    return Base64.getEncoder()
        .encodeToString((user + " " + digest).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void cramMd5AuthenticatesAConfiguredUser() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().auth(AuthConfig.required(Credentials.of("app", "s3cret"))).build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      String challenge = smtp.send("AUTH CRAM-MD5").expectCode(334).lines().get(0);
      assertThat(
              new String(
                  Base64.getDecoder().decode(challenge.substring(4)), StandardCharsets.US_ASCII))
          .matches("<\\d+\\.\\d+@localhost>");
      smtp.send(cramMd5Answer(challenge, "app", "s3cret"));
      assertThat(smtp.expectCode(235).text()).startsWith("2.7.0");
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw("Subject: cram\r\n\r\nx\r\n.\r\n").expectCode(250);
    }
  }

  @Test
  void cramMd5RefusesAWrongPassword() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().auth(AuthConfig.required(Credentials.of("app", "s3cret"))).build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      String challenge = smtp.send("AUTH CRAM-MD5").expectCode(334).lines().get(0);
      smtp.send(cramMd5Answer(challenge, "app", "wrong"));
      assertThat(smtp.expectCode(535).text()).isEqualTo("5.7.8 Authentication credentials invalid");
      assertThat(smtp.send("MAIL FROM:<a@x.test>").expectCode(530).text()).startsWith("5.7.0");
    }
  }

  @Test
  void cramMd5WithAnyCredentialsRecordsTheUser() throws Exception {
    try (Mailsink sink =
            Mailsink.start(MailsinkConfig.builder().auth(AuthConfig.required()).build());
        SmtpScript smtp = SmtpScript.ehlo(sink)) {
      String challenge = smtp.send("AUTH CRAM-MD5").expectCode(334).lines().get(0);
      smtp.send(cramMd5Answer(challenge, "anyone", "anything")).expectCode(235);
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw("Subject: cram\r\n\r\nx\r\n.\r\n").expectCode(250);
    }
  }

  @Test
  void requiredAuthRefusesMailWithout() throws Exception {
    try (Mailsink sink =
            Mailsink.start(MailsinkConfig.builder().auth(AuthConfig.required()).build());
        SmtpScript smtp = SmtpScript.connect(sink)) {
      smtp.expectCode(220);
      assertThat(smtp.send("EHLO c").expectCode(250).extensions())
          .contains("AUTH PLAIN LOGIN CRAM-MD5");
      assertThat(smtp.send("MAIL FROM:<a@x.test>").expectCode(530).text())
          .isEqualTo("5.7.0 Authentication required");
    }
  }

  @Test
  void requiredAnyCredentialsAcceptsAnyUser() throws Exception {
    try (Mailsink sink =
        Mailsink.start(MailsinkConfig.builder().auth(AuthConfig.required()).build())) {
      sendAs(sink, "LOGIN", "whoever", "whatever");
      sendAs(sink, "PLAIN", "someone", "anything");
      assertThat(sink.mailbox().await(2, WAIT))
          .extracting(m -> m.envelope().authenticatedUser())
          .containsExactly("whoever", "someone");
    }
  }

  @Test
  void optionalAuthAcceptsMailWithAndWithout() throws Exception {
    try (Mailsink sink =
        Mailsink.start(MailsinkConfig.builder().auth(AuthConfig.optional()).build())) {
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "anonymous", "x");
      sendAs(sink, "PLAIN", "named", "pw");
      assertThat(sink.mailbox().await(2, WAIT))
          .extracting(m -> String.valueOf(m.envelope().authenticatedUser()))
          .containsExactly("null", "named");
    }
  }

  @Test
  void authOffIsNotAdvertisedAndRefused() throws Exception {
    try (Mailsink sink = Mailsink.start();
        SmtpScript smtp = SmtpScript.connect(sink)) {
      smtp.expectCode(220);
      assertThat(smtp.send("EHLO c").expectCode(250).extensions())
          .noneMatch(e -> e.startsWith("AUTH"));
      assertThat(smtp.send("AUTH PLAIN AGFAAGI=").expectCode(502).text()).startsWith("5.5.1");
    }
  }

  @Test
  void plaintextMechanismsWaitForTlsWhenAsked() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder()
            .startTls(TlsMode.OPTIONAL)
            .auth(AuthConfig.required(Credentials.of("app", "pw")).plaintextOnlyAfterTls())
            .build();
    try (Mailsink sink = Mailsink.start(config);
        SmtpScript smtp = SmtpScript.connect(sink)) {
      smtp.expectCode(220);
      assertThat(smtp.send("EHLO c").expectCode(250).extensions())
          .contains("AUTH CRAM-MD5", "STARTTLS");
      assertThat(smtp.send("AUTH PLAIN AGFwcABwdw==").expectCode(538).text()).startsWith("5.7.11");
      assertThat(smtp.send("AUTH LOGIN").expectCode(538).text()).startsWith("5.7.11");
    }
    try (Mailsink sink = Mailsink.start(config)) {
      Properties props = new Properties();
      props.put("mail.smtp.host", "localhost");
      props.put("mail.smtp.port", String.valueOf(sink.smtpPort()));
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.auth.mechanisms", "PLAIN");
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", sink.tls().sslContext().getSocketFactory());
      MimeMessage message = new MimeMessage(Session.getInstance(props));
      message.setFrom("a@x.test");
      message.setRecipients(Message.RecipientType.TO, "b@y.test");
      message.setText("x");
      Transport.send(message, "app", "pw");
      CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
      assertThat(got.envelope().authenticatedUser()).isEqualTo("app");
      assertThat(got.envelope().isTls()).isTrue();
    }
  }
}
