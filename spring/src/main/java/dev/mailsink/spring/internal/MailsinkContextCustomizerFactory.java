package dev.mailsink.spring.internal;

import dev.mailsink.spring.AutoConfigureMailsink;
import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registered in {@code META-INF/spring.factories}: gives a test class carrying {@link
 * AutoConfigureMailsink} (directly, inherited, meta-present or on an enclosing class) a {@link
 * MailsinkContextCustomizer}. Public only because Spring instantiates it by name.
 */
public final class MailsinkContextCustomizerFactory implements ContextCustomizerFactory {

  /** Called by Spring's test context framework. */
  public MailsinkContextCustomizerFactory() {}

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    AutoConfigureMailsink annotation =
        TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureMailsink.class);
    if (annotation == null) {
      return null;
    }
    return new MailsinkContextCustomizer(MailsinkSettings.of(annotation, testClass));
  }
}
