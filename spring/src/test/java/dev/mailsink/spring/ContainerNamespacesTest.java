package dev.mailsink.spring;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Mailbox;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.junit.MailsinkNamespace;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.MailSendException;

/**
 * A namespace per test on the context's container: the beans resolve to the test's namespace over
 * the container's JSON API. Needs the image mailsink/mailsink:&lt;version&gt;, built by
 * docker/testcontainers' tests.
 */
@Tag("docker")
@SpringBootTest
@AutoConfigureMailsink(container = true, namespacePerTest = true)
@Timeout(120)
class ContainerNamespacesTest {
  @Autowired MailTestApplication.Greeter greeter;
  @Autowired MailsinkNamespace ns;
  @Autowired Mailbox mailbox;
  @Autowired FaultRules faults;

  @RepeatedTest(3)
  void eachTestSeesOnlyItsOwnMailThoughNothingIsEmptied() {
    greeter.greet(ns.address("alice"));

    assertThat(mailbox).receivedExactly(1).to(ns.address("alice"));
  }

  @Test
  void aFaultRuleHitsTheTestsOwnMail() {
    faults.add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No such user here").times(1));

    assertThatThrownBy(() -> greeter.greet(ns.address("bob")))
        .isInstanceOf(MailSendException.class);
    greeter.greet(ns.address("bob"));
    assertThat(mailbox).receivedExactly(1);
  }
}
