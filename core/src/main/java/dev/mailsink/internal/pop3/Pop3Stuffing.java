package dev.mailsink.internal.pop3;

import dev.mailsink.CapturedMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes a captured message as a POP3 multi-line response: its bytes as captured, a '.' added
 * before every line that starts with '.', a CRLF added if the message does not end with one, and
 * the terminating {@code .CRLF}. Reads the captured bytes in place (no copy).
 */
final class Pop3Stuffing {
  private Pop3Stuffing() {}

  /**
   * @param bodyLines -1 for the whole message (RETR); otherwise the headers, the blank line and at
   *     most this many body lines (TOP)
   */
  static void write(CapturedMessage message, int bodyLines, OutputStream out) throws IOException {
    InputStream in = message.rawStream();
    boolean lineStart = true;
    boolean lineBlank = true;
    boolean inBody = false;
    int bodyLinesLeft = bodyLines;
    boolean lastWasLf = true;
    int b;
    while ((b = in.read()) >= 0) {
      if (lineStart) {
        if (bodyLines >= 0 && inBody && bodyLinesLeft-- <= 0) {
          break;
        }
        if (b == '.') {
          out.write('.');
        }
      }
      out.write(b);
      if (b == '\n') {
        if (!inBody && lineBlank) {
          inBody = true; // the empty line after the headers
        }
        lineStart = true;
        lineBlank = true;
      } else {
        lineStart = false;
        if (b != '\r') {
          lineBlank = false;
        }
      }
      lastWasLf = b == '\n';
    }
    if (!lastWasLf) {
      out.write('\r');
      out.write('\n');
    }
    out.write('.');
    out.write('\r');
    out.write('\n');
  }
}
