package dev.mailsink.internal.imap;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Frames commands on the wire: reads lines and the literals they announce, bounded by the line and
 * literal limits, asking for synchronising literals with a continuation. What it returns is the
 * whole command with literals inline and without the final CRLF, for {@link ImapParser}.
 */
final class CommandReader {
  /** The largest command line (outside literals) the server reads. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  /** One framed command, or one that broke a limit (then {@code error} says which). */
  record Framed(byte[] bytes, String error) {}

  /** Sends the {@code +} continuation that a synchronising literal waits for. */
  interface Continuation {
    void ready() throws IOException;
  }

  private final int maxLiteral;
  private final long maxCommand;
  private InputStream in;

  CommandReader(InputStream in, int maxLiteral) {
    this.in = in;
    this.maxLiteral = maxLiteral;
    this.maxCommand = (long) maxLiteral + 4L * MAX_LINE_BYTES;
  }

  void switchTo(InputStream in) {
    this.in = in;
  }

  /**
   * Reads one command. Returns null at the end of the stream before any byte of a command.
   *
   * @throws EOFException when the stream ends inside a command
   */
  Framed read(Continuation continuation) throws IOException {
    ByteArrayOutputStream command = new ByteArrayOutputStream();
    String error = null;
    boolean first = true;
    while (true) {
      byte[] line = readLine(first);
      if (line == null) {
        return null;
      }
      first = false;
      if (line.length > MAX_LINE_BYTES) {
        // readLine stopped storing at the limit and skipped to the end of the line
        if (command.size() == 0) {
          command.write(line, 0, Math.min(line.length, 200));
        }
        return new Framed(command.toByteArray(), "Command line too long");
      }
      command.write(line);
      long literal = literalAtEnd(line);
      if (literal < 0) {
        return new Framed(command.toByteArray(), error);
      }
      boolean plus = line[line.length - 2] == '+';
      if (error == null && literal > maxLiteral) {
        error = "Literal of " + literal + " octets exceeds the limit of " + maxLiteral + " octets";
      } else if (error == null && command.size() + literal > maxCommand) {
        error = "Command too long";
      }
      if (error != null) {
        if (!plus) {
          // the client waits for a continuation that never comes: the command ends here
          return new Framed(command.toByteArray(), error);
        }
        skip(literal);
        continue;
      }
      if (!plus) {
        continuation.ready();
      }
      command.write('\r');
      command.write('\n');
      byte[] data = in.readNBytes((int) literal);
      if (data.length < literal) {
        throw new EOFException("connection closed inside a literal");
      }
      command.write(data);
    }
  }

  /** Reads one line (without CRLF) for AUTHENTICATE and IDLE; null at the end of the stream. */
  String readTextLine() throws IOException {
    byte[] line = readLine(true);
    if (line == null) {
      return null;
    }
    return new String(line, StandardCharsets.UTF_8);
  }

  private void skip(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("connection closed inside a literal");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  /**
   * One line without its CRLF (a bare LF is accepted as the end too). A line longer than the limit
   * is returned as its first limit+1 bytes after the rest is skipped.
   */
  private byte[] readLine(boolean eofAllowed) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int count = 0;
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (count == 0 && eofAllowed) {
          return null;
        }
        throw new EOFException("connection closed inside a command");
      }
      if (c == '\n') {
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r' && count <= MAX_LINE_BYTES + 1) {
          return java.util.Arrays.copyOf(bytes, len - 1);
        }
        return bytes;
      }
      count++;
      if (count <= MAX_LINE_BYTES + 1) {
        line.write(c);
      }
    }
  }

  /** The n of a trailing {@code {n}} or {@code {n+}}, or -1. */
  private static long literalAtEnd(byte[] line) {
    int end = line.length - 1;
    if (end < 2 || line[end] != '}') {
      return -1;
    }
    int i = end - 1;
    if (line[i] == '+') {
      i--;
    }
    int digitsEnd = i;
    long n = 0;
    while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
      i--;
    }
    if (i < 0 || line[i] != '{' || i == digitsEnd) {
      return -1;
    }
    if (digitsEnd - i > 10) {
      return Long.MAX_VALUE / 2;
    }
    for (int k = i + 1; k <= digitsEnd; k++) {
      n = n * 10 + (line[k] - '0');
    }
    return n;
  }
}
