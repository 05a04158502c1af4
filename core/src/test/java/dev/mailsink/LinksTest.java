package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinksTest {

  private static CapturedMessage captured(String raw) {
    byte[] bytes = raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    Envelope envelope =
        new Envelope("a@x.test", List.of("b@y.test"), "c", "127.0.0.1", 1, "s", null, null, null);
    return CapturedMessage.of(1, Instant.EPOCH, envelope, bytes);
  }

  private static CapturedMessage html(String html) {
    return captured("Subject: x\nContent-Type: text/html; charset=UTF-8\n\n" + html + "\n");
  }

  private static CapturedMessage text(String text) {
    return captured("Subject: x\nContent-Type: text/plain; charset=UTF-8\n\n" + text + "\n");
  }

  @Test
  void htmlLinksAreTheHrefsOfAnchorsWithCharacterReferencesDecoded() {
    CapturedMessage m =
        html(
            "<a class=\"btn\" href=\"https://x.test/a?b=1&amp;c=2\">A</a>"
                + "<A HREF='https://x.test/&#x41;'>B</A> <a href=https://x.test/c>C</a>"
                + "<a href=\"#top\">top</a><a name=\"n\">no link</a>");

    assertThat(m.links())
        .containsExactly("https://x.test/a?b=1&c=2", "https://x.test/A", "https://x.test/c");
  }

  @Test
  void textLinksLeaveSentencePunctuationAndBracketsOut() {
    CapturedMessage m =
        text(
            "Confirm at https://x.test/confirm?token=abc. Or see (https://x.test/help),"
                + " <https://x.test/angle> and https://x.test/wiki/Foo_(bar)!");

    assertThat(m.links())
        .containsExactly(
            "https://x.test/confirm?token=abc",
            "https://x.test/help",
            "https://x.test/angle",
            "https://x.test/wiki/Foo_(bar)");
  }

  @Test
  void linksInBothBodiesAreListedOnceHtmlFirst() {
    CapturedMessage m =
        captured(
            "Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
                + "--b\nContent-Type: text/plain\n\nGo to https://x.test/two or https://x.test/one\n"
                + "--b\nContent-Type: text/html\n\n<a href=\"https://x.test/one\">one</a>\n--b--\n");

    assertThat(m.links()).containsExactly("https://x.test/one", "https://x.test/two");
  }

  @Test
  void quotedPrintableBodiesAreDecodedBeforeLinksAreFound() {
    CapturedMessage m =
        captured(
            "Subject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "https://x.test/confirm?token=3Dabc=\ndef\n");

    assertThat(m.links()).containsExactly("https://x.test/confirm?token=abcdef");
  }

  @Test
  void firstMatchingFindsThePatternAnywhereInTheLink() {
    CapturedMessage m = text("https://x.test/unsubscribe https://x.test/reset?token=1");

    assertThat(m.firstLink("/reset\\?token=")).contains("https://x.test/reset?token=1");
    assertThat(m.firstLink("^/reset")).isEmpty();
  }

  @Test
  void aMessageWithoutBodiesHasNoLinks() {
    assertThat(captured("Subject: x\n\n").links()).isEmpty();
  }
}
