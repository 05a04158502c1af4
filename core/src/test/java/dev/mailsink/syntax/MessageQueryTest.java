package dev.mailsink.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageQueryTest {

  private static CapturedMessage message(String sender, List<String> rcpts, String raw) {
    Envelope envelope =
        new Envelope(sender, rcpts, "client.test", "127.0.0.1", 40000, "s1", null, null, null);
    return CapturedMessage.of(
        1, Instant.parse("2026-01-01T00:00:00Z"), envelope, raw.getBytes(StandardCharsets.UTF_8));
  }

  private static final CapturedMessage ORDER =
      message(
          "shop@x.test",
          List.of("alice@example.com", "hidden@bcc.test"),
          "From: Shop <orders@x.test>\r\n"
              + "To: Alice <alice@example.com>\r\n"
              + "Cc: boss@corp.test\r\n"
              + "Subject: Your Order 12\r\n"
              + "Content-Type: text/plain; charset=utf-8\r\n"
              + "\r\n"
              + "Thanks for shopping. Tracking: ABC-123\r\n");

  private static final CapturedMessage WITH_ATTACHMENT =
      message(
          "billing@x.test",
          List.of("bob@example.org"),
          "From: billing@x.test\r\n"
              + "To: bob@example.org\r\n"
              + "Subject: Invoice\r\n"
              + "MIME-Version: 1.0\r\n"
              + "Content-Type: multipart/mixed; boundary=b1\r\n"
              + "\r\n"
              + "--b1\r\n"
              + "Content-Type: text/html; charset=utf-8\r\n"
              + "\r\n"
              + "<p>Your <b>invoice</b> is attached</p>\r\n"
              + "--b1\r\n"
              + "Content-Type: application/pdf\r\n"
              + "Content-Disposition: attachment; filename=invoice.pdf\r\n"
              + "\r\n"
              + "%PDF-1.4\r\n"
              + "--b1--\r\n");

  private static boolean matches(String q, CapturedMessage m) {
    return MessageQuery.parse(q).test(m);
  }

  @Test
  void emptyOrBlankQueryMatchesEveryMessage() {
    assertThat(MessageQuery.parse(null).isEmpty()).isTrue();
    assertThat(MessageQuery.parse("   ").isEmpty()).isTrue();
    assertThat(matches("", ORDER)).isTrue();
  }

  @Test
  void subjectMatchesCaseInsensitiveSubstring() {
    assertThat(matches("subject:order", ORDER)).isTrue();
    assertThat(matches("subject:\"your order\"", ORDER)).isTrue();
    assertThat(matches("subject:invoice", ORDER)).isFalse();
  }

  @Test
  void toMatchesWholeAddressOfEnvelopeRecipientIncludingBcc() {
    assertThat(matches("to:alice@example.com", ORDER)).isTrue();
    assertThat(matches("to:ALICE@Example.COM", ORDER)).isTrue();
    assertThat(matches("to:hidden@bcc.test", ORDER)).isTrue();
    assertThat(matches("to:alice", ORDER)).isFalse();
  }

  @Test
  void toAlsoMatchesToAndCcHeaders() {
    assertThat(matches("to:boss@corp.test", ORDER)).isTrue();
  }

  @Test
  void addressesMatchGlobs() {
    assertThat(matches("to:*@example.com", ORDER)).isTrue();
    assertThat(matches("to:*@example.org", ORDER)).isFalse();
    assertThat(matches("to:al?ce@*", ORDER)).isTrue();
    assertThat(matches("from:*@X.TEST", ORDER)).isTrue();
  }

  @Test
  void globMetacharactersOtherThanStarAndQuestionMarkAreLiteral() {
    assertThat(matches("to:alice@example.c.m", ORDER)).isFalse();
    assertThat(matches("to:*example.c*", ORDER)).isTrue();
  }

  @Test
  void fromMatchesEnvelopeSenderOrFromHeader() {
    assertThat(matches("from:shop@x.test", ORDER)).isTrue();
    assertThat(matches("from:orders@x.test", ORDER)).isTrue();
    assertThat(matches("from:alice@example.com", ORDER)).isFalse();
  }

  @Test
  void ccMatchesOnlyTheCcHeader() {
    assertThat(matches("cc:boss@corp.test", ORDER)).isTrue();
    assertThat(matches("cc:alice@example.com", ORDER)).isFalse();
  }

  @Test
  void bareWordsMatchSubjectOrBody() {
    assertThat(matches("order", ORDER)).isTrue();
    assertThat(matches("abc-123", ORDER)).isTrue();
    assertThat(matches("\"for shopping\"", ORDER)).isTrue();
    assertThat(matches("refund", ORDER)).isFalse();
  }

  @Test
  void bodyMatchesTextAndHtmlButNotSubject() {
    assertThat(matches("body:tracking", ORDER)).isTrue();
    assertThat(matches("body:invoice", WITH_ATTACHMENT)).isTrue();
    assertThat(matches("body:\"order 12\"", ORDER)).isFalse();
  }

  @Test
  void hasTermsLookAtTheParts() {
    assertThat(matches("has:attachment", WITH_ATTACHMENT)).isTrue();
    assertThat(matches("has:attachment", ORDER)).isFalse();
    assertThat(matches("has:html", WITH_ATTACHMENT)).isTrue();
    assertThat(matches("has:text", ORDER)).isTrue();
    assertThat(matches("has:HTML", ORDER)).isFalse();
  }

  @Test
  void everyTermMustMatch() {
    assertThat(matches("to:alice@example.com subject:order has:text", ORDER)).isTrue();
    assertThat(matches("to:alice@example.com subject:invoice", ORDER)).isFalse();
  }

  @Test
  void fieldNamesAreCaseInsensitive() {
    assertThat(matches("SUBJECT:order To:alice@example.com", ORDER)).isTrue();
  }

  @Test
  void quotedValuesUnderstandEscapedQuotesAndBackslashes() {
    CapturedMessage quoted =
        message("a@x.test", List.of("b@x.test"), "Subject: say \"hi\" \\o/\r\n\r\nbody\r\n");
    assertThat(matches("subject:\"say \\\"hi\\\" \\\\o/\"", quoted)).isTrue();
  }

  @Test
  void wordsWithColonsThatAreNotFieldsCanBeSearchedQuoted() {
    CapturedMessage reply =
        message("a@x.test", List.of("b@x.test"), "Subject: Re: lunch\r\n\r\n12:30 ok\r\n");
    assertThat(matches("\"re:\"", reply)).isTrue();
    assertThat(matches("12:30", reply)).isTrue();
  }

  @Test
  void unknownFieldIsAnErrorThatNamesTheKnownFieldsAndTheQuotingFix() {
    assertThatThrownBy(() -> MessageQuery.parse("subject:x re:lunch"))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessageContaining("unknown field 're' at 10")
        .hasMessageContaining("from:, to:, cc:, subject:, body:, has:")
        .hasMessageContaining("\"re:lunch\"");
  }

  @Test
  void unterminatedQuoteIsAnError() {
    assertThatThrownBy(() -> MessageQuery.parse("subject:\"your order"))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessageContaining("unterminated quote starting at 8")
        .extracting(e -> ((QuerySyntaxException) e).position())
        .isEqualTo(8);
  }

  @Test
  void fieldWithoutValueIsAnError() {
    assertThatThrownBy(() -> MessageQuery.parse("to:"))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessageContaining("to: at 0 needs a value, e.g. to:*@example.com");
    assertThatThrownBy(() -> MessageQuery.parse("subject:\"\""))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessageContaining("needs a value");
  }

  @Test
  void unknownHasValueIsAnError() {
    assertThatThrownBy(() -> MessageQuery.parse("has:pictures"))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessageContaining(
            "has:pictures at 0 is not known; use has:attachment, has:html," + " has:text");
  }

  @Test
  void textAfterClosingQuoteIsAnError() {
    assertThatThrownBy(() -> MessageQuery.parse("\"a\"b"))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessageContaining("expected a space after the closing quote at 2");
  }

  @Test
  void emptyQuotedPhraseIsAnError() {
    assertThatThrownBy(() -> MessageQuery.parse("\"\""))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessageContaining("empty quoted phrase");
  }

  @Test
  void headerTermsAreEvaluatedBeforeBodyTerms() {
    assertThat(MessageQuery.parse("refund has:html subject:x to:a@b.c").toString())
        .isEqualTo("to:a@b.c subject:x has:html refund");
  }

  @Test
  void normalFormQuotesValuesThatNeedIt() {
    assertThat(MessageQuery.parse("subject:\"a b\" \"x:y\"").toString())
        .isEqualTo("subject:\"a b\" \"x:y\"");
  }

  @Test
  void nonAsciiTextMatchesWithoutRegardToCase() {
    CapturedMessage umlaut =
        message(
            "a@x.test",
            List.of("b@x.test"),
            "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_=C3=96sterreich?=\r\n\r\nx\r\n");
    assertThat(matches("subject:österreich", umlaut)).isTrue();
    assertThat(matches("GRÜ", umlaut)).isTrue();
  }
}
