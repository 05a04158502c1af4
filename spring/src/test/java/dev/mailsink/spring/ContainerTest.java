package dev.mailsink.spring;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailbox;
import dev.mailsink.TlsMode;
import dev.mailsink.testcontainers.MailsinkContainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

/** Needs the image mailsink/mailsink:&lt;version&gt;, built by docker/testcontainers' tests. */
@Tag("docker")
@SpringBootTest
@AutoConfigureMailsink(container = true, startTls = TlsMode.REQUIRED, auth = "app:s3cret")
@Timeout(120)
class ContainerTest {

  @Autowired ApplicationContext context;
  @Autowired Environment environment;
  @Autowired MailsinkContainer container;
  @Autowired Mailbox mailbox;
  @Autowired MailTestApplication.Greeter greeter;

  @Test
  void publishesTheContainersMappedSmtpPort() {
    assertThat(container.isRunning()).isTrue();
    assertThat(environment.getProperty("spring.mail.host")).isEqualTo(container.getSmtpHost());
    assertThat(environment.getProperty("spring.mail.port", Integer.class))
        .isEqualTo(container.getSmtpPort());
    assertThat(context.containsBean("mailsink")).isFalse();
  }

  @Test
  void bootsMailSenderSendsToTheContainerOverTlsAuthenticated() {
    greeter.greet("alice@example.com");

    assertThat(mailbox)
        .receivedExactly(1)
        .to("alice@example.com")
        .withSubject("Hello")
        .sentOverTls()
        .authenticatedAs("app");
  }
}
