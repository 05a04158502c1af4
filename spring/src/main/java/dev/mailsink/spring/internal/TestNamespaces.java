package dev.mailsink.spring.internal;

import dev.mailsink.Mailbox;
import dev.mailsink.NamespaceRule;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.junit.MailsinkNamespace;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * The namespaces of the tests running on one context's sink, one per test method, each known on the
 * thread that runs its test; and the beans that resolve to the current test's namespace on every
 * call ({@link Mailbox}, {@link FaultRules}, {@link MailsinkNamespace}), so that one singleton
 * serves test methods running at once.
 */
final class TestNamespaces {
  private final Mailbox root;
  private final FaultRules rootFaults;
  private final NamespaceRule rule;
  // A plain ThreadLocal on purpose: an inheritable one would hand a test's namespace to pool
  // threads the application starts during that test, which outlive it.
  private final ThreadLocal<MailsinkNamespace> current = new ThreadLocal<>();

  TestNamespaces(Mailbox root, FaultRules rootFaults, NamespaceRule rule) {
    this.root = root;
    this.rootFaults = rootFaults;
    this.rule = rule;
  }

  /** Gives the test on this thread a new namespace; called before its {@code @BeforeEach}. */
  void begin() {
    end();
    current.set(MailsinkNamespace.create(root, rootFaults, rule));
  }

  /** Removes the namespace's fault rules and forgets it; called after the test's @AfterEach. */
  void end() {
    MailsinkNamespace ns = current.get();
    if (ns != null) {
      current.remove();
      ns.faults().clear();
    }
  }

  /** The current test's mailbox, or the whole mailbox outside a test. */
  Mailbox mailbox() {
    return delegating(
        Mailbox.class,
        () -> {
          MailsinkNamespace ns = current.get();
          return ns == null ? root : ns.mailbox();
        },
        "Mailbox of the current test");
  }

  /** The current test's fault rules, or the sink's outside a test. */
  FaultRules faults() {
    return delegating(
        FaultRules.class,
        () -> {
          MailsinkNamespace ns = current.get();
          return ns == null ? rootFaults : ns.faults();
        },
        "FaultRules of the current test");
  }

  /** The current test's namespace; fails outside a test. */
  MailsinkNamespace namespace() {
    return delegating(MailsinkNamespace.class, this::requireCurrent, "MailsinkNamespace");
  }

  private MailsinkNamespace requireCurrent() {
    MailsinkNamespace ns = current.get();
    if (ns == null) {
      throw new IllegalStateException(
          "No test method of a class with @AutoConfigureMailsink(namespacePerTest = true) runs on"
              + " thread "
              + Thread.currentThread().getName()
              + "; the namespace exists from before @BeforeEach to after @AfterEach, on the"
              + " test's thread (not in @BeforeAll, nor on threads the test starts)");
    }
    return ns;
  }

  private static <T> T delegating(Class<T> type, Supplier<? extends T> target, String name) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return objectMethod(proxy, method, args, name);
          }
          try {
            return method.invoke(target.get(), args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object objectMethod(Object proxy, Method method, Object[] args, String name) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return name;
    }
  }
}
