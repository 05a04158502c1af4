package dev.mailsink.internal.smtp;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Buffers one reply until it is flushed and then writes it in a single write, inserting an enhanced
 * status code (RFC 3463) into every 2yz/4yz/5yz line that lacks one. The greeting (220) and replies
 * to EHLO/HELO (250) are left alone, as RFC 2034 says; intermediate 3yz replies carry none.
 */
final class ReplyNormalizer extends FilterOutputStream {
  private final Pending pending = new Pending();

  /** Normalizes the buffered bytes in place, without a copy per reply. */
  private static final class Pending extends ByteArrayOutputStream {
    Pending() {
      super(256);
    }

    void writeNormalized(OutputStream out) throws IOException {
      byte[] rewritten = normalize(buf, count);
      try {
        if (rewritten == null) {
          out.write(buf, 0, count);
        } else {
          out.write(rewritten);
        }
      } finally {
        reset();
      }
    }
  }

  ReplyNormalizer(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) {
    pending.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    if (pending.size() > 0) {
      pending.writeNormalized(out);
    }
    out.flush();
  }

  /** The reply with the missing codes inserted, or null when it needs none. */
  static byte[] normalize(byte[] reply, int length) {
    int lineStart = 0;
    StringBuilder rewritten = null;
    while (lineStart < length) {
      int lineEnd = lineStart;
      while (lineEnd < length && reply[lineEnd] != '\n') {
        lineEnd++;
      }
      int next = Math.min(lineEnd + 1, length);
      String code = enhancedCodeToInsert(reply, lineStart, lineEnd);
      if (code != null && rewritten == null) {
        rewritten = new StringBuilder(new String(reply, 0, lineStart, StandardCharsets.UTF_8));
      }
      if (rewritten != null) {
        if (code != null) {
          rewritten
              .append(new String(reply, lineStart, 4, StandardCharsets.UTF_8))
              .append(code)
              .append(' ');
          rewritten.append(
              new String(reply, lineStart + 4, next - lineStart - 4, StandardCharsets.UTF_8));
        } else {
          rewritten.append(new String(reply, lineStart, next - lineStart, StandardCharsets.UTF_8));
        }
      }
      lineStart = next;
    }
    return rewritten == null ? null : rewritten.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the code to insert after "ddd " or "ddd-", or null when the line needs none. */
  private static String enhancedCodeToInsert(byte[] b, int start, int end) {
    if (end - start < 4 || !isDigit(b[start]) || !isDigit(b[start + 1]) || !isDigit(b[start + 2])) {
      return null;
    }
    if (b[start + 3] != ' ' && b[start + 3] != '-') {
      return null;
    }
    int code = (b[start] - '0') * 100 + (b[start + 1] - '0') * 10 + (b[start + 2] - '0');
    int klass = code / 100;
    if (klass != 2 && klass != 4 && klass != 5) {
      return null;
    }
    if (code == 220 || code == 250 && !hasEnhancedCode(b, start + 4, end)) {
      // greeting and HELO/EHLO replies carry none (RFC 2034); our other 250s already have one
      return null;
    }
    if (hasEnhancedCode(b, start + 4, end)) {
      return null;
    }
    String text = new String(b, start + 4, end - start - 4, StandardCharsets.US_ASCII);
    return switch (code) {
      case 235 -> "2.7.0";
      case 421 -> text.toLowerCase(java.util.Locale.ROOT).contains("timeout") ? "4.4.2" : "4.3.0";
      case 451 -> "4.3.0";
      case 452 -> "4.3.1";
      case 454 -> "4.7.0";
      case 500 -> "5.5.2";
      case 501, 504 -> "5.5.4";
      case 502, 503 -> "5.5.1";
      case 530 -> "5.7.0";
      case 535 -> "5.7.8";
      case 538 -> "5.7.11";
      case 552 -> "5.3.4";
      case 553 -> "5.1.7";
      default -> klass + ".0.0";
    };
  }

  private static boolean hasEnhancedCode(byte[] b, int from, int end) {
    int i = from;
    if (i >= end || (b[i] != '2' && b[i] != '4' && b[i] != '5')) {
      return false;
    }
    i++;
    for (int part = 0; part < 2; part++) {
      if (i >= end || b[i] != '.') {
        return false;
      }
      i++;
      int digits = 0;
      while (i < end && isDigit(b[i]) && digits < 3) {
        i++;
        digits++;
      }
      if (digits == 0) {
        return false;
      }
    }
    return i == end || b[i] == ' ' || b[i] == '\r';
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
