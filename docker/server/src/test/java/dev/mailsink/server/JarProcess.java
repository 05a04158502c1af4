package dev.mailsink.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The runnable jar started as a real process, its output read line by line as it comes. */
final class JarProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("\\s+(SMTP|Web UI)\\s+(\\S+)");

  private final Process process;
  private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
  private final List<String> stdout = new ArrayList<>();
  private final StringBuffer stderr = new StringBuffer();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private JarProcess(Process process) {
    this.process = process;
    this.stdoutPump = pump(process.getInputStream(), stdoutLines::add, "stdout");
    this.stderrPump =
        pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), "stderr");
  }

  /** The jar that {@code mvn package} built, as the system property from the pom names it. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("mailsink.server.jar", "target/mailsink-server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar.toAbsolutePath() + " is missing; run mvn package first");
    }
    return jar;
  }

  static JarProcess start(Map<String, String> env, String... args) {
    return startOn(Path.of(System.getProperty("java.home")), List.of(), env, args);
  }

  /** Starts the jar on the Java installed at {@code javaHome}, with the given JVM options. */
  static JarProcess startOn(
      Path javaHome, List<String> jvmOptions, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    // The readers' fixed default ports (1110, 1143) would collide between concurrent test JVMs.
    if (command.stream().noneMatch(a -> a.startsWith("--pop3-port"))) {
      command.add("--pop3-port=0");
    }
    if (command.stream().noneMatch(a -> a.startsWith("--imap-port"))) {
      command.add("--imap-port=0");
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("MAILSINK_"));
    pb.environment().putAll(env);
    try {
      return new JarProcess(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread pump(InputStream in, Consumer<String> sink, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // the process ended; what was read is kept
              }
            },
            "jar-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits for a stdout line containing {@code text} and returns it; fails with everything printed
   * so far when it does not come in time.
   */
  String awaitLine(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : stdoutLines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError(
            "no line with '"
                + text
                + "' within "
                + timeout
                + "; stdout: "
                + stdout
                + "; stderr: "
                + stderr);
      }
      stdout.add(line);
      if (line.contains(text)) {
        return line;
      }
    }
  }

  /** Reads the banner up to its last line and returns the SMTP and web URLs it printed. */
  Urls awaitReady(Duration timeout) throws InterruptedException {
    awaitLine("Stop with Ctrl-C", timeout);
    URI smtp = null;
    URI web = null;
    for (String line : stdout) {
      Matcher m = URL.matcher(line);
      if (m.lookingAt()) {
        if (m.group(1).equals("SMTP")) {
          smtp = URI.create(m.group(2));
        } else {
          web = URI.create(m.group(2));
        }
      }
    }
    return new Urls(smtp, web);
  }

  record Urls(URI smtp, URI web) {}

  /** Waits for the exit and returns the code; fails if the process is still running. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; stderr: " + stderr);
    }
    // The pipes may still hold the last lines: let the readers reach their end.
    stdoutPump.join(timeout.toMillis());
    stderrPump.join(timeout.toMillis());
    return process.exitValue();
  }

  /**
   * Sends SIGTERM, as {@code docker stop} and {@code kill} do. Through the handle: {@code
   * Process.destroy()} would also close our end of the pipes and lose the last lines.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Everything printed on stdout so far, after {@link #awaitExit} all of it. */
  String stdout() throws InterruptedException {
    List<String> rest = new ArrayList<>();
    stdoutLines.drainTo(rest);
    stdout.addAll(rest);
    return String.join("\n", stdout);
  }

  String stderr() {
    return stderr.toString();
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
