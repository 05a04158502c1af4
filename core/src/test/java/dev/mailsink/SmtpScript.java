package dev.mailsink;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw SMTP client for protocol edge cases: send exact bytes, expect exact reply codes. Failures
 * read like {@code RCPT TO:<b@y> -> 250 Ok, want 550}.
 */
final class SmtpScript implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private String lastSent = "(greeting)";

  private SmtpScript(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static SmtpScript connect(Mailsink sink) throws IOException {
    Socket s = new Socket(sink.smtpHost(), sink.smtpPort());
    s.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
    return new SmtpScript(s);
  }

  /** Connects and checks the 220 greeting, then says EHLO. */
  static SmtpScript ehlo(Mailsink sink) throws IOException {
    SmtpScript script = connect(sink);
    script.expectCode(220);
    script.send("EHLO client.test").expectCode(250);
    return script;
  }

  /**
   * Layers client-side TLS over this connection (after a 220 to STARTTLS) and returns the script
   * that talks through it; closing either closes the connection.
   */
  SmtpScript startTls(SSLContext trust) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            trust
                .getSocketFactory()
                .createSocket(
                    socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    tls.setUseClientMode(true);
    tls.startHandshake();
    return new SmtpScript(tls);
  }

  /** Sends one command line; CRLF is appended. */
  SmtpScript send(String line) throws IOException {
    lastSent = line;
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** Sends bytes exactly as given (nothing appended). */
  SmtpScript sendRaw(byte[] bytes) throws IOException {
    lastSent = "(" + bytes.length + " raw bytes)";
    out.write(bytes);
    out.flush();
    return this;
  }

  SmtpScript sendRaw(String text) throws IOException {
    return sendRaw(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads one whole (possibly multi-line) reply. */
  Reply reply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = readLine();
      if (line == null) {
        throw new AssertionError(lastSent + " -> connection closed, no reply");
      }
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return new Reply(lines);
      }
    }
  }

  /** Reads a reply and checks its code; returns the reply for further checks. */
  Reply expectCode(int code) throws IOException {
    Reply reply = reply();
    if (reply.code() != code) {
      throw new AssertionError(lastSent + " -> " + reply + ", want " + code);
    }
    return reply;
  }

  /** Whether the server closed the connection: end of stream, or a reset (abrupt close). */
  boolean isClosedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (java.net.SocketException e) {
      return "Connection reset".equals(e.getMessage());
    }
  }

  /**
   * Whether the server closes the connection, after whatever it still sends (a TLS alert, a last
   * reply); false if it is still open after the read timeout.
   */
  boolean isEndedByServer() throws IOException {
    return isEndedByServer(in);
  }

  static boolean isEndedByServer(InputStream in) throws IOException {
    try {
      return in.readNBytes(64 * 1024).length < 64 * 1024;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A reply: its lines as received. */
  record Reply(List<String> lines) {
    int code() {
      return Integer.parseInt(lines.get(0).substring(0, 3));
    }

    /** The text of the last line after the code, e.g. {@code 2.0.0 Ok}. */
    String text() {
      String last = lines.get(lines.size() - 1);
      return last.length() > 4 ? last.substring(4) : "";
    }

    /** The extension keywords of an EHLO reply (every line but the first). */
    List<String> extensions() {
      List<String> result = new ArrayList<>();
      for (int i = 1; i < lines.size(); i++) {
        result.add(lines.get(i).substring(4));
      }
      return result;
    }

    @Override
    public String toString() {
      return String.join(" / ", lines);
    }
  }
}
