package dev.mailsink.junit.internal;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * Gives each {@code @MailsinkTest} class a lock of its own, so that under parallel execution its
 * test methods (which share one mailbox, emptied before each test) run one at a time while
 * different classes still run at once. Not API: referenced by {@code @MailsinkTest} only.
 */
public final class OneTestAtATimePerClass implements ResourceLocksProvider {

  /** Called by JUnit. */
  public OneTestAtATimePerClass() {}

  // JUnit forces every descendant of a node that holds a READ_WRITE lock to run in the node's
  // thread, so one lock on the class serialises its methods and nested classes.
  @Override
  public Set<Lock> provideForClass(Class<?> testClass) {
    return lockFor(testClass);
  }

  @Override
  public Set<Lock> provideForNestedClass(
      List<Class<?>> enclosingInstanceTypes, Class<?> testClass) {
    return lockFor(enclosingInstanceTypes.isEmpty() ? testClass : enclosingInstanceTypes.get(0));
  }

  private static Set<Lock> lockFor(Class<?> outermostClass) {
    return Set.of(
        new Lock("dev.mailsink.junit:" + outermostClass.getName(), ResourceAccessMode.READ_WRITE));
  }
}
