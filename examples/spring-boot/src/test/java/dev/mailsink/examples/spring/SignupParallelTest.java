package dev.mailsink.examples.spring;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;

import dev.mailsink.Mailbox;
import dev.mailsink.junit.MailsinkNamespace;
import dev.mailsink.spring.AutoConfigureMailsink;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;

/**
 * Signups running at once against one application and one sink: each test signs up its own address
 * ({@code ns.address("alice")}) over HTTP, so the application (on its request thread) mails that
 * address, and the test's mailbox shows that mail only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMailsink(namespacePerTest = true)
@Execution(ExecutionMode.CONCURRENT)
@Timeout(60)
class SignupParallelTest {

  @Autowired TestRestTemplate http;
  @Autowired MailsinkNamespace ns;
  @Autowired Mailbox mailbox;

  @RepeatedTest(10)
  void eachSignupMailLandsInItsOwnTestsMailbox() {
    http.postForEntity("/signup?email={email}", null, String.class, ns.address("alice"));

    assertThat(mailbox)
        .receivedExactly(1)
        .to(ns.address("alice"))
        .withSubject("Confirm your address");
  }
}
