package dev.mailsink.server;

import dev.mailsink.MailsinkConfig;
import dev.mailsink.server.FlagValues.Mode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@code --self-test}: starts a server on free loopback ports (with the limits and TLS identity
 * given, STARTTLS offered, no AUTH and no fault rules), sends it one message over SMTP, reads the
 * message back through the JSON API, and stops. It checks an installation end to end; the Docker
 * build also runs it to record the classes a real start loads, for the class-data-sharing archive.
 */
final class SelfTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String SUBJECT = "Mailsink self-test";

  private SelfTest() {}

  /** Returns 0 when every step worked, 1 otherwise (with the failing step on {@code err}). */
  static int run(ServerSettings settings, PrintWriter out, PrintWriter err) {
    Logging.configure(settings.logLevel());
    // as a real start does, so that the image's class-data archive holds what it loads too
    StandaloneServer.scheduleThreadsStartedFromHere(settings.cpuScheduling());
    MailsinkConfig smtp =
        settings.smtp().toBuilder()
            .bindAddress(InetAddress.getLoopbackAddress())
            .smtpPort(0)
            .build();
    // Plain SMTP on free ports with STARTTLS offered (so that TLS set-up is exercised too); the
    // user's AUTH, fault rules and UI auth would stand in the way of the dialogue below.
    ServerSettings local =
        new ServerSettings(
            smtp,
            0,
            null,
            Mode.OPTIONAL,
            settings.tlsCert(),
            settings.tlsKey(),
            settings.tlsKeystore(),
            settings.tlsKeystorePassword(),
            Mode.OFF,
            false,
            List.of(),
            List.of(),
            null,
            List.of(),
            settings.logLevel(),
            settings.cpuScheduling());
    String step = "start";
    try (StandaloneServer server = StandaloneServer.start(local)) {
      URI web = server.webUri();
      step = "GET /readyz";
      expect(get(web.resolve("readyz")), 200, step);
      step = "SMTP to " + server.smtpUri();
      send(server.sink().smtpHost(), server.sink().smtpPort());
      step = "GET /api/v1/messages/await";
      expect(get(web.resolve("api/v1/messages/await?count=1&timeout=10s")), 200, step);
      step = "GET /api/v1/messages";
      Response list = get(web.resolve("api/v1/messages"));
      expect(list, 200, step);
      if (!list.body().contains(SUBJECT)) {
        throw new IOException("the list does not show the message: " + list.body());
      }
      step = "GET /api/v1/messages/latest";
      expect(get(web.resolve("api/v1/messages/latest")), 200, step);
      step = "GET /api/v1/messages/latest/raw";
      expect(get(web.resolve("api/v1/messages/latest/raw")), 200, step);
      step = "GET /api/v1/info";
      expect(get(web.resolve("api/v1/info")), 200, step);
      step = "GET /";
      expect(get(web), 200, step);
      out.println("self-test passed: SMTP " + server.smtpUri() + ", web " + web);
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("mailsink: self-test failed at " + step + ": " + e.getMessage());
      return 1;
    }
  }

  private record Response(int status, String body) {}

  private static void expect(Response r, int status, String step) throws IOException {
    if (r.status() != status) {
      throw new IOException(
          step + " answered " + r.status() + ", want " + status + ": " + r.body());
    }
  }

  private static Response get(URI uri) throws IOException {
    HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
    http.setConnectTimeout((int) TIMEOUT.toMillis());
    http.setReadTimeout((int) TIMEOUT.toMillis());
    int status = http.getResponseCode();
    try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, body);
    }
  }

  /** A plain SMTP dialogue, checking each reply code. */
  private static void send(String host, int port) throws IOException {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      reply(in, 220, "greeting");
      command(out, in, "EHLO self-test.local", 250);
      command(out, in, "MAIL FROM:<self-test@mailsink.local>", 250);
      command(out, in, "RCPT TO:<you@mailsink.local>", 250);
      command(out, in, "DATA", 354);
      command(
          out,
          in,
          "From: <self-test@mailsink.local>\r\nTo: <you@mailsink.local>\r\nSubject: "
              + SUBJECT
              + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nIt works.\r\n.",
          250);
      command(out, in, "QUIT", 221);
    }
  }

  private static void command(OutputStream out, BufferedReader in, String line, int code)
      throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    reply(in, code, line.lines().findFirst().orElse(line));
  }

  private static void reply(BufferedReader in, int code, String after) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed after " + after);
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
    if (!line.startsWith(Integer.toString(code))) {
      throw new IOException(after + " -> " + line + ", want " + code);
    }
  }
}
