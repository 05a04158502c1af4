package dev.mailsink.examples.orders;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;

import dev.mailsink.Mailbox;
import dev.mailsink.junit.MailsinkExtension;
import dev.mailsink.junit.MailsinkNamespace;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Tests running at once on the shared container, each seeing only the mail to its addresses. */
@Tag("docker")
@Execution(ExecutionMode.CONCURRENT)
class OrderConfirmationParallelTest {
  @RegisterExtension static MailsinkExtension mail = SharedMailsink.NAMESPACES;

  @RepeatedTest(10)
  void eachConfirmationLandsInItsOwnTestsMailbox(
      MailsinkNamespace ns, Mailbox mailbox, RepetitionInfo repetition) throws Exception {
    String order = "20" + repetition.getCurrentRepetition();

    SharedMailsink.mailer().confirm(ns.address("alice"), order);

    assertThat(mailbox)
        .receivedExactly(1)
        .to(ns.address("alice"))
        .withSubject("Order " + order + " confirmed");
  }
}
