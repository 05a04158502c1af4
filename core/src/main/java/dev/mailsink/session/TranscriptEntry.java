package dev.mailsink.session;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a session transcript.
 *
 * @param at when it happened (when the bytes were read or written), with sub-millisecond precision
 * @param kind what it is
 * @param text the command or reply as on the wire without the final CRLF (a multi-line reply keeps
 *     its inner CRLFs), or a description for the other kinds; credentials never appear
 */
public record TranscriptEntry(Instant at, Kind kind, String text) {

  /** What a transcript entry records. */
  public enum Kind {
    /** A line from the client; a SASL response or AUTH initial response is redacted. */
    COMMAND,
    /** A reply from the server, as sent (enhanced status codes included). */
    REPLY,
    /** Message content (DATA or a BDAT chunk), as its size in bytes; never the content itself. */
    DATA,
    /** TLS was negotiated (protocol and cipher suite) or failed. */
    TLS,
    /** The outcome of an AUTH exchange: mechanism, user, accepted or refused. */
    AUTH,
    /** A fault rule fired, with what it did. */
    FAULT,
    /** How the session ended. */
    END
  }

  /** Validates the components. */
  public TranscriptEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
  }

  /**
   * The entry as one line of {@link Transcript#toText()}: {@code C:} for commands, {@code S:} for
   * replies, {@code *} for the rest, e.g. {@code C: MAIL FROM:<a@x.test>}; the lines of a
   * multi-line reply follow on indented lines.
   */
  public String toLine() {
    String prefix =
        switch (kind) {
          case COMMAND -> "C: ";
          case REPLY -> "S: ";
          default -> "* " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": ";
        };
    return prefix + text.replace("\r\n", "\n   ");
  }

  @Override
  public String toString() {
    return at + " " + toLine();
  }
}
