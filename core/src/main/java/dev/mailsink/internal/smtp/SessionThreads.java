package dev.mailsink.internal.smtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads SMTP sessions run on when the configuration supplies no executor: a virtual thread
 * per task on Java 21 and later, a cached pool of daemon platform threads on Java 17–20. Core is
 * compiled for Java 17, so the Java 21 API is looked up at run time.
 */
public final class SessionThreads {
  private static final System.Logger LOG = System.getLogger(SessionThreads.class.getName());

  // Thread.ofVirtual().name(prefix, 1).factory(), then Executors.newThreadPerTaskExecutor(factory)
  private static final MethodHandle OF_VIRTUAL;
  private static final MethodHandle NAME;
  private static final MethodHandle FACTORY;
  private static final MethodHandle PER_TASK;

  static {
    MethodHandle ofVirtual = null;
    MethodHandle name = null;
    MethodHandle factory = null;
    MethodHandle perTask = null;
    if (Runtime.version().feature() >= 21) {
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
        ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder));
        name =
            lookup.findVirtual(
                builder, "name", MethodType.methodType(builder, String.class, long.class));
        factory =
            lookup.findVirtual(
                Class.forName("java.lang.Thread$Builder"),
                "factory",
                MethodType.methodType(ThreadFactory.class));
        perTask =
            lookup.findStatic(
                Executors.class,
                "newThreadPerTaskExecutor",
                MethodType.methodType(ExecutorService.class, ThreadFactory.class));
      } catch (ReflectiveOperationException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Java " + Runtime.version() + " has no virtual threads API; using platform threads",
            e);
        ofVirtual = null;
      }
    }
    OF_VIRTUAL = ofVirtual;
    NAME = name;
    FACTORY = factory;
    PER_TASK = perTask;
  }

  private SessionThreads() {}

  /** Whether sessions run on virtual threads by default on this JVM. */
  static boolean areVirtual() {
    return OF_VIRTUAL != null;
  }

  /** A new executor of threads named {@code <prefix>N}: a new one per task, or an idle one. */
  public static ExecutorService newExecutor(String prefix) {
    if (OF_VIRTUAL != null) {
      try {
        Object builder = NAME.invoke(OF_VIRTUAL.invoke(), prefix, 1L);
        return (ExecutorService) PER_TASK.invoke((ThreadFactory) FACTORY.invoke(builder));
      } catch (Throwable e) {
        throw new IllegalStateException("cannot create virtual threads on " + Runtime.version(), e);
      }
    }
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, prefix + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
  }
}
