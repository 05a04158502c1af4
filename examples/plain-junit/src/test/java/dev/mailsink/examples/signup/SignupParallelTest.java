package dev.mailsink.examples.signup;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Mailsink;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.junit.MailsinkNamespace;
import dev.mailsink.junit.MailsinkTest;
import jakarta.mail.SendFailedException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

// one server for the whole run, a namespace per test: methods and classes run at once
@MailsinkTest(shared = true, namespacePerTest = true)
@Execution(ExecutionMode.CONCURRENT)
class SignupParallelTest {
  @RepeatedTest(20)
  void eachSignupSeesOnlyItsOwnMail(Mailsink sink, MailsinkNamespace ns) throws Exception {
    try (SignupApp app = SignupApp.start(sink.smtpHost(), sink.smtpPort())) {
      app.signup(ns.address("alice")); // alice+t3k9x1@example.test

      assertThat(ns.mailbox()).receivedExactly(1).to(ns.address("alice"));
    }
  }

  @Test
  void aRefusedAddressFailsTheSignup(Mailsink sink, MailsinkNamespace ns) throws Exception {
    // hits this test's mail only, and is removed after the test
    ns.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No such user"));

    try (SignupApp app = SignupApp.start(sink.smtpHost(), sink.smtpPort())) {
      assertThatThrownBy(() -> app.signup(ns.address("bob")))
          .isInstanceOf(SendFailedException.class);
    }
  }
}
