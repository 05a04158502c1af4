package dev.mailsink.spring.internal;

import dev.mailsink.Mailbox;
import dev.mailsink.Mailsink;
import dev.mailsink.NamespaceRule;
import dev.mailsink.TlsMode;
import dev.mailsink.fault.FaultRules;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts one sink for each context it customizes, publishes its address as the highest-precedence
 * property source and registers it as beans; the sink is closed with the context.
 *
 * <p>A record on purpose: Spring puts the customizers into the context's cache key, so equality on
 * the settings is what lets test classes with the same settings share a cached context.
 *
 * @param settings what the annotation asked for
 */
record MailsinkContextCustomizer(MailsinkSettings settings) implements ContextCustomizer {

  static final String PROPERTY_SOURCE_NAME = "mailsink";
  static final String SINK_BEAN = "mailsink";
  static final String MAILBOX_BEAN = "mailsinkMailbox";
  static final String FAULTS_BEAN = "mailsinkFaults";
  static final String SESSIONS_BEAN = "mailsinkSessions";
  static final String CONTAINER_BEAN = "mailsinkContainer";
  static final String NAMESPACE_BEAN = "mailsinkNamespace";
  static final String TEST_NAMESPACES_BEAN = "mailsinkTestNamespaces";

  @Override
  public void customizeContext(
      ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
    if (settings.container()) {
      ContainerSink.customize(context, settings);
      return;
    }
    // Started here, not in the factory: the same customizer serves every context built for this
    // configuration (again after @DirtiesContext), and each context owns its sink.
    Mailsink sink = Mailsink.start(settings.config());
    try {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  PROPERTY_SOURCE_NAME, properties(sink.smtpHost(), sink.smtpPort(), settings)));
      ConfigurableListableBeanFactory beans = context.getBeanFactory();
      beans.registerSingleton(SINK_BEAN, sink);
      registerReadSide(
          beans, settings, sink.mailbox(), sink.faults(), sink.config().namespaceRule());
      beans.registerSingleton(SESSIONS_BEAN, sink.sessions());
      closeWith(context, beans, SINK_BEAN, sink::close);
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
  }

  /**
   * Registers the mailbox and fault-rule beans: the sink's own, or with a namespace per test the
   * current test's (and the {@code mailsinkNamespace} bean).
   */
  static void registerReadSide(
      ConfigurableListableBeanFactory beans,
      MailsinkSettings settings,
      Mailbox mailbox,
      FaultRules faults,
      NamespaceRule rule) {
    if (!settings.namespacePerTest()) {
      beans.registerSingleton(MAILBOX_BEAN, mailbox);
      beans.registerSingleton(FAULTS_BEAN, faults);
      return;
    }
    TestNamespaces namespaces = new TestNamespaces(mailbox, faults, rule);
    beans.registerSingleton(TEST_NAMESPACES_BEAN, namespaces);
    beans.registerSingleton(MAILBOX_BEAN, namespaces.mailbox());
    beans.registerSingleton(FAULTS_BEAN, namespaces.faults());
    beans.registerSingleton(NAMESPACE_BEAN, namespaces.namespace());
  }

  static void closeWith(
      ConfigurableApplicationContext context,
      ConfigurableListableBeanFactory beans,
      String beanName,
      Runnable close) {
    if (beans instanceof DefaultSingletonBeanRegistry registry) {
      // Registered before any application bean, so destroyed after all of them: a bean that
      // sends mail while it shuts down still reaches the sink.
      registry.registerDisposableBean(beanName, close::run);
    } else {
      context.addApplicationListener(
          event -> {
            if (event instanceof ContextClosedEvent closed
                && closed.getApplicationContext() == context) {
              close.run();
            }
          });
    }
  }

  static Map<String, Object> properties(String host, int smtpPort, MailsinkSettings settings) {
    Map<String, Object> p = new LinkedHashMap<>();
    String port = Integer.toString(smtpPort);
    p.put("spring.mail.host", host);
    p.put("spring.mail.port", port);
    p.put("mailsink.smtp.host", host);
    p.put("mailsink.smtp.port", port);
    TlsMode tls = settings.startTls();
    if (tls != TlsMode.OFF) {
      p.put("spring.mail.properties.mail.smtp.starttls.enable", "true");
      // Jakarta Mail trusts any certificate for the hosts listed here: the sink's own host only.
      p.put("spring.mail.properties.mail.smtp.ssl.trust", host);
    }
    if (tls == TlsMode.REQUIRED) {
      p.put("spring.mail.properties.mail.smtp.starttls.required", "true");
    }
    if (settings.credentials() != null) {
      var user = settings.credentials();
      p.put("spring.mail.username", user.user());
      p.put("spring.mail.password", user.password());
      p.put("spring.mail.properties.mail.smtp.auth", "true");
    }
    return p;
  }
}
