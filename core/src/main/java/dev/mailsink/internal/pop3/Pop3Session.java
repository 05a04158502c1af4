package dev.mailsink.internal.pop3;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.internal.reader.ReaderAccess;
import dev.mailsink.internal.reader.ReaderConnections;
import dev.mailsink.internal.reader.ReaderListener;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One POP3 connection (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH PLAIN). The maildrop
 * is a snapshot taken at login; DELE marks, QUIT applies the marks through {@link
 * Mailbox#delete(long)}. Message bytes are served from the captured message without a copy.
 */
final class Pop3Session implements ReaderListener.Session {
  /** Longest accepted line including CRLF; RFC 2449 allows 255 for commands, AUTH needs more. */
  static final int MAX_LINE = 1024;

  private final Pop3Server server;
  private final ReaderConnections connections;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private boolean tls;
  private String user;
  private List<CapturedMessage> drop;
  private boolean[] deleted;
  private Mailbox mailbox;

  Pop3Session(Pop3Server server, ReaderConnections connections, Socket socket) {
    this.server = server;
    this.connections = connections;
    this.socket = socket;
    this.tls = socket instanceof SSLSocket;
  }

  @Override
  public String busyReply() {
    return "-ERR [SYS/TEMP] too many POP3/IMAP connections, try again later";
  }

  @Override
  public void serve(Socket s) throws IOException {
    s.setSoTimeout(server.idleTimeoutMillis());
    streams();
    reply("+OK Mailsink POP3 ready");
    try {
      while (true) {
        String line = readLine();
        if (line == null) {
          return;
        }
        if (!handle(line)) {
          return;
        }
      }
    } catch (SocketTimeoutException e) {
      reply("-ERR idle timeout, closing connection");
    }
  }

  private void streams() throws IOException {
    in = new BufferedInputStream(socket.getInputStream(), 8192);
    out = new BufferedOutputStream(socket.getOutputStream(), 16384);
  }

  /**
   * Reads a line up to CRLF (a bare LF is accepted); returns null at end of stream, or the marker
   * {@link #TOO_LONG} when the line exceeded {@link #MAX_LINE} (the rest is discarded).
   */
  private String readLine() throws IOException {
    byte[] buf = new byte[MAX_LINE];
    int n = 0;
    boolean overflow = false;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\n') {
        break;
      }
      if (n < MAX_LINE - 2) {
        buf[n++] = (byte) b;
      } else {
        overflow = true;
      }
    }
    if (overflow) {
      return TOO_LONG;
    }
    if (n > 0 && buf[n - 1] == '\r') {
      n--;
    }
    return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }

  private static final String TOO_LONG = new String("\u0000too long");

  private boolean handle(String line) throws IOException {
    if (line == TOO_LONG) {
      reply("-ERR line too long (at most " + MAX_LINE + " octets with CRLF)");
      return true;
    }
    Pop3Command cmd;
    try {
      cmd = Pop3Command.parse(line);
    } catch (Pop3Command.SyntaxException e) {
      reply("-ERR " + e.getMessage());
      return true;
    }
    try {
      return dispatch(cmd);
    } catch (Pop3Command.SyntaxException e) {
      reply("-ERR " + e.getMessage());
      return true;
    }
  }

  private boolean dispatch(Pop3Command cmd) throws IOException, Pop3Command.SyntaxException {
    String k = cmd.keyword();
    List<String> a = cmd.args();
    switch (k) {
      case "QUIT" -> {
        args(cmd, 0, 0);
        quit();
        return false;
      }
      case "CAPA" -> {
        args(cmd, 0, 0);
        capa();
        return true;
      }
      case "NOOP" -> {
        args(cmd, 0, 0);
        reply("+OK");
        return true;
      }
      default -> {}
    }
    if (drop == null) {
      switch (k) {
        case "USER" -> user(cmd);
        case "PASS" -> pass(cmd);
        case "AUTH" -> auth(cmd);
        case "STLS" -> stls(cmd);
        case "APOP" -> reply("-ERR APOP is not supported; use USER/PASS or AUTH PLAIN");
        case "STAT", "LIST", "RETR", "DELE", "RSET", "TOP", "UIDL" ->
            reply("-ERR log in first (USER/PASS or AUTH PLAIN)");
        default -> reply("-ERR unknown command " + k);
      }
      return true;
    }
    switch (k) {
      case "STAT" -> {
        args(cmd, 0, 0);
        int count = 0;
        long size = 0;
        for (int i = 0; i < drop.size(); i++) {
          if (!deleted[i]) {
            count++;
            size += drop.get(i).size();
          }
        }
        reply("+OK " + count + " " + size);
      }
      case "LIST" -> listing(cmd, false);
      case "UIDL" -> listing(cmd, true);
      case "RETR" -> {
        args(cmd, 1, 1);
        int n = message(a.get(0));
        if (n > 0) {
          CapturedMessage m = drop.get(n - 1);
          write("+OK " + m.size() + " octets\r\n");
          Pop3Stuffing.write(m, -1, out);
          out.flush();
        }
      }
      case "TOP" -> {
        args(cmd, 2, 2);
        int n = message(a.get(0));
        int lines = Pop3Command.number(a.get(1), "the line count");
        if (n > 0) {
          write("+OK top of message follows\r\n");
          Pop3Stuffing.write(drop.get(n - 1), lines, out);
          out.flush();
        }
      }
      case "DELE" -> {
        args(cmd, 1, 1);
        int n = message(a.get(0));
        if (n > 0) {
          deleted[n - 1] = true;
          reply("+OK message " + n + " deleted");
        }
      }
      case "RSET" -> {
        args(cmd, 0, 0);
        deleted = new boolean[drop.size()];
        reply("+OK maildrop has " + drop.size() + " messages");
      }
      case "USER", "PASS", "AUTH", "STLS", "APOP" -> reply("-ERR already logged in");
      default -> reply("-ERR unknown command " + k);
    }
    return true;
  }

  private static void args(Pop3Command cmd, int min, int max) throws Pop3Command.SyntaxException {
    int n = cmd.args().size();
    if (n < min || n > max) {
      throw new Pop3Command.SyntaxException(
          cmd.keyword()
              + (min == max
                  ? " takes "
                      + (min == 0 ? "no" : String.valueOf(min))
                      + " argument"
                      + (min == 1 ? "" : "s")
                  : " takes " + min + " to " + max + " arguments")
              + ", got "
              + n);
    }
  }

  /** Returns the message number, or 0 after replying -ERR for a missing or deleted one. */
  private int message(String arg) throws IOException, Pop3Command.SyntaxException {
    int n = Pop3Command.number(arg, "the message number");
    if (n < 1 || n > drop.size()) {
      reply("-ERR no message " + n + " (maildrop has " + drop.size() + ")");
      return 0;
    }
    if (deleted[n - 1]) {
      reply("-ERR message " + n + " is deleted");
      return 0;
    }
    return n;
  }

  private void listing(Pop3Command cmd, boolean uidl)
      throws IOException, Pop3Command.SyntaxException {
    args(cmd, 0, 1);
    if (cmd.args().size() == 1) {
      int n = message(cmd.args().get(0));
      if (n > 0) {
        reply("+OK " + n + " " + value(drop.get(n - 1), uidl));
      }
      return;
    }
    StringBuilder sb = new StringBuilder("+OK listing follows\r\n");
    for (int i = 0; i < drop.size(); i++) {
      if (!deleted[i]) {
        sb.append(i + 1).append(' ').append(value(drop.get(i), uidl)).append("\r\n");
      }
    }
    sb.append(".\r\n");
    write(sb.toString());
    out.flush();
  }

  private String value(CapturedMessage m, boolean uidl) {
    return uidl ? server.uid(m) : String.valueOf(m.size());
  }

  private void capa() throws IOException {
    StringBuilder sb = new StringBuilder("+OK capability list follows\r\n");
    sb.append("TOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n");
    if (drop == null && server.access().allowsPlaintext(tls)) {
      sb.append("USER\r\nSASL PLAIN\r\n");
    }
    if (drop == null && !tls && server.tls() != null) {
      sb.append("STLS\r\n");
    }
    sb.append("IMPLEMENTATION Mailsink\r\n.\r\n");
    write(sb.toString());
    out.flush();
  }

  private void user(Pop3Command cmd) throws IOException, Pop3Command.SyntaxException {
    args(cmd, 1, 1);
    if (!server.access().allowsPlaintext(tls)) {
      reply("-ERR [AUTH] plain-text login refused without TLS; use STLS or the POP3S port");
      return;
    }
    user = cmd.args().get(0);
    reply("+OK send PASS for " + user);
  }

  private void pass(Pop3Command cmd) throws IOException {
    if (user == null) {
      reply("-ERR send USER first");
      return;
    }
    String name = user;
    user = null;
    login(name, cmd.args().get(0));
  }

  private void auth(Pop3Command cmd) throws IOException, Pop3Command.SyntaxException {
    args(cmd, 0, 2);
    if (cmd.args().isEmpty()) {
      write("+OK SASL mechanisms follow\r\nPLAIN\r\n.\r\n");
      out.flush();
      return;
    }
    if (!cmd.args().get(0).equalsIgnoreCase("PLAIN")) {
      reply("-ERR unsupported SASL mechanism " + cmd.args().get(0) + "; PLAIN is offered");
      return;
    }
    if (!server.access().allowsPlaintext(tls)) {
      reply("-ERR [AUTH] plain-text login refused without TLS; use STLS or the POP3S port");
      return;
    }
    String response;
    if (cmd.args().size() == 2) {
      response = cmd.args().get(1);
    } else {
      write("+ \r\n");
      out.flush();
      response = readLine();
      if (response == null) {
        return;
      }
      if (response == TOO_LONG) {
        reply("-ERR AUTH response too long");
        return;
      }
    }
    if (response.equals("*")) {
      reply("-ERR AUTH cancelled");
      return;
    }
    byte[] decoded;
    try {
      decoded = response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response);
    } catch (IllegalArgumentException e) {
      reply("-ERR AUTH PLAIN response is not valid base64");
      return;
    }
    String[] parts = new String(decoded, StandardCharsets.UTF_8).split("\u0000", -1);
    if (parts.length != 3) {
      reply("-ERR AUTH PLAIN response must be authzid NUL authcid NUL password");
      return;
    }
    if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
      reply("-ERR [AUTH] authorization identity must be empty or equal the user name");
      return;
    }
    login(parts[1], parts[2]);
  }

  private void login(String name, String password) throws IOException {
    ReaderAccess.Result result = server.access().login(name, password, tls);
    if (result instanceof ReaderAccess.Refused refused) {
      reply("-ERR [AUTH] " + refused.text());
      return;
    }
    ReaderAccess.Granted granted = (ReaderAccess.Granted) result;
    mailbox = granted.mailbox();
    drop = List.copyOf(new ArrayList<>(mailbox.messages(Mailbox.Order.OLDEST_FIRST)));
    deleted = new boolean[drop.size()];
    long size = drop.stream().mapToLong(CapturedMessage::size).sum();
    reply("+OK " + granted.user() + " has " + drop.size() + " messages (" + size + " octets)");
  }

  private void stls(Pop3Command cmd) throws IOException, Pop3Command.SyntaxException {
    args(cmd, 0, 0);
    SSLContext context = server.tls();
    if (tls) {
      reply("-ERR TLS is already active");
      return;
    }
    if (context == null) {
      reply("-ERR STLS is not available: this server has no TLS");
      return;
    }
    reply("+OK begin TLS negotiation");
    // anything the client pipelined after STLS is discarded with the plain-text streams
    SSLSocket ssl = connections.layTls(socket, context);
    socket = ssl;
    ssl.startHandshake();
    tls = true;
    user = null;
    streams();
  }

  private void quit() throws IOException {
    if (drop == null) {
      reply("+OK Mailsink POP3 signing off");
      return;
    }
    int removed = 0;
    for (int i = 0; i < drop.size(); i++) {
      if (deleted[i] && mailbox.delete(drop.get(i).id())) {
        removed++;
      }
    }
    reply("+OK Mailsink POP3 signing off (" + removed + " messages deleted)");
  }

  private void reply(String line) throws IOException {
    write(line + "\r\n");
    out.flush();
  }

  private void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
