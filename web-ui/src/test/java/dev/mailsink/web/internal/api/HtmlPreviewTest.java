package dev.mailsink.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlPreviewTest {

  private static CapturedMessage related() {
    String raw =
        "Subject: x\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/related; boundary=b\r\n"
            + "\r\n"
            + "--b\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n"
            + "\r\n"
            + "<html><head><title>t</title></head><body><img src=\"cid:logo@x\"></body></html>\r\n"
            + "--b\r\n"
            + "Content-Type: image/png\r\n"
            + "Content-ID: <logo@x>\r\n"
            + "\r\n"
            + "png\r\n"
            + "--b--\r\n";
    Envelope e = new Envelope("a@x", List.of("b@x"), "h", "127.0.0.1", 1, "s", null, null, null);
    return CapturedMessage.of(7, Instant.now(), e, raw.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void pointsCidReferencesAtTheAttachmentEndpoint() {
    CapturedMessage m = related();

    String html = HtmlPreview.prepare(m, m.html().orElseThrow());

    assertThat(html).contains("<img src=\"/api/v1/messages/7/attachments/0\">");
  }

  @Test
  void leavesUnknownCidReferencesAlone() {
    assertThat(HtmlPreview.prepare(related(), "<img src=\"cid:other\">")).contains("cid:other");
  }

  @Test
  void opensLinksInANewTab() {
    assertThat(HtmlPreview.prepare(related(), "<html><head><title>t</title></head></html>"))
        .startsWith("<html><head><base target=\"_blank\"><title>t</title>");
    assertThat(HtmlPreview.prepare(related(), "<p>no head</p>"))
        .isEqualTo("<base target=\"_blank\"><p>no head</p>");
  }

  @Test
  void removesMetaRefreshes() {
    String html =
        HtmlPreview.prepare(
            related(), "<meta http-equiv=\"Refresh\" content=\"0; url=https://x.test\"><p>hi</p>");

    assertThat(html).doesNotContainIgnoringCase("refresh").contains("<p>hi</p>");
  }
}
