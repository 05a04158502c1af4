package dev.mailsink.spring;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.TlsMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

@SpringBootTest
@AutoConfigureMailsink(startTls = TlsMode.REQUIRED, auth = "app:s3cret")
@Timeout(60)
class TlsAndAuthTest {

  @Autowired Environment environment;
  @Autowired Mailsink sink;
  @Autowired Mailbox mailbox;
  @Autowired JavaMailSenderImpl mailSender;
  @Autowired MailTestApplication.Greeter greeter;

  @Test
  void theSinkRequiresStartTlsAndAuth() {
    assertThat(sink.config().startTls()).isEqualTo(TlsMode.REQUIRED);
    assertThat(sink.config().auth().isRequired()).isTrue();
  }

  @Test
  void publishesStartTlsTrustAndCredentials() {
    String mail = "spring.mail.properties.mail.smtp.";
    assertThat(environment.getProperty(mail + "starttls.enable")).isEqualTo("true");
    assertThat(environment.getProperty(mail + "starttls.required")).isEqualTo("true");
    assertThat(environment.getProperty(mail + "ssl.trust")).isEqualTo(sink.smtpHost());
    assertThat(environment.getProperty(mail + "auth")).isEqualTo("true");
    assertThat(mailSender.getUsername()).isEqualTo("app");
    assertThat(mailSender.getPassword()).isEqualTo("s3cret");
    assertThat(mailSender.getJavaMailProperties())
        .containsEntry("mail.smtp.starttls.required", "true");
  }

  @Test
  void bootsMailSenderSendsOverTlsAuthenticated() {
    greeter.greet("alice@example.com");

    assertThat(mailbox)
        .receivedExactly(1)
        .to("alice@example.com")
        .sentOverTls()
        .authenticatedAs("app");
  }
}
