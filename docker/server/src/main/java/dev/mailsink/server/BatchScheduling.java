package dev.mailsink.server;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Puts the calling thread under Linux's {@code SCHED_BATCH} policy; every thread it starts
 * afterwards (sessions, carriers, the web server's) inherits the policy. Batch threads get their
 * fair share of CPU time but do not preempt the running thread when they wake up.
 *
 * <p>Why: a session thread wakes for every command its client sends, and under the default policy
 * it preempts whatever runs on that processor, which on a developer's machine or a CI runner is
 * usually the sender itself. At 64 sessions × 1 KB on 2 processors the senders (postfix's
 * smtp-source) got through 5,454 messages a second on Java 17 and 6,436 on Java 25; with the server
 * under {@code SCHED_BATCH} 6,663 and 8,407, and the server spent 12 % (Java 17) and 19 % (Java 25)
 * less CPU time per message ({@code bench/cpu-per-message.sh}, A/B in turns). The JVM's own threads
 * (GC, JIT), started before {@code main}, keep the default policy.
 *
 * <p>How: {@code chrt} from util-linux for the thread (about 20 ms at start, a process spawn);
 * where it cannot run, as on a base image without it, Java 22 and later call {@code
 * sched_setscheduler} through the foreign function API instead (looked up at run time: the server
 * is compiled for Java 17; about 90 ms on a cold JVM, most of it generating the downcall). Setting
 * {@code SCHED_BATCH} needs no privilege.
 */
final class BatchScheduling {
  private static final int SCHED_BATCH = 3;
  private static final long CHRT_TIMEOUT_SECONDS = 10;

  private BatchScheduling() {}

  /**
   * Applies the policy to the calling thread.
   *
   * @return empty when it applied, else why not (not Linux, no {@code chrt}, refused)
   */
  static Optional<String> applyToCurrentThread() {
    if (!isLinux()) {
      return Optional.of("not Linux");
    }
    try {
      Optional<String> chrt = viaChrt();
      if (chrt.isEmpty() || Runtime.version().feature() < 22) {
        return chrt;
      }
      return viaForeignFunction().map(ffm -> chrt.get() + "; " + ffm);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /** Whether this is Linux, the only system with {@code SCHED_BATCH}; elsewhere nothing is done. */
  static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
  }

  /** The calling thread's Linux thread id, from {@code /proc/thread-self -> <pid>/task/<tid>}. */
  static long currentThreadId() throws IOException {
    Path target = Files.readSymbolicLink(Path.of("/proc/thread-self"));
    return Long.parseLong(target.getFileName().toString());
  }

  private static Optional<String> viaChrt() throws InterruptedException {
    long thread;
    try {
      thread = currentThreadId();
    } catch (IOException | RuntimeException e) {
      return Optional.of("cannot read this thread's id from /proc/thread-self: " + e);
    }
    Process chrt;
    try {
      chrt =
          new ProcessBuilder("chrt", "--batch", "--pid", "0", Long.toString(thread))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      return Optional.of("cannot run chrt (util-linux): " + e.getMessage());
    }
    if (!chrt.waitFor(CHRT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      chrt.destroyForcibly();
      return Optional.of("chrt did not finish in " + CHRT_TIMEOUT_SECONDS + " s");
    }
    if (chrt.exitValue() != 0) {
      String said;
      try {
        said = new String(chrt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        said = "";
      }
      return Optional.of("chrt exited " + chrt.exitValue() + (said.isEmpty() ? "" : ": " + said));
    }
    return Optional.empty();
  }

  // Linker.nativeLinker().downcallHandle(find("sched_setscheduler"), (int, int, ptr) -> int),
  // called with (0 = this thread, SCHED_BATCH, a zeroed struct sched_param) in a confined arena.
  private static Optional<String> viaForeignFunction() {
    try {
      Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
      Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
      Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
      Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
      Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
      Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
      Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
      Class<?> arenaType = Class.forName("java.lang.foreign.Arena");

      Object linker = linkerType.getMethod("nativeLinker").invoke(null);
      Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
      Optional<?> symbol =
          (Optional<?>)
              lookupType.getMethod("find", String.class).invoke(lookup, "sched_setscheduler");
      if (symbol.isEmpty()) {
        return Optional.of("the C library has no sched_setscheduler");
      }
      Object intLayout = valueLayoutType.getField("JAVA_INT").get(null);
      Object addressLayout = valueLayoutType.getField("ADDRESS").get(null);
      Object arguments = Array.newInstance(layoutType, 3);
      Array.set(arguments, 0, intLayout);
      Array.set(arguments, 1, intLayout);
      Array.set(arguments, 2, addressLayout);
      Object descriptor =
          descriptorType
              .getMethod("of", layoutType, arguments.getClass())
              .invoke(null, intLayout, arguments);
      MethodHandle setScheduler =
          (MethodHandle)
              linkerType
                  .getMethod("downcallHandle", segmentType, descriptorType, optionType.arrayType())
                  .invoke(linker, symbol.get(), descriptor, Array.newInstance(optionType, 0));
      try (AutoCloseable arena = (AutoCloseable) arenaType.getMethod("ofConfined").invoke(null)) {
        // Arena memory is zeroed: sched_priority 0, the only value SCHED_BATCH takes
        Object parameters = arenaType.getMethod("allocate", long.class).invoke(arena, 4L);
        int result = (int) setScheduler.invokeWithArguments(0, SCHED_BATCH, parameters);
        return result == 0
            ? Optional.empty()
            : Optional.of("sched_setscheduler returned " + result);
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      return Optional.of("cannot call sched_setscheduler: " + e);
    }
  }
}
