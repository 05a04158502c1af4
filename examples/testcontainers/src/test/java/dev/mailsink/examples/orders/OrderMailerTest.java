package dev.mailsink.examples.orders;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.AuthConfig;
import dev.mailsink.Credentials;
import dev.mailsink.TlsMode;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.testcontainers.MailsinkContainer;
import jakarta.mail.SendFailedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

@Testcontainers
@Tag("docker")
class OrderMailerTest {

  @Container
  static MailsinkContainer mailsink =
      new MailsinkContainer()
          .withStartTls(TlsMode.REQUIRED)
          .withAuth(AuthConfig.required(Credentials.of("shop", "s3cret")));

  OrderMailer mailer;

  @BeforeEach
  void connectToTheContainer() {
    mailsink.mailbox().clear();
    mailsink.faults().clear();
    mailer =
        new OrderMailer(
            mailsink.getSmtpHost(),
            mailsink.getSmtpPort(),
            mailsink.tls().sslContext(),
            "shop",
            "s3cret");
  }

  @Test
  void confirmationIsMailedOverTlsWithTheTrackingLink() throws Exception {
    mailer.confirm("alice@example.com", "1042");

    assertThat(mailsink.mailbox())
        .receivedExactly(1)
        .to("alice@example.com")
        .withSubject("Order 1042 confirmed")
        .withTextContaining("https://shop.example/orders/1042")
        .sentOverTls()
        .authenticatedAs("shop");
  }

  @Test
  void aRecipientTheRelayRefusesFailsTheConfirmation() {
    mailsink
        .faults()
        .add(
            FaultRule.on(SmtpStage.RCPT)
                .when(Match.recipient("*@blocked.example"))
                .reply(550, "5.7.1 Recipient refused"));

    assertThatThrownBy(() -> mailer.confirm("bob@blocked.example", "1043"))
        .isInstanceOf(SendFailedException.class);
    assertThat(mailsink.mailbox()).receivedNothing();
  }
}
