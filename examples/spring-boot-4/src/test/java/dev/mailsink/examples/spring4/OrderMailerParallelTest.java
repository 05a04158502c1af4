package dev.mailsink.examples.spring4;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;

import dev.mailsink.Mailbox;
import dev.mailsink.junit.MailsinkNamespace;
import dev.mailsink.spring.AutoConfigureMailsink;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Test methods running at once on one cached context and its one sink: each gets a namespace of its
 * own, sends to its address and sees only its own mail. Nothing is emptied between tests.
 */
@SpringBootTest
@AutoConfigureMailsink(namespacePerTest = true)
@Execution(ExecutionMode.CONCURRENT)
@Timeout(60)
class OrderMailerParallelTest {

  @Autowired OrderMailer orders;
  @Autowired MailsinkNamespace ns; // this test's addresses
  @Autowired Mailbox mailbox; // this test's mail

  @RepeatedTest(20)
  void eachConfirmationLandsInItsOwnTestsMailbox(RepetitionInfo repetition) throws Exception {
    String orderId = "A-" + repetition.getCurrentRepetition();

    orders.confirm(ns.address("alice"), orderId);

    assertThat(mailbox)
        .receivedExactly(1)
        .to(ns.address("alice"))
        .withSubject("Your order " + orderId);
  }
}
