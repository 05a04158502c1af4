package dev.mailsink;

import java.nio.charset.Charset;
import java.util.Objects;
import java.util.Optional;

/**
 * A part of a message that is not its main text or HTML body: a file attachment, an inline image
 * referenced by {@code cid:}, or an attached message.
 */
public final class Attachment {
  private final String filename;
  private final String contentType;
  private final String contentId;
  private final boolean inline;
  private final byte[] content;

  Attachment(
      String filename, String contentType, String contentId, boolean inline, byte[] content) {
    this.filename = filename;
    this.contentType = Objects.requireNonNull(contentType);
    this.contentId = contentId;
    this.inline = inline;
    this.content = content;
  }

  /** The file name, RFC 2231 and RFC 2047 decoded, or the empty string when the part has none. */
  public String filename() {
    return filename;
  }

  /** The MIME type in lower case without parameters, e.g. {@code image/png}. */
  public String mimeType() {
    int semicolon = contentType.indexOf(';');
    String base = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return base.trim().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The whole Content-Type value as sent, with parameters, e.g. {@code text/csv; charset=utf-8}.
   */
  public String contentType() {
    return contentType;
  }

  /** The Content-ID without angle brackets, for parts referenced as {@code cid:...} in HTML. */
  public Optional<String> contentId() {
    return Optional.ofNullable(contentId);
  }

  /**
   * Whether the part is meant to be shown inline (disposition inline, or referenced by Content-ID).
   */
  public boolean isInline() {
    return inline;
  }

  /** The decoded size in bytes (after base64 or quoted-printable decoding). */
  public int size() {
    return content.length;
  }

  /** Returns a copy of the decoded content. */
  public byte[] content() {
    return content.clone();
  }

  /** Returns the decoded content as text in the given charset. */
  public String contentAsString(Charset charset) {
    return new String(content, charset);
  }

  @Override
  public String toString() {
    return "Attachment{"
        + (filename.isEmpty() ? "(no name)" : filename)
        + ", "
        + mimeType()
        + ", "
        + content.length
        + " bytes}";
  }
}
