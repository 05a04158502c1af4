package dev.mailsink.examples.spring4;

import static dev.mailsink.junit.MailsinkAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailbox;
import dev.mailsink.TlsMode;
import dev.mailsink.spring.AutoConfigureMailsink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.commons.util.ReflectionUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
@AutoConfigureMailsink(startTls = TlsMode.REQUIRED, auth = "shop:s3cret")
@Timeout(60)
class OrderMailerTest {

  @Autowired OrderMailer orders;
  @Autowired Mailbox mailbox;

  @Test
  void confirmationIsSentOverTlsAuthenticated() throws Exception {
    orders.confirm("alice@example.com", "A-1001");

    assertThat(mailbox)
        .receivedExactly(1)
        .from("orders@shop.example")
        .to("alice@example.com")
        .withSubject("Your order A-1001")
        .withHtmlContaining("<b>A-1001</b>")
        .sentOverTls()
        .authenticatedAs("shop");
  }

  @Test
  void theseTestsRunOnSpringBoot4AndJUnit6() {
    assertThat(SpringBootVersion.getVersion()).startsWith("4.0.");
    assertThat(ReflectionUtils.class.getPackage().getImplementationVersion()).startsWith("6.");
  }
}
