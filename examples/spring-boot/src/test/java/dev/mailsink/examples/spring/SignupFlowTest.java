package dev.mailsink.examples.spring;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.junit.MailsinkExtension;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The whole signup through HTTP and SMTP. Mailsink publishes {@code spring.mail.host} and {@code
 * spring.mail.port} before Spring starts the application, so Boot's {@code JavaMailSender} sends to
 * it with no test configuration at all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(60)
class SignupFlowTest {

  @RegisterExtension
  static MailsinkExtension mail =
      MailsinkExtension.with(MailsinkConfig.defaults()).publishingSystemProperties();

  @Autowired TestRestTemplate http;
  @Autowired SignupService signups;

  private ResponseEntity<String> signUp(String email) {
    return http.postForEntity("/signup?email={email}", null, String.class, email);
  }

  @Test
  void signupSendsAConfirmationMailWhoseLinkConfirmsTheAddress(Mailsink sink) {
    assertThat(signUp("alice@example.com").getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

    String link =
        assertThat(sink)
            .receivedExactly(1)
            .from("no-reply@app.example")
            .to("alice@example.com")
            .withSubject("Confirm your address")
            .withHtmlContaining("confirm your address</a>")
            .firstLinkMatching("/confirm\\?token=");

    assertThat(http.getForEntity(URI.create(link), String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    assertThat(signups.isConfirmed("alice@example.com")).isTrue();
  }

  @Test
  void aLinkWorksOnlyOnce(Mailsink sink) {
    signUp("bob@example.com");
    String link = assertThat(sink).receivedExactly(1).firstLinkMatching("/confirm\\?token=");

    http.getForEntity(URI.create(link), String.class);

    assertThat(http.getForEntity(URI.create(link), String.class).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
  }
}
