package dev.mailsink.examples.spring;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailbox;
import dev.mailsink.spring.AutoConfigureMailsink;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;

/**
 * The signup again, with mailsink-spring: the annotation starts a sink for the cached context and
 * sets {@code spring.mail.host}/{@code port} before the context starts; the mailbox is a bean.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMailsink
@Timeout(60)
class SignupAutoConfiguredTest {

  @Autowired TestRestTemplate http;
  @Autowired Mailbox mailbox;

  @Test
  void signupSendsAConfirmationMailWhoseLinkConfirmsTheAddress() {
    http.postForEntity("/signup?email={email}", null, String.class, "alice@example.com");

    String link =
        assertThat(mailbox)
            .receivedExactly(1)
            .to("alice@example.com")
            .withSubject("Confirm your address")
            .firstLinkMatching("/confirm\\?token=");

    assertThat(http.getForEntity(URI.create(link), String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
  }
}
