package dev.mailsink.server;

import java.util.Properties;

/**
 * Sizes the JVM's virtual-thread scheduler, which the SMTP, POP3 and IMAP sessions run on from Java
 * 21, before the first virtual thread exists: one carrier thread fewer than the processors, at
 * least one. A {@code -Djdk.virtualThreadScheduler.parallelism} given on the java command line (or
 * in {@code JAVA_TOOL_OPTIONS}) wins. Java 17 has no such scheduler and ignores the property.
 *
 * <p>Why not the JDK's default of one carrier per processor: a session works for microseconds
 * between waits on its client, so the carriers keep running out of work, parking, and being woken
 * for the next command (a futex call and a context switch each time), and they contend for the
 * processors the senders need, which on a developer's machine or a CI runner share the machine with
 * the sink. On 2 processors at 64 sessions × 1 KB, one carrier measured 101 µs of server CPU per
 * message against two carriers' 135 µs, and 2.0 context switches per message against 3.8 ({@code
 * bench/cpu-per-message.sh}). The price is a lower ceiling for large messages, which are bound by
 * copying: 8 × 1 MB on one carrier still stores more than twice as many messages a second as
 * postfix's smtp-sink.
 */
final class CarrierThreads {
  static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

  private CarrierThreads() {}

  /** Sets the scheduler's parallelism in {@code properties} unless it is set already. */
  static void configure(Properties properties, int processors) {
    if (properties.getProperty(PARALLELISM) == null) {
      properties.setProperty(PARALLELISM, Integer.toString(carriers(processors)));
    }
  }

  /** One fewer than the processors, at least one. */
  static int carriers(int processors) {
    return Math.max(1, processors - 1);
  }
}
