package dev.mailsink.examples.greenmail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mailsink.examples.signup.SignupApp;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shortest GreenMail version: it searches the raw body (every MIME part, still transfer
 * encoded). It works here only because the app's parts happen to be sent 7bit; with
 * quoted-printable or base64 parts the link is not found as written. See SignupGreenMailTest.
 */
@Timeout(30)
class SignupGreenMailRawBodyTest {

  @RegisterExtension
  static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @Test
  void signupSendsAConfirmationMailWhoseLinkConfirmsTheAddress() throws Exception {
    try (SignupApp app = SignupApp.start("127.0.0.1", greenMail.getSmtp().getPort())) {
      app.signup("alice@example.com");

      assertThat(greenMail.waitForIncomingEmail(5_000, 1)).as("mail arrived").isTrue();
      MimeMessage[] received = greenMail.getReceivedMessages();
      assertThat(received).hasSize(1);
      MimeMessage mail = received[0];
      assertThat(mail.getRecipients(Message.RecipientType.TO))
          .extracting(Address::toString)
          .containsExactly("alice@example.com");
      assertThat(mail.getSubject()).isEqualTo("Confirm your address");
      Matcher matcher =
          Pattern.compile("https?://\\S+/confirm\\?token=\\S+")
              .matcher(GreenMailUtil.getBody(mail));
      assertThat(matcher.find()).as("confirmation link").isTrue();
      String link = matcher.group();

      var http = (HttpURLConnection) URI.create(link).toURL().openConnection();
      assertThat(http.getResponseCode()).isEqualTo(200);
      assertThat(app.isConfirmed("alice@example.com")).isTrue();
    }
  }
}
