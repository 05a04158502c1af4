package dev.mailsink.spring.internal;

import dev.mailsink.NamespaceRule;
import dev.mailsink.testcontainers.MailsinkContainer;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * The container case of {@link MailsinkContextCustomizer}, in a class of its own so that
 * Testcontainers is loaded only when {@code container = true} asks for it.
 */
final class ContainerSink {
  private static final String CONTAINER_CLASS = "dev.mailsink.testcontainers.MailsinkContainer";

  private ContainerSink() {}

  static void customize(ConfigurableApplicationContext context, MailsinkSettings settings) {
    if (!ClassUtils.isPresent(CONTAINER_CLASS, ContainerSink.class.getClassLoader())) {
      throw new IllegalStateException(
          "@AutoConfigureMailsink(container = true) needs dev.mailsink:mailsink-testcontainers on"
              + " the test classpath; add it with <scope>test</scope>, or drop container = true"
              + " for an in-process sink");
    }
    start(context, settings);
  }

  private static void start(ConfigurableApplicationContext context, MailsinkSettings settings) {
    @SuppressWarnings("resource") // stopped with the context, below
    MailsinkContainer container =
        new MailsinkContainer().withStartTls(settings.startTls()).withAuth(settings.auth());
    container.start();
    try {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  MailsinkContextCustomizer.PROPERTY_SOURCE_NAME,
                  MailsinkContextCustomizer.properties(
                      container.getSmtpHost(), container.getSmtpPort(), settings)));
      ConfigurableListableBeanFactory beans = context.getBeanFactory();
      beans.registerSingleton(MailsinkContextCustomizer.CONTAINER_BEAN, container);
      // the image captures with the default rule, the sub-address
      MailsinkContextCustomizer.registerReadSide(
          beans, settings, container.mailbox(), container.faults(), NamespaceRule.subAddress());
      beans.registerSingleton(MailsinkContextCustomizer.SESSIONS_BEAN, container.sessions());
      MailsinkContextCustomizer.closeWith(
          context, beans, MailsinkContextCustomizer.CONTAINER_BEAN, container::stop);
    } catch (RuntimeException e) {
      container.stop();
      throw e;
    }
  }
}
