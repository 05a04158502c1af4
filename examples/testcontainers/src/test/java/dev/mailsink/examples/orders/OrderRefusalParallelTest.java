package dev.mailsink.examples.orders;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Mailbox;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.junit.MailsinkExtension;
import dev.mailsink.junit.MailsinkNamespace;
import jakarta.mail.SendFailedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A refusing recipient on the shared container: the rule is restricted to this test's addresses, so
 * tests running at the same time still get their mail, and it is removed after the test.
 */
@Tag("docker")
@Execution(ExecutionMode.CONCURRENT)
class OrderRefusalParallelTest {
  @RegisterExtension static MailsinkExtension mail = SharedMailsink.NAMESPACES;

  @Test
  void aRecipientTheRelayRefusesFailsTheConfirmation(MailsinkNamespace ns, Mailbox mailbox) {
    ns.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.7.1 Recipient refused"));

    assertThatThrownBy(() -> SharedMailsink.mailer().confirm(ns.address("bob"), "1043"))
        .isInstanceOf(SendFailedException.class);
    assertThat(mailbox).receivedNothing();
  }
}
