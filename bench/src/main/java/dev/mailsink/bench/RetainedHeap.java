package dev.mailsink.bench;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures how much live heap a Mailsink mailbox holds per byte of mail it retains.
 *
 * <p>Usage: {@code RetainedHeap [messages] [messageBytes]} (default 10,000 × 10,240). It starts
 * Mailsink in this JVM, warms the SMTP path up, takes a baseline of used heap after full
 * collections, sends the messages over real SMTP from a raw-socket client in this JVM (one
 * connection per message), collects again and reports {@code (used - baseline) / raw bytes}. Two
 * more figures follow reading every message's subject, as list views do: with the parsed views
 * Mailsink keeps behind soft references still held (a roomy heap keeps them), and after the JVM was
 * made to clear them, i.e. what stays when memory runs short.
 *
 * <p>The output is a markdown table; the process exits non-zero if a message is missing.
 */
public final class RetainedHeap {
  private static final int WARM_UP_MESSAGES = 500;
  private static final int CLIENT_THREADS = 4;

  private final String host;
  private final int port;

  private RetainedHeap(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Runs the measurement and prints the result as a markdown table. */
  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int messageBytes = args.length > 1 ? Integer.parseInt(args[1]) : 10_240;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (Mailsink sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .retainedMessages(Math.max(messages, MailsinkConfig.DEFAULT_RETAINED_MESSAGES))
                .retainedBytes(
                    Math.max(2L * messages * messageBytes, MailsinkConfig.DEFAULT_RETAINED_BYTES))
                .build())) {
      RetainedHeap client = new RetainedHeap(sink.smtpHost(), sink.smtpPort());
      client.send(0, WARM_UP_MESSAGES, messageBytes);
      sink.mailbox().clear();

      long baseline = usedHeapAfterGc(memory);
      client.send(WARM_UP_MESSAGES, messages, messageBytes);
      sink.mailbox().await(messages, Duration.ofSeconds(30));
      long stored = usedHeapAfterGc(memory);

      List<CapturedMessage> all = sink.mailbox().messages();
      long raw = 0;
      for (CapturedMessage m : all) {
        raw += m.size();
      }
      if (all.size() != messages || sink.mailbox().evictedCount() != 0) {
        System.out.printf(
            "FAIL sent %d messages, %d stored, %d evicted%n",
            messages, all.size(), sink.mailbox().evictedCount());
        System.exit(1);
      }
      long subjects = 0;
      for (CapturedMessage m : all) {
        subjects += m.subject().length();
      }
      all = null;
      long withHeaders = usedHeapAfterGc(memory);
      if (subjects == 0) {
        throw new IllegalStateException("no subject was parsed");
      }
      clearSoftReferences();
      long hardOnly = usedHeapAfterGc(memory);

      System.out.printf(
          Locale.ROOT,
          "| messages | raw bytes | retained heap | per message | retained / raw |%n"
              + "|---:|---:|---:|---:|---:|%n");
      row("stored", messages, raw, stored - baseline);
      row("after subject() on each", messages, raw, withHeaders - baseline);
      row("after subject(), soft references cleared", messages, raw, hardOnly - baseline);
    }
  }

  private static void row(String what, int messages, long raw, long retained) {
    System.out.printf(
        Locale.ROOT,
        "| %,d × %,d B, %s | %,d | %,d | %,d B | %.3f× |%n",
        messages,
        raw / messages,
        what,
        raw,
        retained,
        retained / messages,
        (double) retained / raw);
  }

  /** The JVM clears every soft reference before it throws OutOfMemoryError; this makes it do so. */
  private static void clearSoftReferences() {
    List<long[]> filler = new ArrayList<>();
    try {
      while (true) {
        filler.add(new long[4 << 20]);
      }
    } catch (OutOfMemoryError expected) {
      filler.clear();
    }
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    // several rounds: reference processing and finalization can free more on a later cycle
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Sends messages numbered {@code first} to {@code first + count - 1}, one per connection. */
  private void send(int first, int count, int messageBytes) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
    try {
      AtomicInteger next = new AtomicInteger(first);
      int end = first + count;
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < CLIENT_THREADS; t++) {
        running.add(
            clients.submit(
                () -> {
                  for (int n = next.getAndIncrement(); n < end; n = next.getAndIncrement()) {
                    sendOne(message(n, messageBytes));
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private void sendOne(byte[] message) throws IOException {
    try (Socket socket = new Socket(host, port)) {
      socket.setTcpNoDelay(true);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      expect(in, 220);
      command(out, in, "EHLO bench.test", 250);
      command(out, in, "MAIL FROM:<probe@bench.test>", 250);
      command(out, in, "RCPT TO:<heap@mailsink.test>", 250);
      command(out, in, "DATA", 354);
      out.write(message);
      command(out, in, ".", 250);
      command(out, in, "QUIT", 221);
    }
  }

  private static void command(OutputStream out, BufferedReader in, String line, int code)
      throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    expect(in, code);
  }

  private static void expect(BufferedReader in, int code) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed while waiting for " + code);
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
    if (!line.startsWith(Integer.toString(code))) {
      throw new IOException("expected " + code + ", got: " + line);
    }
  }

  /**
   * A plain-text message of exactly {@code size} bytes (CRLF line ends, the last line ending in
   * CRLF), unique per {@code n}, with no line starting with a dot.
   */
  static byte[] message(int n, int size) {
    StringBuilder sb =
        new StringBuilder(size)
            .append("From: Probe <probe@bench.test>\r\n")
            .append("To: Heap <heap@mailsink.test>\r\n")
            .append("Subject: Retained heap probe ")
            .append(n)
            .append("\r\n")
            .append("Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n")
            .append("Message-ID: <probe-")
            .append(n)
            .append("@bench.test>\r\n")
            .append("MIME-Version: 1.0\r\n")
            .append("Content-Type: text/plain; charset=us-ascii\r\n")
            .append("\r\n");
    String words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod ";
    int line = 0;
    while (sb.length() < size) {
      int room = size - sb.length();
      // keep at least 3 bytes for a last line, so that the message always ends in CRLF
      int width = room > 81 ? 76 : room > 78 ? room - 5 : room - 2;
      if (width < 1) {
        throw new IllegalArgumentException("message size " + size + " too small for the headers");
      }
      String text = (n + " " + line++ + " " + words.repeat(2)).substring(0, width);
      sb.append(text).append("\r\n");
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
    if (bytes.length != size) {
      throw new IllegalStateException("built " + bytes.length + " bytes, wanted " + size);
    }
    return bytes;
  }
}
