package dev.mailsink.bench;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.net.ExtendedSocketOptions;

/**
 * Reading captured mail back: the time to open INBOX and FETCH ENVELOPE of every message over IMAP
 * (Angus Mail's {@code IMAPFolder.fetch} with {@link FetchProfile.Item#ENVELOPE}: login, EXAMINE,
 * one FETCH of ENVELOPE, INTERNALDATE and RFC822.SIZE of all, CLOSE, LOGOUT), and to RETR every
 * message over POP3 (one session: USER, PASS, LIST, then RETR of each, QUIT; a raw-socket client
 * that sends a command only once it has read the whole previous reply, as mail clients do).
 *
 * <p>Usage: {@code ReaderBench mailsink|greenmail <messages> <runs> <parts>}, parts a
 * comma-separated list of {@code imap}, {@code pop3}, {@code pop3:<n>} (LIST all, RETR only the
 * first n) and {@code pop3-quickack} / {@code pop3-quickack:<n>}: the same, but the client re-arms
 * {@code TCP_QUICKACK} after every read, so its kernel acknowledges each segment at once instead of
 * delaying the ACK. No mail client does that; it shows what a server that writes a reply in several
 * small writes with Nagle on (GreenMail) costs without the ~40 ms stall each such reply meets
 * against an ordinary client, whose delayed ACK holds back the rest of the reply. The server runs
 * in this JVM on free ports of 127.0.0.1, the client too (the same for both servers: one JVM per
 * server, so neither's heap or JIT work weighs on the other). The messages (about 2 KB each, seven
 * header fields, one recipient) are sent over SMTP first, 100 per connection. Each part then runs
 * once as a warm-up and {@code runs} times measured; each run opens a new connection and checks it
 * read every message: over IMAP, that the FETCH alone brought the envelope of each of them (counted
 * after the folder is closed, so none can be fetched later one by one).
 *
 * <p>Prints tab-separated lines: {@code LOAD <ms>}, then per part {@code RESULT <part> <messages
 * read per run> <median ms> <ms of each run, comma-separated>} or {@code SKIPPED <part> <why>}.
 */
public final class ReaderBench {
  private static final String RECIPIENT = "reader@bench.test";
  private static final String PASSWORD = "secret";
  private static final int PER_CONNECTION = 100;
  private static final int TIMEOUT_MS = (int) Duration.ofSeconds(60).toMillis();
  private static final Pattern ORDER_SUBJECT = Pattern.compile("Your order (\\d+) has shipped");

  private ReaderBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println(
          "usage: ReaderBench mailsink|greenmail <messages> <runs>"
              + " imap,pop3,pop3:<n>,pop3-quickack,pop3-quickack:<n>");
      System.exit(2);
    }
    int messages = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    List<String> parts = Arrays.asList(args[3].split(","));
    try (Server server =
        switch (args[0]) {
          case "mailsink" -> new MailsinkServer(messages);
          case "greenmail" -> new GreenMailServer();
          default ->
              throw new IllegalArgumentException(
                  "server must be mailsink or greenmail, was " + args[0]);
        }) {
      long t0 = System.nanoTime();
      load(server.smtpPort(), messages);
      server.awaitStored(messages);
      System.out.printf(Locale.ROOT, "LOAD\t%d%n", (System.nanoTime() - t0) / 1_000_000);
      for (String part : parts) {
        String protocol = part.contains(":") ? part.substring(0, part.indexOf(':')) : part;
        int expected =
            part.contains(":") ? Integer.parseInt(part.substring(part.indexOf(':') + 1)) : messages;
        if (expected < 1 || expected > messages) {
          throw new IllegalArgumentException(part + ": n must be in 1.." + messages);
        }
        int port =
            switch (protocol) {
              case "pop3", "pop3-quickack" -> server.pop3Port();
              case "imap" -> server.imapPort();
              default -> throw new IllegalArgumentException("unknown part " + part);
            };
        if (port < 0) {
          System.out.printf("SKIPPED\t%s\t%s has no %s server%n", part, args[0], part);
          continue;
        }
        long[] times = new long[runs];
        for (int i = -1; i < runs; i++) {
          long start = System.nanoTime();
          int read =
              switch (protocol) {
                case "pop3" -> retr(port, messages, expected, false);
                case "pop3-quickack" -> retr(port, messages, expected, true);
                default -> fetchEnvelopes(port, messages);
              };
          long ms = (System.nanoTime() - start) / 1_000_000;
          if (read != expected) {
            throw new IllegalStateException(part + " read " + read + " of " + expected);
          }
          if (i >= 0) {
            times[i] = ms;
          }
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        StringBuilder each = new StringBuilder();
        for (long t : times) {
          each.append(each.length() == 0 ? "" : ",").append(t);
        }
        System.out.printf(
            Locale.ROOT,
            "RESULT\t%s\t%d\t%d\t%s%n",
            part,
            expected,
            sorted[(sorted.length - 1) / 2],
            each);
      }
    }
    System.exit(0);
  }

  // --- the messages --------------------------------------------------------------------------

  static byte[] message(int i) {
    StringBuilder m = new StringBuilder(2_100);
    m.append("From: Shop <shop@bench.test>\r\n")
        .append("To: Reader <")
        .append(RECIPIENT)
        .append(">\r\n")
        .append("Subject: Your order ")
        .append(i)
        .append(" has shipped\r\n")
        .append("Date: Mon, 7 Dec 2026 06:00:00 +0000\r\n")
        .append("Message-ID: <order-")
        .append(i)
        .append("@bench.test>\r\n")
        .append("MIME-Version: 1.0\r\n")
        .append("Content-Type: text/plain; charset=UTF-8\r\n")
        .append("\r\n");
    int line = 0;
    while (m.length() < 2_000) {
      m.append("Line ")
          .append(line++)
          .append(" of order ")
          .append(i)
          .append(": the quick brown fox jumps over the lazy dog.\r\n");
    }
    return m.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends the messages over SMTP, {@value #PER_CONNECTION} transactions per connection. */
  private static void load(int port, int messages) throws IOException {
    for (int first = 0; first < messages; first += PER_CONNECTION) {
      try (Socket s = connect(port)) {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = new BufferedOutputStream(s.getOutputStream());
        smtp(in, out, null, 220);
        smtp(in, out, "EHLO bench.test", 250);
        for (int i = first; i < Math.min(messages, first + PER_CONNECTION); i++) {
          smtp(in, out, "MAIL FROM:<shop@bench.test>", 250);
          smtp(in, out, "RCPT TO:<" + RECIPIENT + ">", 250);
          smtp(in, out, "DATA", 354);
          // the body has no line starting with a dot: no stuffing needed
          out.write(message(i));
          smtp(in, out, ".", 250);
        }
        smtp(in, out, "QUIT", 221);
      }
    }
  }

  private static void smtp(InputStream in, OutputStream out, String command, int expected)
      throws IOException {
    if (command != null) {
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    String line;
    do {
      line = readLine(in);
    } while (line.length() > 3 && line.charAt(3) == '-');
    if (!line.startsWith(Integer.toString(expected))) {
      throw new IOException((command == null ? "greeting" : command) + " -> " + line);
    }
  }

  // --- POP3 ----------------------------------------------------------------------------------

  /**
   * One POP3 session: USER, PASS, LIST (which must list {@code listed} messages), RETR of the first
   * {@code retrieved} of them, QUIT. With {@code quickAck}, every read re-arms TCP_QUICKACK.
   */
  private static int retr(int port, int listed, int retrieved, boolean quickAck)
      throws IOException {
    try (Socket s = connect(port)) {
      InputStream raw = quickAck ? new QuickAckInputStream(s) : s.getInputStream();
      InputStream in = new BufferedInputStream(raw, 65_536);
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      pop3(in, out, null);
      pop3(in, out, "USER " + RECIPIENT);
      pop3(in, out, "PASS " + PASSWORD);
      pop3(in, out, "LIST");
      List<String> ids = new ArrayList<>();
      for (String line = readLine(in); !line.equals("."); line = readLine(in)) {
        ids.add(line.substring(0, line.indexOf(' ')));
      }
      if (ids.size() != listed) {
        throw new IOException("LIST gave " + ids.size() + " messages, want " + listed);
      }
      int read = 0;
      for (String id : ids.subList(0, retrieved)) {
        pop3(in, out, "RETR " + id);
        long bytes = 0;
        for (String line = readLine(in); !line.equals("."); line = readLine(in)) {
          bytes += line.length() + 2;
        }
        if (bytes < 1_900) {
          throw new IOException("RETR " + id + " gave " + bytes + " bytes");
        }
        read++;
      }
      pop3(in, out, "QUIT");
      return read;
    }
  }

  private static void pop3(InputStream in, OutputStream out, String command) throws IOException {
    if (command != null) {
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    String line = readLine(in);
    if (!line.startsWith("+OK")) {
      throw new IOException((command == null ? "greeting" : command) + " -> " + line);
    }
  }

  /**
   * Re-arms TCP_QUICKACK after every read. Linux clears it again as soon as the connection looks
   * interactive (the client answering soon after it received), so once per socket is not enough:
   * after the read that returned a reply's first segment, setting it sends the pending ACK at once,
   * which lets a Nagle-bound server send the rest of the reply.
   */
  private static final class QuickAckInputStream extends FilterInputStream {
    private final Socket socket;

    QuickAckInputStream(Socket socket) throws IOException {
      super(socket.getInputStream());
      this.socket = socket;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
      return n;
    }
  }

  // --- IMAP ----------------------------------------------------------------------------------

  /**
   * Logs in, opens INBOX read-only, fetches the envelope of every message and closes the folder;
   * returns how many of the {@code messages} sent had their envelope in that FETCH's answer (each
   * subject "Your order i has shipped", i from 0, exactly once).
   */
  private static int fetchEnvelopes(int port, int messages) throws MessagingException {
    Properties props = new Properties();
    props.setProperty("mail.imap.host", "127.0.0.1");
    props.setProperty("mail.imap.port", Integer.toString(port));
    props.setProperty("mail.imap.connectiontimeout", Integer.toString(TIMEOUT_MS));
    props.setProperty("mail.imap.timeout", Integer.toString(TIMEOUT_MS));
    Store store = Session.getInstance(props).getStore("imap");
    store.connect("127.0.0.1", port, RECIPIENT, PASSWORD);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      Message[] all = inbox.getMessages();
      FetchProfile profile = new FetchProfile();
      profile.add(FetchProfile.Item.ENVELOPE);
      inbox.fetch(all, profile);
      // closed, the folder cannot fetch a missing envelope one message at a time: getSubject
      // throws FolderClosedException instead, so what is counted came with the FETCH
      inbox.close(false);
      BitSet seen = new BitSet(messages);
      for (Message m : all) {
        Matcher order = ORDER_SUBJECT.matcher(String.valueOf(m.getSubject()));
        int i = order.matches() ? Integer.parseInt(order.group(1)) : -1;
        if (i < 0 || i >= messages || seen.get(i)) {
          throw new IllegalStateException("unexpected or repeated subject: " + m.getSubject());
        }
        seen.set(i);
      }
      return seen.cardinality();
    } finally {
      store.close();
    }
  }

  // --- plumbing ------------------------------------------------------------------------------

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
    s.setSoTimeout(TIMEOUT_MS);
    return s;
  }

  /** One CRLF-terminated line, without the CRLF (ASCII is all the bench sends and reads). */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed mid-line: " + line);
      }
      line.write(c);
    }
    byte[] b = line.toByteArray();
    int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
    return new String(b, 0, n, StandardCharsets.US_ASCII);
  }

  /** The server under test: SMTP to load, POP3 and IMAP to read. */
  private interface Server extends AutoCloseable {
    int smtpPort();

    int pop3Port();

    /** -1 when the server has no IMAP. */
    int imapPort();

    void awaitStored(int messages) throws Exception;

    @Override
    void close();
  }

  private static final class MailsinkServer implements Server {
    private final Mailsink sink;

    MailsinkServer(int messages) {
      sink =
          Mailsink.start(
              MailsinkConfig.builder()
                  .bindAddress("127.0.0.1")
                  .smtpPort(0)
                  .pop3Port(0)
                  .imapPort(0)
                  .retainedMessages(Math.max(messages, 10_000))
                  .build());
    }

    @Override
    public int smtpPort() {
      return sink.smtpPort();
    }

    @Override
    public int pop3Port() {
      return sink.pop3Port();
    }

    @Override
    public int imapPort() {
      return sink.imapPort();
    }

    @Override
    public void awaitStored(int messages) {
      sink.mailbox().await(messages, Duration.ofSeconds(30));
    }

    @Override
    public void close() {
      sink.close();
    }
  }

  private static final class GreenMailServer implements Server {
    private final GreenMail greenMail;

    GreenMailServer() {
      ServerSetup[] setups = {
        setup(ServerSetup.PROTOCOL_SMTP),
        setup(ServerSetup.PROTOCOL_POP3),
        setup(ServerSetup.PROTOCOL_IMAP)
      };
      greenMail = new GreenMail(setups);
      greenMail.withConfiguration(
          GreenMailConfiguration.aConfig().withUser(RECIPIENT, RECIPIENT, PASSWORD));
      greenMail.start();
    }

    private static ServerSetup setup(String protocol) {
      ServerSetup setup = new ServerSetup(0, "127.0.0.1", protocol).dynamicPort();
      setup.setServerStartupTimeout(10_000);
      return setup;
    }

    @Override
    public int smtpPort() {
      return greenMail.getSmtp().getPort();
    }

    @Override
    public int pop3Port() {
      return greenMail.getPop3().getPort();
    }

    @Override
    public int imapPort() {
      return greenMail.getImap().getPort();
    }

    @Override
    public void awaitStored(int messages) {
      if (!greenMail.waitForIncomingEmail(30_000, messages)) {
        throw new IllegalStateException(
            "GreenMail stored " + greenMail.getReceivedMessages().length + " of " + messages);
      }
    }

    @Override
    public void close() {
      greenMail.stop();
    }
  }
}
