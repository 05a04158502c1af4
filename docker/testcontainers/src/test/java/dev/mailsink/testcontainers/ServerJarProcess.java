package dev.mailsink.testcontainers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server jar (built by docker/server before this module) as a separate process: a
 * real server for the remote client to talk to without Docker, and without putting the server's
 * classes on this module's test classpath.
 */
final class ServerJarProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("\\s+(SMTP|Web UI)\\s+(\\S+)");
  private static final Duration START = Duration.ofSeconds(30);

  private final Process process;
  private final URI smtp;
  private final URI web;

  private ServerJarProcess(Process process, URI smtp, URI web) {
    this.process = process;
    this.smtp = smtp;
    this.web = web;
  }

  static Path jar() {
    Path jar =
        Path.of(System.getProperty("mailsink.server.dir", "../server"))
            .resolve("target/mailsink-server.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath()
              + " is missing: build docker/server first (mvn -pl docker/server -am package)");
    }
    return jar;
  }

  /** Starts the jar on free loopback ports with extra flags, and waits for its banner. */
  static ServerJarProcess start(String... flags) throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.add("--smtp-port=0");
    command.add("--http-port=0");
    command.add("--pop3-port=off");
    command.add("--imap-port=off");
    command.add("--log-level=warn");
    command.addAll(List.of(flags));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().keySet().removeIf(k -> k.startsWith("MAILSINK_"));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "server-jar-stdout");
    reader.setDaemon(true);
    reader.start();
    URI smtp = null;
    URI web = null;
    long deadline = System.nanoTime() + START.toNanos();
    while (smtp == null || web == null) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        process.destroyForcibly();
        throw new IllegalStateException("the server jar printed no URLs within " + START);
      }
      Matcher m = URL.matcher(line);
      if (m.lookingAt()) {
        if (m.group(1).equals("SMTP")) {
          smtp = URI.create(m.group(2));
        } else {
          web = URI.create(m.group(2));
        }
      }
    }
    return new ServerJarProcess(process, smtp, web);
  }

  String smtpHost() {
    return smtp.getHost();
  }

  int smtpPort() {
    return smtp.getPort();
  }

  URI webUri() {
    return web;
  }

  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
