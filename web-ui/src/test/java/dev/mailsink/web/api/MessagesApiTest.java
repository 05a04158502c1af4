package dev.mailsink.web.api;

import static dev.mailsink.web.support.HttpApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.CapturedMessage;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.support.HttpApi.Response;
import dev.mailsink.web.support.WebSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class MessagesApiTest {
  private static final byte[] PDF = "%PDF-1.4 fake".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};

  @RegisterExtension static final WebSink web = new WebSink();

  private static CapturedMessage sendOrder() {
    TestMail.message()
        .from("shop@x.test")
        .to("Alice <alice@example.com>")
        .cc("boss@corp.test")
        .bcc("audit@x.test")
        .header("Reply-To", "help@x.test")
        .subject("Your order 12")
        .text("Thanks for your order")
        .html("<p>Thanks for your <b>order</b> <img src=\"cid:logo@x\"></p>")
        .inlineImage("logo@x", "image/png", PNG)
        .attach("invoice 12.pdf", "application/pdf", PDF)
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());
    return web.sink().mailbox().latest().orElseThrow();
  }

  private static void sendSimple(String to, String subject) {
    TestMail.message()
        .to(to)
        .subject(subject)
        .text("body of " + subject)
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());
  }

  @Test
  void listsSummariesNewestFirstWithTotalAndCount() {
    sendSimple("a@example.com", "first");
    sendSimple("b@example.com", "second");

    JsonNode list = web.api().get("/api/v1/messages").json();

    assertThat(list.get("total").asInt()).isEqualTo(2);
    assertThat(list.get("count").asInt()).isEqualTo(2);
    assertThat(list.get("messages").findValuesAsText("subject")).containsExactly("second", "first");
  }

  @Test
  void summariesCarryEnvelopeAndAddressesButNoBodies() {
    CapturedMessage m = sendOrder();

    JsonNode summary = web.api().get("/api/v1/messages").json().get("messages").get(0);

    assertThat(summary.get("id").asLong()).isEqualTo(m.id());
    assertThat(summary.get("envelope").get("recipients").toString())
        .contains("alice@example.com", "boss@corp.test", "audit@x.test");
    assertThat(summary.get("from").get(0).get("address").asText()).isEqualTo("shop@x.test");
    assertThat(summary.get("to").get(0).get("name").asText()).isEqualTo("Alice");
    // summaries are built from headers alone: listing must not parse every body
    assertThat(summary.has("attachmentCount")).isFalse();
    assertThat(summary.has("text")).isFalse();
    assertThat(summary.has("html")).isFalse();
    assertThat(summary.has("headers")).isFalse();
  }

  @Test
  void listPagesWithLimitAndOffset() {
    List<TestMail> mails = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      mails.add(TestMail.message().to("x@example.com").subject("m" + i).text("x"));
    }
    TestMail.sendAll(web.sink().smtpHost(), web.sink().smtpPort(), mails);

    JsonNode page = web.api().get("/api/v1/messages?limit=2&offset=1").json();

    assertThat(page.get("total").asInt()).isEqualTo(5);
    assertThat(page.get("count").asInt()).isEqualTo(2);
    assertThat(page.get("messages").findValuesAsText("subject")).containsExactly("m4", "m3");
  }

  @Test
  void offsetBeyondTheEndGivesAnEmptyPage() {
    sendSimple("a@example.com", "only");

    JsonNode page = web.api().get("/api/v1/messages?offset=10").json();

    assertThat(page.get("total").asInt()).isEqualTo(1);
    assertThat(page.get("count").asInt()).isZero();
    assertThat(page.get("messages")).isEmpty();
  }

  @Test
  void listFiltersWithTheQueryLanguage() {
    sendSimple("alice@example.com", "Your Order 12");
    sendSimple("bob@example.org", "Your order 13");
    sendOrder();

    JsonNode list =
        web.api().get("/api/v1/messages?q=" + enc("to:*@example.com subject:\"order 1\"")).json();

    assertThat(list.get("messages").findValuesAsText("subject"))
        .containsExactly("Your order 12", "Your Order 12");
    assertThat(web.api().get("/api/v1/messages?q=has:attachment").json().get("total").asInt())
        .isEqualTo(1);
    assertThat(web.api().get("/api/v1/messages?q=to:audit@x.test").json().get("total").asInt())
        .isEqualTo(1);
  }

  @Test
  void badQueryIs400SayingWhatIsWrong() {
    Response r = web.api().get("/api/v1/messages?q=" + enc("subject:\"open"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("bad_request");
    assertThat(r.json().get("message").asText()).contains("unterminated quote starting at 8");
  }

  @Test
  void badPagingParametersAre400() {
    Response negative = web.api().get("/api/v1/messages?limit=-1");
    Response text = web.api().get("/api/v1/messages?offset=ten");

    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.json().get("message").asText()).contains("limit must be between 0 and");
    assertThat(text.status()).isEqualTo(400);
    assertThat(text.json().get("message").asText())
        .isEqualTo("offset must be a whole number, was 'ten'");
  }

  @Test
  void getReturnsTheWholeParsedMessageWithItsEnvelope() {
    CapturedMessage m = sendOrder();

    JsonNode json = web.api().get("/api/v1/messages/" + m.id()).json();

    assertThat(json.get("subject").asText()).isEqualTo("Your order 12");
    assertThat(json.get("text").asText()).isEqualTo("Thanks for your order");
    assertThat(json.get("html").asText()).contains("<b>order</b>");
    assertThat(json.get("replyTo").get(0).get("address").asText()).isEqualTo("help@x.test");
    assertThat(json.get("cc").get(0).get("address").asText()).isEqualTo("boss@corp.test");
    assertThat(json.get("messageId").asText()).startsWith("<").endsWith(">");
    assertThat(json.get("date").asText()).isNotEmpty();
    assertThat(json.get("size").asInt()).isEqualTo(m.size());
    assertThat(json.get("parseProblem").isNull()).isTrue();
    JsonNode envelope = json.get("envelope");
    assertThat(envelope.get("sender").asText()).isEqualTo("shop@x.test");
    assertThat(envelope.get("recipients").toString()).contains("audit@x.test");
    assertThat(envelope.get("heloName").asText()).isEqualTo("client.test");
    assertThat(envelope.get("clientAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(envelope.get("clientPort").asInt()).isPositive();
    assertThat(envelope.get("sessionId").asText()).isNotEmpty();
    assertThat(envelope.get("tlsProtocol").isNull()).isTrue();
    assertThat(envelope.get("authenticatedUser").isNull()).isTrue();
    assertThat(json.get("headers").findValuesAsText("name")).contains("Subject", "From");
  }

  @Test
  void getListsAttachmentsWithIndexTypeAndInlineFlag() {
    CapturedMessage m = sendOrder();

    JsonNode attachments = web.api().get("/api/v1/messages/" + m.id()).json().get("attachments");

    assertThat(attachments).hasSize(2);
    JsonNode logo = attachments.get(0);
    assertThat(logo.get("index").asInt()).isZero();
    assertThat(logo.get("mimeType").asText()).isEqualTo("image/png");
    assertThat(logo.get("contentId").asText()).isEqualTo("logo@x");
    assertThat(logo.get("inline").asBoolean()).isTrue();
    JsonNode pdf = attachments.get(1);
    assertThat(pdf.get("index").asInt()).isEqualTo(1);
    assertThat(pdf.get("filename").asText()).isEqualTo("invoice 12.pdf");
    assertThat(pdf.get("contentType").asText()).startsWith("application/pdf");
    assertThat(pdf.get("inline").asBoolean()).isFalse();
    assertThat(pdf.get("size").asInt()).isEqualTo(PDF.length);
  }

  @Test
  void latestNamesTheMostRecentMessage() {
    sendSimple("a@example.com", "older");
    sendSimple("a@example.com", "newer");

    assertThat(web.api().get("/api/v1/messages/latest").json().get("subject").asText())
        .isEqualTo("newer");
  }

  @Test
  void latestOfAnEmptyMailboxIs404() {
    Response r = web.api().get("/api/v1/messages/latest");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void unknownIdIs404WithAJsonError() {
    Response r = web.api().get("/api/v1/messages/424242");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().get("error").asText()).isEqualTo("not_found");
    assertThat(r.json().get("message").asText()).isEqualTo("No message with id 424242");
  }

  @Test
  void nonNumericIdIs400() {
    Response r = web.api().get("/api/v1/messages/abc");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("message").asText())
        .isEqualTo("A message id is a number or 'latest', was 'abc'");
  }

  @Test
  void rawReturnsTheBytesAsReceived() {
    CapturedMessage m = sendOrder();

    Response r = web.api().get("/api/v1/messages/" + m.id() + "/raw");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("message/rfc822");
    assertThat(r.header("Content-Disposition")).contains("message-" + m.id() + ".eml");
    assertThat(r.bytes()).isEqualTo(m.raw());
  }

  @Test
  void htmlReturnsTheHtmlBody() {
    CapturedMessage m = sendOrder();

    Response r = web.api().get("/api/v1/messages/latest/html");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(r.text()).isEqualTo(m.html().orElseThrow());
  }

  @Test
  void htmlOfATextOnlyMessageIs404() {
    sendSimple("a@example.com", "plain");

    Response r = web.api().get("/api/v1/messages/latest/html");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("message").asText()).endsWith("has no HTML body");
  }

  @Test
  void textReturnsThePlainBody() {
    sendSimple("a@example.com", "plain");

    Response r = web.api().get("/api/v1/messages/latest/text");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.text()).isEqualToIgnoringNewLines("body of plain");
  }

  @Test
  void textOfAnHtmlOnlyMessageIs404() {
    TestMail.message()
        .to("a@example.com")
        .html("<p>only html</p>")
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());

    assertThat(web.api().get("/api/v1/messages/latest/text").status()).isEqualTo(404);
  }

  @Test
  void attachmentDownloadsWithItsContentTypeAndFileName() {
    CapturedMessage m = sendOrder();

    Response r = web.api().get("/api/v1/messages/" + m.id() + "/attachments/1");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/pdf");
    assertThat(r.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"invoice 12.pdf\"; filename*=UTF-8''invoice%2012.pdf");
    assertThat(r.bytes()).isEqualTo(PDF);
  }

  @Test
  void attachmentIndexOutOfRangeIs404AndNonNumericIs400() {
    CapturedMessage m = sendOrder();

    Response missing = web.api().get("/api/v1/messages/" + m.id() + "/attachments/2");
    Response bad = web.api().get("/api/v1/messages/" + m.id() + "/attachments/first");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("message").asText())
        .isEqualTo(
            "Message "
                + m.id()
                + " has no attachment 2 (it has 2 attachments, numbered"
                + " from 0)");
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void deleteRemovesOneMessage() {
    sendSimple("a@example.com", "keep");
    sendSimple("a@example.com", "drop");
    long id = web.sink().mailbox().latest().orElseThrow().id();

    Response r = web.api().delete("/api/v1/messages/" + id);

    assertThat(r.status()).isEqualTo(204);
    assertThat(web.sink().mailbox().findById(id)).isEmpty();
    assertThat(web.sink().mailbox().count()).isEqualTo(1);
    assertThat(web.api().get("/api/v1/messages/" + id).status()).isEqualTo(404);
  }

  @Test
  void deleteOfAnUnknownIdIs404() {
    Response r = web.api().delete("/api/v1/messages/99999");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void deleteWithAQueryRemovesOnlyMatchingMessages() {
    sendSimple("alice@example.com", "a");
    sendSimple("bob@example.com", "b");
    sendSimple("alice@example.com", "c");

    Response r = web.api().delete("/api/v1/messages?q=" + enc("to:alice@example.com"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("deleted").asInt()).isEqualTo(2);
    assertThat(web.sink().mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("b");
  }

  @Test
  void deleteWithoutAQueryClearsTheMailbox() {
    sendSimple("alice@example.com", "a");
    sendSimple("bob@example.com", "b");

    Response r = web.api().delete("/api/v1/messages");

    assertThat(r.json().get("deleted").asInt()).isEqualTo(2);
    assertThat(web.sink().mailbox().count()).isZero();
  }

  @Test
  void deleteWithABadQueryIs400AndDeletesNothing() {
    sendSimple("alice@example.com", "a");

    Response r = web.api().delete("/api/v1/messages?q=" + enc("colour:red"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(web.sink().mailbox().count()).isEqualTo(1);
  }

  @Test
  void aMessageThatCannotBeParsedIsServedWithItsParseProblem() {
    TestMail.sendRaw(
        web.sink().smtpHost(),
        web.sink().smtpPort(),
        "a@x.test",
        "b@x.test",
        "Subject: odd charset\r\nContent-Type: text/plain; charset=x-no-such\r\n\r\nhello\r\n");

    JsonNode json = web.api().get("/api/v1/messages/latest").json();

    assertThat(json.get("parseProblem").asText()).contains("x-no-such");
    assertThat(json.get("text").asText()).isEqualTo("hello\r\n");
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405WithAllow() {
    Response unknown = web.api().get("/api/v1/nothing");
    Response wrongMethod = web.api().send("PUT", "/api/v1/messages");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).isEqualTo("not_found");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET, DELETE");
    assertThat(wrongMethod.json().get("error").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void everyResponseSaysHowLongTheServerTook() {
    assertThat(web.api().get("/api/v1/messages").header("Server-Timing"))
        .matches("app;dur=\\d+\\.\\d+");
  }
}
