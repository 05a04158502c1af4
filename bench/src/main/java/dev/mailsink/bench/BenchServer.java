package dev.mailsink.bench;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An SMTP server for a load run, driven over stdin/stdout by {@code bench/run.sh}.
 *
 * <p>Usage: {@code BenchServer mailsink|mailsink-platform|mailsink-untraced|greenmail <port>}
 * ({@code mailsink-platform}: Mailsink with platform-thread sessions on any Java; {@code
 * mailsink-untraced}: Mailsink without session transcripts). The server binds 127.0.0.1, prints
 * {@code READY <port>} once it accepts connections, then answers one line per command read from
 * stdin:
 *
 * <ul>
 *   <li>{@code take}: prints {@code TAKEN <stored> <evicted>}, the messages stored since the
 *       previous {@code take} and how many of them the server evicted, then empties the store so
 *       that the next run starts with an empty heap;
 *   <li>end of input, or SIGTERM: prints {@code STORED <total>}, every message stored since start,
 *       and exits.
 * </ul>
 *
 * <p>With {@code -Dbench.cpuScheduling=batch} the main thread first puts itself under Linux's
 * {@code SCHED_BATCH} (with {@code chrt}), so that the server's threads, which it starts and which
 * inherit the policy, run as the standalone server's do ({@code docker/server} BatchScheduling);
 * the JVM's own threads keep the default.
 *
 * <p>Mailsink runs with its default retention (10,000 messages, 512 MiB), as a user would: a long
 * run evicts the oldest messages, and those count as stored, so that every message sent must be
 * accounted for. Holding a whole run instead would take gigabytes of heap at 1 MB per message.
 */
public final class BenchServer {
  private final Server server;
  private final PrintStream out;
  private final AtomicBoolean finished = new AtomicBoolean();
  private long takenBefore;

  private BenchServer(Server server, PrintStream out) {
    this.server = server;
    this.out = out;
  }

  /** Starts the named server and serves stdin commands until end of input or SIGTERM. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println(
          "usage: BenchServer mailsink|mailsink-platform|mailsink-untraced|greenmail <port>");
      System.exit(2);
    }
    int port = Integer.parseInt(args[1]);
    if ("batch".equals(System.getProperty("bench.cpuScheduling"))) {
      scheduleThisThreadAsBatch();
    }
    Server server =
        switch (args[0]) {
          case "mailsink" -> new MailsinkServer(port, false, true);
          case "mailsink-platform" -> new MailsinkServer(port, true, true);
          case "mailsink-untraced" -> new MailsinkServer(port, false, false);
          case "greenmail" -> new GreenMailServer(port);
          default ->
              throw new IllegalArgumentException(
                  "server must be mailsink, mailsink-platform, mailsink-untraced or greenmail, was "
                      + args[0]);
        };
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BenchServer bench = new BenchServer(server, out);
    Runtime.getRuntime().addShutdownHook(new Thread(bench::finish, "bench-shutdown"));
    out.println("READY " + server.port());
    bench.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)));
    bench.finish();
    System.exit(0);
  }

  private void serve(BufferedReader commands) throws IOException {
    for (String line = commands.readLine(); line != null; line = commands.readLine()) {
      switch (line.strip()) {
        case "take" -> take();
        case "" -> {}
        default -> out.println("ERROR unknown command " + line.strip());
      }
    }
  }

  private synchronized void take() {
    Taken taken = server.take();
    takenBefore += taken.stored();
    out.println("TAKEN " + taken.stored() + " " + taken.evicted());
  }

  private void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    long total;
    synchronized (this) {
      total = takenBefore + server.take().stored();
    }
    server.stop();
    out.println("STORED " + total);
  }

  /** What one {@code take} found. */
  private record Taken(long stored, long evicted) {}

  /** {@code chrt --batch --pid 0 <tid>} for the calling thread, as BatchScheduling does on 17. */
  private static void scheduleThisThreadAsBatch() throws IOException {
    String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    Process chrt = new ProcessBuilder("chrt", "--batch", "--pid", "0", tid).inheritIO().start();
    try {
      if (chrt.waitFor() != 0) {
        throw new IOException("chrt exited " + chrt.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for chrt", e);
    }
  }

  /** The server under test, behind the two operations a run needs. */
  private interface Server {
    int port();

    /** Counts the messages stored since the previous call, and drops them. */
    Taken take();

    void stop();
  }

  private static final class MailsinkServer implements Server {
    private final Mailsink sink;
    private long evictedBefore;

    /**
     * @param platformThreads sessions on a cached pool of platform threads even where Mailsink
     *     would use virtual threads (Java 21+), to measure both
     * @param recordSessions false to measure Mailsink without session transcripts
     */
    MailsinkServer(int port, boolean platformThreads, boolean recordSessions) {
      MailsinkConfig.Builder config =
          MailsinkConfig.builder()
              .bindAddress("127.0.0.1")
              .smtpPort(port)
              .recordSessions(recordSessions);
      if (platformThreads) {
        config.connectionExecutor(Executors::newCachedThreadPool);
      }
      sink = Mailsink.start(config.build());
    }

    @Override
    public int port() {
      return sink.smtpPort();
    }

    @Override
    public Taken take() {
      // clear() reports what it removed; anything evicted since the last take was stored too
      long stored = sink.mailbox().clear();
      long evictedTotal = sink.mailbox().evictedCount();
      long evicted = evictedTotal - evictedBefore;
      evictedBefore = evictedTotal;
      return new Taken(stored + evicted, evicted);
    }

    @Override
    public void stop() {
      sink.close();
    }
  }

  private static final class GreenMailServer implements Server {
    private final GreenMail greenMail;

    GreenMailServer(int port) {
      ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
      setup.setServerStartupTimeout(10_000);
      greenMail = new GreenMail(setup);
      greenMail.start();
    }

    @Override
    public int port() {
      return greenMail.getSmtp().getPort();
    }

    @Override
    public Taken take() {
      long stored = greenMail.getReceivedMessages().length;
      try {
        greenMail.purgeEmailFromAllMailboxes();
      } catch (FolderException e) {
        throw new IllegalStateException("GreenMail could not purge its mailboxes", e);
      }
      return new Taken(stored, 0);
    }

    @Override
    public void stop() {
      greenMail.stop();
    }
  }
}
