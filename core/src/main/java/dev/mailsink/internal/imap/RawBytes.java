package dev.mailsink.internal.imap;

import dev.mailsink.CapturedMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The captured bytes of a message for reading in place. {@link CapturedMessage#raw()} copies the
 * array on every call; IMAP serves byte ranges of a message many times, so it takes the array that
 * {@link CapturedMessage#writeRawTo} hands to the stream instead, and copies only if that ever
 * arrives in pieces. The array is never written to.
 */
final class RawBytes {
  private RawBytes() {}

  static byte[] of(CapturedMessage message) {
    Grab grab = new Grab();
    try {
      message.writeRawTo(grab);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return grab.result();
  }

  private static final class Grab extends OutputStream {
    private byte[] whole;
    private ByteArrayOutputStream pieces;

    @Override
    public void write(byte[] b, int off, int len) {
      if (whole == null && pieces == null && off == 0 && len == b.length) {
        whole = b;
        return;
      }
      spill().write(b, off, len);
    }

    @Override
    public void write(int b) {
      spill().write(b);
    }

    private ByteArrayOutputStream spill() {
      if (pieces == null) {
        pieces = new ByteArrayOutputStream();
        if (whole != null) {
          pieces.write(whole, 0, whole.length);
          whole = null;
        }
      }
      return pieces;
    }

    byte[] result() {
      if (pieces != null) {
        return pieces.toByteArray();
      }
      return whole == null ? new byte[0] : whole;
    }
  }
}
