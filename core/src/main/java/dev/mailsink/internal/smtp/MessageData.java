package dev.mailsink.internal.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads message content off the session's stream in bulk: dot-terminated DATA (unstuffing as it
 * goes) and counted BDAT chunks. Bytes beyond the size limit are read and dropped, so that the rest
 * of the message is never taken for commands.
 *
 * <p>A message that does not fit its first buffer is collected in segments that are never copied
 * while it grows, and joined once at the end: growing one array by doubling copied a 1 MB message
 * about twice more and allocated a 2 MB array (a humongous object for G1) for nothing.
 */
final class MessageData {
  private static final int CHUNK = 16 * 1024;
  private static final int MIN_SEGMENT = 4 * 1024;
  // Below half of G1's smallest region (1 MB), so that no segment is a humongous allocation.
  private static final int MAX_SEGMENT = 256 * 1024;
  private static final byte[] NONE = new byte[0];
  // One read buffer per session thread: small messages otherwise leave more garbage than data.
  private static final ThreadLocal<byte[]> READ_BUFFER =
      ThreadLocal.withInitial(() -> new byte[CHUNK]);

  private final long maxBytes;
  // the segments before the current one, each full
  private final List<byte[]> filled = new ArrayList<>(0);
  private long filledBytes;
  private byte[] buffer;
  private int length;
  private boolean tooLarge;
  private long wireBytes;

  MessageData(long maxBytes, long sizeHint) {
    this.maxBytes = maxBytes;
    // without a declared size the first read sizes the buffer (see readDotTerminated)
    this.buffer = sizeHint > 0 && sizeHint <= maxBytes ? new byte[(int) sizeHint] : NONE;
  }

  boolean isTooLarge() {
    return tooLarge;
  }

  /**
   * The bytes of the stream the last read of DATA consumed, terminator and dot-stuffing included.
   */
  long wireBytes() {
    return wireBytes;
  }

  /** The bytes collected, in an array of exactly their length (the buffer itself when it fits). */
  byte[] toByteArray() {
    if (filled.isEmpty()) {
      return buffer.length == length ? buffer : Arrays.copyOf(buffer, length);
    }
    byte[] all = new byte[Math.toIntExact(filledBytes + length)];
    int at = 0;
    for (byte[] segment : filled) {
      System.arraycopy(segment, 0, all, at, segment.length);
      at += segment.length;
    }
    System.arraycopy(buffer, 0, all, at, length);
    return all;
  }

  // DATA states: where the scan stands relative to line starts and the terminating "CRLF.CRLF".
  private static final int LINE_START = 0;
  private static final int MIDDLE = 1;
  private static final int AFTER_CR = 2;
  private static final int AFTER_DOT = 3;
  private static final int AFTER_DOT_CR = 4;

  /**
   * Reads up to and including the line holding a single dot, removing the dot-stuffing. Leaves the
   * stream positioned right after the terminator, so pipelined commands that follow are intact.
   *
   * @param in the session's buffered stream; must support mark/reset
   * @throws EOFException if the connection ends before the terminator
   */
  void readDotTerminated(InputStream in) throws IOException {
    byte[] chunk = READ_BUFFER.get();
    int state = LINE_START;
    while (true) {
      in.mark(CHUNK);
      int n = in.read(chunk, 0, CHUNK);
      if (n < 0) {
        throw new EOFException("connection closed before the end of DATA");
      }
      wireBytes += n;
      if (buffer.length == 0 && filled.isEmpty() && !tooLarge) {
        // A message that fits one read fills this exactly when it has no dot-stuffing and
        // nothing follows the terminator: then toByteArray() returns it without a copy.
        buffer = new byte[(int) Math.min(Math.max(n - 3, 1), maxBytes)];
      }
      int i = 0;
      while (i < n) {
        if (state == MIDDLE) {
          // the common case: copy a run of ordinary bytes up to the next CR in one go
          int run = i;
          while (run < n && chunk[run] != '\r') {
            run++;
          }
          append(chunk, i, run - i);
          i = run;
          if (i < n) {
            append((byte) '\r');
            state = AFTER_CR;
            i++;
          }
          continue;
        }
        byte b = chunk[i++];
        switch (state) {
          case LINE_START -> {
            if (b == '.') {
              state = AFTER_DOT;
            } else {
              append(b);
              state = b == '\r' ? AFTER_CR : MIDDLE;
            }
          }
          case AFTER_CR -> {
            append(b);
            state = b == '\n' ? LINE_START : b == '\r' ? AFTER_CR : MIDDLE;
          }
          case AFTER_DOT -> {
            // a leading dot is removed whatever follows it (RFC 5321 4.5.2)
            if (b == '\r') {
              state = AFTER_DOT_CR;
            } else {
              append(b);
              state = MIDDLE;
            }
          }
          case AFTER_DOT_CR -> {
            if (b == '\n') {
              in.reset();
              skipFully(in, i);
              wireBytes -= n - i;
              return;
            }
            append((byte) '\r');
            append(b);
            state = b == '\r' ? AFTER_CR : MIDDLE;
          }
          default -> throw new IllegalStateException("state " + state);
        }
      }
    }
  }

  /**
   * Reads exactly {@code size} bytes of a BDAT chunk, keeping them unless the limit is passed.
   *
   * @throws EOFException if the connection ends before the chunk does
   */
  void readChunk(InputStream in, long size) throws IOException {
    byte[] chunk = READ_BUFFER.get();
    long remaining = size;
    if (length == 0 && filled.isEmpty() && !tooLarge && buffer.length < size && size <= maxBytes) {
      buffer = new byte[(int) size];
    }
    while (remaining > 0) {
      int n = in.read(chunk, 0, (int) Math.min(chunk.length, remaining));
      if (n < 0) {
        throw new EOFException("connection closed inside a BDAT chunk");
      }
      append(chunk, 0, n);
      remaining -= n;
    }
  }

  /** Reads and drops {@code size} bytes, e.g. a BDAT chunk that is refused. */
  static void discard(InputStream in, long size) throws IOException {
    long remaining = size;
    byte[] sink = READ_BUFFER.get();
    while (remaining > 0) {
      int n = in.read(sink, 0, (int) Math.min(sink.length, remaining));
      if (n < 0) {
        throw new EOFException("connection closed inside a BDAT chunk");
      }
      remaining -= n;
    }
  }

  private static void skipFully(InputStream in, long count) throws IOException {
    long remaining = count;
    while (remaining > 0) {
      long skipped = in.skip(remaining);
      if (skipped <= 0) {
        throw new EOFException("stream ended while skipping");
      }
      remaining -= skipped;
    }
  }

  private void append(byte b) {
    if (tooLarge) {
      return;
    }
    if (filledBytes + length == maxBytes) {
      overflow();
      return;
    }
    if (length == buffer.length) {
      nextSegment();
    }
    buffer[length++] = b;
  }

  private void append(byte[] src, int off, int len) {
    if (tooLarge || len == 0) {
      return;
    }
    if (filledBytes + length + len > maxBytes) {
      overflow();
      return;
    }
    int from = off;
    int left = len;
    while (left > 0) {
      if (length == buffer.length) {
        nextSegment();
      }
      int n = Math.min(left, buffer.length - length);
      System.arraycopy(src, from, buffer, length, n);
      length += n;
      from += n;
      left -= n;
    }
  }

  private void overflow() {
    tooLarge = true;
    filled.clear();
    filledBytes = 0;
    buffer = NONE;
    length = 0;
  }

  /** Keeps the full current segment and starts one as large as all before it, within bounds. */
  private void nextSegment() {
    if (length > 0) {
      filled.add(buffer);
      filledBytes += length;
    }
    long room = maxBytes - filledBytes;
    long size = Math.min(Math.max(filledBytes, MIN_SEGMENT), MAX_SEGMENT);
    buffer = new byte[(int) Math.max(1, Math.min(size, room))];
    length = 0;
  }
}
