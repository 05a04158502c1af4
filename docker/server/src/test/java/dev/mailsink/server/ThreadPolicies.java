package dev.mailsink.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Threads' CPU scheduling policies as the kernel records them, in {@code /proc}. */
final class ThreadPolicies {
  static final int SCHED_NORMAL = 0;
  static final int SCHED_BATCH = 3;

  /** A thread of a process: its name (as the kernel keeps it, 15 characters) and policy. */
  record ThreadPolicy(String name, int policy) {}

  private ThreadPolicies() {}

  /** The calling thread's policy. */
  static int current() throws IOException {
    return parse(Files.readString(Path.of("/proc/thread-self/stat"), StandardCharsets.UTF_8))
        .policy();
  }

  /** Every thread of a process, from {@code /proc/<pid>/task/}. */
  static List<ThreadPolicy> of(long pid) throws IOException {
    List<ThreadPolicy> threads = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          threads.add(parse(Files.readString(task.resolve("stat"), StandardCharsets.UTF_8)));
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    return threads;
  }

  // "tid (name) state ...": the name may hold spaces and parentheses; field 41 is the policy
  private static ThreadPolicy parse(String stat) {
    int close = stat.lastIndexOf(')');
    String[] after = stat.substring(close + 2).split(" ");
    return new ThreadPolicy(
        stat.substring(stat.indexOf('(') + 1, close), Integer.parseInt(after[41 - 3]));
  }
}
