package dev.mailsink.internal.smtp;

import dev.mailsink.internal.session.SessionRecord;
import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.TranscriptEntry.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.SSLSession;
import org.subethamail.smtp.server.Session;

/**
 * Turns the bytes of one SMTP connection into its transcript, as they pass the {@link
 * SessionSocket}: client lines as commands, each reply written as one reply, message content as a
 * size only, AUTH responses redacted.
 *
 * <p>It follows the protocol from the bytes, the way the server does: a line ends at LF; after DATA
 * the content is only counted (never scanned or copied) until the server, which finds the
 * terminating {@code CRLF.CRLF} anyway, says where it was ({@link #endOfData}); after {@code BDAT
 * n} it is the next {@code n} bytes. Which reply answers which command is counted, so that a
 * pipelined DATA learns of its 354 (or its refusal) correctly.
 *
 * <p>Used by the session's thread only, except {@link #closed()}, which the thread closing a
 * session calls (possibly the server's while stopping); the record it writes to is thread-safe.
 */
final class TranscriptRecorder {
  private static final int MAX_LINE = 1_000;
  private static final String REDACTED = "[credentials redacted]";
  private static final byte[] REDACTED_BYTES = REDACTED.getBytes(StandardCharsets.US_ASCII);

  private static final int COMMAND = 0;
  private static final int BODY = 1;
  private static final int CHUNK = 2;

  private final SessionRecord record;
  private final Shutdown shutdown;

  // grows up to MAX_LINE; most command lines are short
  private byte[] line = new byte[128];
  private int lineLength;
  private int lineOverflow;

  private int mode = COMMAND;
  private long contentBytes;
  // the last chunk of DATA content seen: the commands pipelined after the message end it
  private byte[] lastChunk;
  private int lastChunkOffset;
  private int lastChunkLength;
  private long chunkRemaining;

  /** Commands (and ends of data) not answered yet. */
  private int unanswered;

  /** How many replies from now DATA's reply comes; 0 when no DATA waits for one. */
  private int dataReplyIn;

  private String authMechanism;
  private boolean saslExpected;
  private int saslResponses;
  private String authUser;
  private int authReplyIn;

  private boolean quitSent;
  private boolean quitAnswered;
  private boolean inputEnded;
  private String inputError;
  private boolean readTimedOut;
  private boolean tlsRecorded;
  // the last reply written, decoded only when the session's end needs it
  private byte[] lastReply = new byte[0];
  private int lastReplyLength;
  private SessionEnd reason;
  private String reasonDetail = "";

  TranscriptRecorder(SessionRecord record, Shutdown shutdown) {
    this.record = record;
    this.shutdown = shutdown;
  }

  /** The recorder of a session, or null when transcripts are off. */
  static TranscriptRecorder of(Session sess) {
    return FaultHooks.socket(sess).transcript();
  }

  SessionRecord record() {
    return record;
  }

  // --- input -------------------------------------------------------------------------------------

  /** Bytes read from the client. */
  void received(byte[] b, int off, int n) {
    readTimedOut = false;
    scan(b, off, n);
  }

  private void scan(byte[] b, int off, int n) {
    int i = off;
    int end = off + n;
    while (i < end) {
      if (mode == COMMAND) {
        i = scanLine(b, i, end);
      } else if (mode == BODY) {
        // message content is only counted; the server says where it ends (endOfData)
        contentBytes += end - i;
        lastChunk = b;
        lastChunkOffset = i;
        lastChunkLength = end - i;
        i = end;
      } else {
        int take = (int) Math.min(chunkRemaining, end - i);
        chunkRemaining -= take;
        contentBytes += take;
        i += take;
        if (chunkRemaining == 0) {
          endOfContent("BDAT chunk, ");
        }
      }
    }
  }

  void endOfInput() {
    inputEnded = true;
  }

  void inputFailed(IOException e) {
    if (inputError == null) {
      inputError = String.valueOf(e.getMessage());
    }
  }

  void readTimedOut() {
    readTimedOut = true;
  }

  private int scanLine(byte[] b, int from, int end) {
    int i = from;
    while (i < end && b[i] != '\n') {
      i++;
    }
    int len = i - from;
    if (lineLength + len > line.length && line.length < MAX_LINE) {
      line =
          java.util.Arrays.copyOf(
              line, Math.min(MAX_LINE, Math.max(line.length * 2, lineLength + len)));
    }
    int room = MAX_LINE - lineLength;
    if (len <= room) {
      System.arraycopy(b, from, line, lineLength, len);
      lineLength += len;
    } else {
      System.arraycopy(b, from, line, lineLength, room);
      lineLength = MAX_LINE;
      lineOverflow += len - room;
    }
    if (i == end) {
      return end;
    }
    int length = lineLength;
    if (length > 0 && line[length - 1] == '\r' && lineOverflow == 0) {
      length--;
    }
    int overflow = lineOverflow;
    lineLength = 0;
    lineOverflow = 0;
    onLine(length, overflow);
    return i + 1;
  }

  private void onLine(int length, int overflow) {
    unanswered++;
    if (saslExpected) {
      saslResponses++;
      if (authUser == null) {
        authUser = userOf(authMechanism, saslResponses, line, 0, length);
      }
      authReplyIn = unanswered;
      record.add(Kind.COMMAND, REDACTED_BYTES, 0, REDACTED_BYTES.length);
      return;
    }
    // only the few commands whose arguments matter become strings; the rest go in as bytes
    if (isVerb(length, "AUTH")) {
      record.add(Kind.COMMAND, startAuth(text(length, overflow)));
      return;
    }
    if (isVerb(length, "DATA") && isBlankFrom(5, length)) {
      mode = BODY;
      contentBytes = 0;
      lastChunk = null;
      dataReplyIn = unanswered;
    } else if (isVerb(length, "BDAT")) {
      startChunk(text(length, overflow));
    } else if (isVerb(length, "EHLO") || isVerb(length, "HELO")) {
      String name = text(length, 0).substring(4).strip();
      int space = name.indexOf(' ');
      record.helo(space < 0 ? name : name.substring(0, space));
    } else if (isVerb(length, "QUIT")) {
      quitSent = true;
    }
    if (overflow > 0) {
      record.add(Kind.COMMAND, text(length, overflow));
    } else {
      record.add(Kind.COMMAND, line, 0, length);
    }
  }

  private String text(int length, int overflow) {
    String text = new String(line, 0, length, StandardCharsets.UTF_8);
    return overflow > 0 ? text + " [" + overflow + " more bytes]" : text;
  }

  private boolean isVerb(int length, String verb) {
    int n = verb.length();
    if (length < n || (length > n && line[n] != ' ')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if ((line[i] & 0xDF) != verb.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean isBlankFrom(int from, int length) {
    for (int i = from; i < length; i++) {
      if (line[i] != ' ' && line[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  private String startAuth(String text) {
    String[] args = text.substring(4).strip().split(" +");
    authMechanism = args[0].toUpperCase(Locale.ROOT);
    authUser = null;
    saslResponses = 0;
    saslExpected = true;
    authReplyIn = unanswered;
    if (args.length > 1) {
      byte[] initial = args[1].getBytes(StandardCharsets.US_ASCII);
      saslResponses = 1;
      authUser = userOf(authMechanism, 1, initial, 0, initial.length);
      return "AUTH " + args[0] + " " + REDACTED;
    }
    return text;
  }

  /** The user named in a SASL response; the rest of it (the password) is dropped here. */
  private static String userOf(String mechanism, int response, byte[] b, int off, int len) {
    if (mechanism == null) {
      return null;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(new String(b, off, len, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return null;
    }
    String user;
    switch (mechanism) {
      case "PLAIN" -> {
        // authzid NUL authcid NUL password
        int first = indexOf(decoded, 0, 0);
        int second = first < 0 ? -1 : indexOf(decoded, 0, first + 1);
        user =
            second < 0
                ? null
                : new String(decoded, first + 1, second - first - 1, StandardCharsets.UTF_8);
      }
      case "LOGIN" -> user = response == 1 ? new String(decoded, StandardCharsets.UTF_8) : null;
      case "CRAM-MD5" -> {
        int space = lastIndexOf(decoded, ' ');
        user = space <= 0 ? null : new String(decoded, 0, space, StandardCharsets.UTF_8);
      }
      default -> user = null;
    }
    java.util.Arrays.fill(decoded, (byte) 0);
    return user == null || user.isEmpty() || user.length() > 256 ? null : user;
  }

  private static int indexOf(byte[] b, int value, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] b, int value) {
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** Mirrors the server's BDAT parsing: a well-formed command is followed by its chunk. */
  private void startChunk(String text) {
    String[] args = text.substring(4).strip().split("\\s+");
    long size;
    try {
      size = Long.parseLong(args[0]);
    } catch (NumberFormatException e) {
      return;
    }
    boolean last = args.length == 2 && args[1].equalsIgnoreCase("LAST");
    if (size < 0 || args.length > 2 || (args.length == 2 && !last)) {
      return;
    }
    contentBytes = 0;
    if (size == 0) {
      return;
    }
    chunkRemaining = size;
    mode = CHUNK;
  }

  /**
   * The server read DATA content up to its terminator, {@code wireBytes} bytes from where the
   * content began (dot-stuffing and the {@code .CRLF} included). Bytes seen after that, in the
   * chunk that held the terminator, are commands the client pipelined after the message: they are
   * read as commands now. (The chunk is intact: nothing reads the stream between the read that
   * delivered it and this call.)
   */
  void endOfData(long wireBytes) {
    if (mode != BODY) {
      return;
    }
    long leftover = contentBytes - wireBytes;
    contentBytes = Math.max(0, wireBytes - 3);
    endOfContent("");
    unanswered++;
    byte[] chunk = lastChunk;
    lastChunk = null;
    if (leftover > 0 && leftover <= lastChunkLength && chunk != null) {
      scan(chunk, lastChunkOffset + lastChunkLength - (int) leftover, (int) leftover);
    }
  }

  private void endOfContent(String what) {
    mode = COMMAND;
    record.add(Kind.DATA, what + contentBytes + " bytes");
  }

  // --- output ------------------------------------------------------------------------------------

  /** One whole reply, about to be written. */
  void sending(byte[] b, int off, int len) {
    int end = off + len;
    while (end > off && (b[end - 1] == '\n' || b[end - 1] == '\r')) {
      end--;
    }
    record.add(Kind.REPLY, b, off, end - off);
    // copied: the writer may reuse its array
    if (lastReply.length < end - off) {
      lastReply = new byte[Math.max(64, end - off)];
    }
    System.arraycopy(b, off, lastReply, 0, end - off);
    lastReplyLength = end - off;
    int code = code(b, off, len);
    if (unanswered > 0) {
      unanswered--;
    }
    if (dataReplyIn > 0 && --dataReplyIn == 0 && code != 354 && mode == BODY) {
      // DATA was refused: what follows are commands again
      mode = COMMAND;
    }
    if (saslExpected && --authReplyIn <= 0) {
      if (code != 334) {
        finishAuth(code, lastReply());
      }
    }
    if (quitSent && code == 221) {
      quitAnswered = true;
    }
  }

  private void finishAuth(int code, String reply) {
    saslExpected = false;
    String who = authUser == null ? "" : " as " + authUser;
    if (code == 235) {
      record.authenticated(authMechanism, authUser);
      record.add(Kind.AUTH, authMechanism + who + ": authenticated");
    } else {
      record.add(Kind.AUTH, authMechanism + who + ": refused (" + reply + ")");
    }
    authUser = null;
  }

  /** Writing a reply failed: a TLS handshake on first write (implicit TLS), or the client left. */
  void sendFailed(IOException e) {
    if (e instanceof javax.net.ssl.SSLException && !tlsRecorded) {
      tlsFailed(e);
    } else if (inputError == null) {
      inputError = String.valueOf(e.getMessage());
    }
  }

  private String lastReply() {
    return new String(lastReply, 0, lastReplyLength, StandardCharsets.UTF_8);
  }

  private static int code(byte[] b, int off, int len) {
    if (len < 3) {
      return -1;
    }
    int code = 0;
    for (int i = off; i < off + 3; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1;
      }
      code = code * 10 + (b[i] - '0');
    }
    return code;
  }

  // --- TLS, faults and the end -------------------------------------------------------------------

  boolean isTlsRecorded() {
    return tlsRecorded;
  }

  /** TLS is up; anything the client pipelined in clear was dropped with the old stream. */
  void tlsStarted(SSLSession tls) {
    tlsRecorded = true;
    record.tls(tls.getProtocol(), tls.getCipherSuite());
    record.add(Kind.TLS, tls.getProtocol() + " " + tls.getCipherSuite());
    mode = COMMAND;
    lastChunk = null;
    lineLength = 0;
    lineOverflow = 0;
    unanswered = 0;
    dataReplyIn = 0;
  }

  void tlsFailed(IOException e) {
    tlsRecorded = true;
    record.add(Kind.TLS, "handshake failed: " + e.getMessage());
    ending(SessionEnd.TLS_FAILED, "TLS handshake failed: " + e.getMessage());
  }

  /** A fault rule fired. */
  void fault(long ruleId, String stage, String outcome) {
    record.add(Kind.FAULT, "rule #" + ruleId + " at " + stage + ": " + outcome);
  }

  /** Says why the session is about to end, unless a reason was given already. */
  void ending(SessionEnd how, String detail) {
    if (reason == null) {
      reason = how;
      reasonDetail = detail;
    }
  }

  /** The connection is closed: records how the session ended (once). */
  void closed() {
    SessionEnd how = reason;
    String detail = reasonDetail;
    if (how == null) {
      if (quitAnswered) {
        how = SessionEnd.QUIT;
        detail = "";
      } else if (shutdown.isClosing()) {
        how = SessionEnd.SERVER_CLOSING;
        detail = inContent();
      } else if (inputEnded || inputError != null) {
        how = SessionEnd.CLIENT_DISCONNECTED;
        String what =
            inputError == null ? "the client closed the connection" : "connection " + inputError;
        String during = inContent();
        detail = what + (during.isEmpty() ? " without QUIT" : " " + during);
      } else if (readTimedOut) {
        how = SessionEnd.IDLE_TIMEOUT;
        detail = lastReply();
      } else {
        how = SessionEnd.PROTOCOL_ERROR;
        detail = "closed by the server after: " + lastReply();
      }
    }
    record.end(how, detail);
  }

  private String inContent() {
    if (mode == BODY && dataReplyIn == 0) {
      return "during DATA, after " + contentBytes + " bytes of message data";
    }
    if (mode == CHUNK) {
      return "during a BDAT chunk, after " + contentBytes + " bytes of it";
    }
    return "";
  }
}
