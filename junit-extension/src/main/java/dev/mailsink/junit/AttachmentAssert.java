package dev.mailsink.junit;

import dev.mailsink.Attachment;
import dev.mailsink.junit.internal.Received;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one attachment, obtained from {@link MessagesAssert#attachment(String)}.
 *
 * <pre>{@code
 * assertThat(sink).receivedExactly(1)
 *     .attachment("report.csv")
 *     .hasMimeType("text/csv")
 *     .hasContent("id,total\n42,9.90\n");
 * }</pre>
 *
 * <p>Not thread-safe; use one per assertion chain.
 */
public final class AttachmentAssert extends AbstractAssert<AttachmentAssert, Attachment> {
  private static final Pattern CHARSET =
      Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]+)");

  AttachmentAssert(Attachment attachment) {
    super(attachment, AttachmentAssert.class);
  }

  /** Checks the MIME type, without parameters and regardless of case, e.g. {@code image/png}. */
  public AttachmentAssert hasMimeType(String mimeType) {
    Objects.requireNonNull(mimeType, "mimeType");
    isNotNull();
    if (!actual.mimeType().equalsIgnoreCase(mimeType.strip())) {
      failWithMessage(
          "%s",
          "Expected attachment \""
              + actual.filename()
              + "\" to have MIME type "
              + mimeType
              + ", but its Content-Type is "
              + actual.contentType());
    }
    return myself;
  }

  /** Checks the decoded content byte for byte. */
  public AttachmentAssert hasContent(byte[] expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    byte[] content = actual.content();
    if (!Arrays.equals(content, expected)) {
      int at = Arrays.mismatch(content, expected);
      failWithMessage(
          "%s",
          "Expected attachment \""
              + actual.filename()
              + "\" to have the given "
              + expected.length
              + " bytes, but it has "
              + content.length
              + " bytes, differing first at index "
              + at);
    }
    return myself;
  }

  /**
   * Checks the decoded content as text, read in the charset its Content-Type names (UTF-8 when it
   * names none). Line breaks match whether written CRLF or LF, because MIME sends text parts with
   * CRLF whatever the application wrote.
   */
  public AttachmentAssert hasContent(String expected) {
    Objects.requireNonNull(expected, "expected");
    isNotNull();
    String content = actual.contentAsString(charset());
    if (!lf(content).equals(lf(expected))) {
      failWithMessage(
          "%s",
          "Expected attachment \""
              + actual.filename()
              + "\" to have content "
              + Received.excerpt(expected)
              + ", but it has "
              + Received.excerpt(content));
    }
    return myself;
  }

  private static String lf(String s) {
    return s.replace("\r\n", "\n");
  }

  private Charset charset() {
    Matcher m = CHARSET.matcher(actual.contentType());
    if (m.find()) {
      try {
        return Charset.forName(m.group(1));
      } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
        return StandardCharsets.UTF_8;
      }
    }
    return StandardCharsets.UTF_8;
  }
}
