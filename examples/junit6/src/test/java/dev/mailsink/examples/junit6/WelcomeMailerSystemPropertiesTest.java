package dev.mailsink.examples.junit6;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.junit.MailsinkExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An application configured by system properties finds the server without any wiring. */
@Timeout(30)
class WelcomeMailerSystemPropertiesTest {

  @RegisterExtension
  static MailsinkExtension mail =
      MailsinkExtension.with(MailsinkConfig.defaults()).publishingSystemProperties();

  @Test
  void sendsToTheServerPublishedInTheSystemProperties(Mailsink sink) throws Exception {
    new WelcomeMailer(System.getProperties()).sendWelcome("carol@example.com", "Carol");

    assertThat(sink).receivedExactly(1).to("carol@example.com").withSubject("Welcome, Carol");
  }
}
