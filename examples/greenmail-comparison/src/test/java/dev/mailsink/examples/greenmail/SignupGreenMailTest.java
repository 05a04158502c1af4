package dev.mailsink.examples.greenmail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mailsink.examples.signup.SignupApp;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class SignupGreenMailTest {

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
      Matcher matcher = Pattern.compile("https?://\\S+/confirm\\?token=\\S+").matcher(textOf(mail));
      assertThat(matcher.find()).as("confirmation link").isTrue();
      String link = matcher.group();

      var http = (HttpURLConnection) URI.create(link).toURL().openConnection();
      assertThat(http.getResponseCode()).isEqualTo(200);
      assertThat(app.isConfirmed("alice@example.com")).isTrue();
    }
  }

  // GreenMail hands out the MimeMessage: finding the text part of a multipart mail is up to us.
  private static String textOf(Part part) throws Exception {
    if (part.isMimeType("text/plain")) {
      return (String) part.getContent();
    }
    if (part.getContent() instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        String text = textOf(multipart.getBodyPart(i));
        if (!text.isEmpty()) {
          return text;
        }
      }
    }
    return "";
  }
}
