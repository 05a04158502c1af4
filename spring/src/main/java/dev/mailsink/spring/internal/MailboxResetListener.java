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
 * Registered in {@code META-INF/spring.factories}: empties the mailbox and removes the fault rules
 * of the context's sink before each test method of a class with {@link AutoConfigureMailsink}, so
 * that a cached context's sink does not show one test the mail of another. Runs before
 * {@code @BeforeEach} methods. Public only because Spring instantiates it by name.
 */
public final class MailboxResetListener implements TestExecutionListener, Ordered {

  /** After dependency injection (2000), before most others. */
  static final int ORDER = 2100;

  /** Called by Spring's test context framework. */
  public MailboxResetListener() {}

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public void beforeTestMethod(TestContext testContext) {
    if (TestContextAnnotationUtils.findMergedAnnotation(
            testContext.getTestClass(), AutoConfigureMailsink.class)
        == null) {
      return;
    }
    ApplicationContext context = testContext.getApplicationContext();
    if (context.containsBean(MailsinkContextCustomizer.MAILBOX_BEAN)) {
      context.getBean(MailsinkContextCustomizer.MAILBOX_BEAN, Mailbox.class).clear();
      context.getBean(MailsinkContextCustomizer.FAULTS_BEAN, FaultRules.class).clear();
    }
  }
}
