package dev.mailsink.examples.junit6;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailsink;
import dev.mailsink.junit.MailsinkTest;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The extension, compiled against JUnit 5.14, running on JUnit 6. */
@MailsinkTest
@Timeout(30)
class WelcomeMailerTest {

  private static WelcomeMailer mailerFor(Mailsink sink) {
    Properties props = new Properties();
    props.setProperty("mail.smtp.host", sink.smtpHost());
    props.setProperty("mail.smtp.port", String.valueOf(sink.smtpPort()));
    return new WelcomeMailer(props);
  }

  @Test
  void theseTestsRunOnJUnit6() {
    assertThat(Test.class.getPackage().getImplementationVersion()).startsWith("6.");
  }

  @ParameterizedTest
  @CsvSource({"alice@example.com, Alice", "bob@example.com, Bob"})
  void sendsOneWelcomeMailPerSignup(String address, String name, Mailsink sink) throws Exception {
    mailerFor(sink).sendWelcome(address, name);

    assertThat(sink)
        .receivedExactly(1)
        .from("welcome@app.example")
        .to(address)
        .withSubject("Welcome, " + name)
        .withTextContaining("your account is ready");
  }

  @Nested
  class WhenNobodySignsUp {
    @Test
    void noMailIsSent(Mailsink sink) {
      assertThat(sink).within(Duration.ofMillis(200)).receivedNothing();
    }
  }
}
