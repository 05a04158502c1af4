package dev.mailsink.examples.orders;

import dev.mailsink.AuthConfig;
import dev.mailsink.Credentials;
import dev.mailsink.TlsMode;
import dev.mailsink.junit.MailsinkExtension;
import dev.mailsink.testcontainers.MailsinkContainer;

/**
 * One container for every test class that registers {@link #NAMESPACES}: started when the first of
 * them is initialised, stopped when the JVM ends. Each test gets a namespace of its own on it.
 */
final class SharedMailsink {
  static final MailsinkContainer CONTAINER =
      new MailsinkContainer()
          .withStartTls(TlsMode.REQUIRED)
          .withAuth(AuthConfig.required(Credentials.of("shop", "s3cret")));

  static {
    CONTAINER.start();
    Runtime.getRuntime().addShutdownHook(new Thread(CONTAINER::stop));
  }

  static final MailsinkExtension NAMESPACES =
      MailsinkExtension.namespacesOn(CONTAINER.mailbox(), CONTAINER.faults());

  private SharedMailsink() {}

  static OrderMailer mailer() {
    return new OrderMailer(
        CONTAINER.getSmtpHost(),
        CONTAINER.getSmtpPort(),
        CONTAINER.tls().sslContext(),
        "shop",
        "s3cret");
  }
}
