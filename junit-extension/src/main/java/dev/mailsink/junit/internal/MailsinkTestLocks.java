package dev.mailsink.junit.internal;

import dev.mailsink.junit.MailsinkTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The locks of a {@code @MailsinkTest} class under parallel execution, by its attributes:
 *
 * <ul>
 *   <li>a server of its own, no namespaces: a lock of its own, so its test methods (which share one
 *       mailbox, emptied before each test) run one at a time while different classes still run at
 *       once;
 *   <li>a server of its own with a namespace per test: no lock;
 *   <li>the shared server: the shared lock, read-only with namespaces (classes and methods run at
 *       once), read-write without (every test of every such class takes its turn).
 * </ul>
 *
 * Not API: referenced by {@code @MailsinkTest} only.
 */
public final class MailsinkTestLocks implements ResourceLocksProvider {
  static final String SHARED_LOCK = "dev.mailsink.junit:shared";

  /** Called by JUnit. */
  public MailsinkTestLocks() {}

  // JUnit forces every descendant of a node that holds a READ_WRITE lock to run in the node's
  // thread, so one lock on the class serialises its methods and nested classes.
  @Override
  public Set<Lock> provideForClass(Class<?> testClass) {
    return locksFor(testClass);
  }

  @Override
  public Set<Lock> provideForNestedClass(
      List<Class<?>> enclosingInstanceTypes, Class<?> testClass) {
    return locksFor(enclosingInstanceTypes.isEmpty() ? testClass : enclosingInstanceTypes.get(0));
  }

  private static Set<Lock> locksFor(Class<?> outermostClass) {
    MailsinkTest annotation =
        AnnotationSupport.findAnnotation(outermostClass, MailsinkTest.class).orElse(null);
    boolean namespaces = annotation != null && annotation.namespacePerTest();
    if (annotation != null && annotation.shared()) {
      return Set.of(
          new Lock(
              SHARED_LOCK, namespaces ? ResourceAccessMode.READ : ResourceAccessMode.READ_WRITE));
    }
    if (namespaces) {
      return Set.of();
    }
    return Set.of(
        new Lock("dev.mailsink.junit:" + outermostClass.getName(), ResourceAccessMode.READ_WRITE));
  }
}
