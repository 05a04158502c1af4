package dev.mailsink.spring;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.session.SessionLog;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

@SpringBootTest
@AutoConfigureMailsink
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureMailsinkTest {

  @Autowired Environment environment;
  @Autowired Mailsink sink;
  @Autowired Mailbox mailbox;
  @Autowired FaultRules faults;
  @Autowired SessionLog sessions;
  @Autowired JavaMailSenderImpl mailSender;
  @Autowired MailTestApplication.Greeter greeter;

  @Test
  void publishesTheSinksAddressAsSpringMailProperties() {
    assertThat(sink.isRunning()).isTrue();
    assertThat(environment.getProperty("spring.mail.host")).isEqualTo(sink.smtpHost());
    assertThat(environment.getProperty("spring.mail.port", Integer.class))
        .isEqualTo(sink.smtpPort());
    assertThat(environment.getProperty("mailsink.smtp.port", Integer.class))
        .isEqualTo(sink.smtpPort());
    assertThat(environment.containsProperty("spring.mail.username")).isFalse();
    assertThat(environment.containsProperty("spring.mail.properties.mail.smtp.starttls.enable"))
        .isFalse();
  }

  @Test
  void bootsMailSenderIsConfiguredForTheSink() {
    assertThat(mailSender.getHost()).isEqualTo(sink.smtpHost());
    assertThat(mailSender.getPort()).isEqualTo(sink.smtpPort());
    assertThat(mailSender.getUsername()).isNull();
  }

  @Test
  void theBeansAreTheSinksOwn() {
    assertThat(mailbox).isSameAs(sink.mailbox());
    assertThat(faults).isSameAs(sink.faults());
    assertThat(sessions).isSameAs(sink.sessions());
  }

  @Test
  void mailSentThroughJavaMailSenderIsCapturedInTheInjectedMailbox() {
    greeter.greet("alice@example.com");

    assertThat(mailbox)
        .receivedExactly(1)
        .from("app@example.test")
        .to("alice@example.com")
        .withSubject("Hello")
        .withTextContaining("Hello alice@example.com");
  }

  @Test
  @Order(1)
  void leavesMailAndAFaultRuleBehind() {
    greeter.greet("bob@example.com");
    assertThat(mailbox).receivedExactly(1).to("bob@example.com");
    faults.add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No such user").always());
  }

  @Test
  @Order(2)
  void startsWithAnEmptyMailboxAndNoFaultRules() {
    assertThat(mailbox.count()).isZero();
    assertThat(faults.list()).isEmpty();
    greeter.greet("carol@example.com");
    assertThat(mailbox).receivedExactly(1).to("carol@example.com");
  }
}
