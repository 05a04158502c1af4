package dev.mailsink.examples.signup;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailsink;
import dev.mailsink.junit.MailsinkTest;
import java.net.HttpURLConnection;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@MailsinkTest
@Timeout(30)
class SignupTest {

  @Test
  void signupSendsAConfirmationMailWhoseLinkConfirmsTheAddress(Mailsink sink) throws Exception {
    try (SignupApp app = SignupApp.start(sink.smtpHost(), sink.smtpPort())) {
      app.signup("alice@example.com");

      String link =
          assertThat(sink)
              .receivedExactly(1)
              .to("alice@example.com")
              .withSubject("Confirm your address")
              .firstLinkMatching("/confirm\\?token=");

      var http = (HttpURLConnection) URI.create(link).toURL().openConnection();
      assertThat(http.getResponseCode()).isEqualTo(200);
      assertThat(app.isConfirmed("alice@example.com")).isTrue();
    }
  }
}
