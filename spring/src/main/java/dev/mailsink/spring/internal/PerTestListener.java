package dev.mailsink.spring.internal;

import dev.mailsink.Mailbox;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.spring.AutoConfigureMailsink;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * Registered in {@code META-INF/spring.factories}: prepares the context's sink for each test method
 * of a class with {@link AutoConfigureMailsink}, so that a cached context's sink does not show one
 * test the mail of another. Without namespaces it empties the mailbox and removes the fault rules
 * before the test; with {@code namespacePerTest = true} it gives the test a namespace of its own
 * before it and removes the namespace's fault rules after it. Runs before {@code @BeforeEach} and
 * after {@code @AfterEach} methods. Public only because Spring instantiates it by name.
 */
public final class PerTestListener implements TestExecutionListener, Ordered {

  /** After dependency injection (2000), before most others. */
  static final int ORDER = 2100;

  /** Called by Spring's test context framework. */
  public PerTestListener() {}

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void beforeTestMethod(TestContext testContext) {
    ApplicationContext context = sinkContext(testContext);
    if (context == null) {
      return;
    }
    if (context.containsBean(MailsinkContextCustomizer.TEST_NAMESPACES_BEAN)) {
      context.getBean(MailsinkContextCustomizer.TEST_NAMESPACES_BEAN, TestNamespaces.class).begin();
    } else if (context.containsBean(MailsinkContextCustomizer.MAILBOX_BEAN)) {
      context.getBean(MailsinkContextCustomizer.MAILBOX_BEAN, Mailbox.class).clear();
      context.getBean(MailsinkContextCustomizer.FAULTS_BEAN, FaultRules.class).clear();
    }
  }

  @Override
  public void afterTestMethod(TestContext testContext) {
    ApplicationContext context = sinkContext(testContext);
    if (context != null && context.containsBean(MailsinkContextCustomizer.TEST_NAMESPACES_BEAN)) {
      context.getBean(MailsinkContextCustomizer.TEST_NAMESPACES_BEAN, TestNamespaces.class).end();
    }
  }

  private static ApplicationContext sinkContext(TestContext testContext) {
    if (TestContextAnnotationUtils.findMergedAnnotation(
            testContext.getTestClass(), AutoConfigureMailsink.class)
        == null) {
      return null;
    }
    return testContext.getApplicationContext();
  }
}
