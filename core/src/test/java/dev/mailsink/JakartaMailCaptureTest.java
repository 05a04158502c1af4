package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JakartaMailCaptureTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
  private static Mailsink sink;

  @BeforeAll
  static void start() {
    sink = Mailsink.start();
  }

  @AfterAll
  static void stop() {
    sink.close();
  }

  @BeforeEach
  void emptyMailbox() {
    sink.mailbox().clear();
  }

  private static Session session(boolean utf8) {
    Properties props = new Properties();
    props.put("mail.smtp.host", sink.smtpHost());
    props.put("mail.smtp.port", String.valueOf(sink.smtpPort()));
    if (utf8) {
      props.put("mail.mime.allowutf8", "true");
    }
    return Session.getInstance(props);
  }

  @Test
  void multipartAlternativeWithAttachmentAndInlineImageIsParsed() throws Exception {
    MimeMessage message = new MimeMessage(session(false));
    message.setFrom(new InternetAddress("shop@x.test", "Shöp"));
    message.setRecipients(Message.RecipientType.TO, "alice@example.com");
    message.setRecipients(Message.RecipientType.CC, "carol@example.com");
    message.setReplyTo(InternetAddress.parse("support@x.test"));
    message.setSubject("Your order", "UTF-8");

    MimeBodyPart text = new MimeBodyPart();
    text.setText("Thanks for your order", "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setContent("<p>Thanks <img src=\"cid:logo@x.test\"></p>", "text/html; charset=UTF-8");
    MimeMultipart alternative = new MimeMultipart("alternative", text, html);
    MimeBodyPart alternativePart = new MimeBodyPart();
    alternativePart.setContent(alternative);

    MimeBodyPart logo = new MimeBodyPart();
    logo.setDataHandler(new DataHandler(new ByteArrayDataSource(PNG, "image/png")));
    logo.setContentID("<logo@x.test>");
    logo.setDisposition(MimeBodyPart.INLINE);
    MimeMultipart related = new MimeMultipart("related", alternativePart, logo);
    MimeBodyPart relatedPart = new MimeBodyPart();
    relatedPart.setContent(related);

    MimeBodyPart invoice = new MimeBodyPart();
    invoice.setDataHandler(
        new DataHandler(new ByteArrayDataSource("id,total\n1,9.99\n", "text/csv; charset=UTF-8")));
    invoice.setFileName("Rechnung März.csv");
    invoice.setDisposition(MimeBodyPart.ATTACHMENT);

    message.setContent(new MimeMultipart("mixed", relatedPart, invoice));
    Transport.send(message);

    CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
    assertThat(got.subject()).isEqualTo("Your order");
    assertThat(got.from()).containsExactly(new MailAddress("shop@x.test", "Shöp"));
    assertThat(got.to()).containsExactly(new MailAddress("alice@example.com", ""));
    assertThat(got.cc()).extracting(MailAddress::address).containsExactly("carol@example.com");
    assertThat(got.replyTo()).extracting(MailAddress::address).containsExactly("support@x.test");
    assertThat(got.messageId())
        .hasValueSatisfying(id -> assertThat(id).startsWith("<").endsWith(">"));
    assertThat(got.date()).isPresent();
    assertThat(got.text()).hasValue("Thanks for your order");
    assertThat(got.html()).hasValue("<p>Thanks <img src=\"cid:logo@x.test\"></p>");
    assertThat(got.attachments()).hasSize(2);
    Attachment inline = got.attachments().get(0);
    assertThat(inline.isInline()).isTrue();
    assertThat(inline.contentId()).hasValue("logo@x.test");
    assertThat(inline.mimeType()).isEqualTo("image/png");
    assertThat(inline.content()).isEqualTo(PNG);
    Attachment csv = got.attachment("Rechnung März.csv").orElseThrow();
    assertThat(csv.isInline()).isFalse();
    assertThat(csv.mimeType()).isEqualTo("text/csv");
    // text parts travel with CRLF line ends (Jakarta Mail canonicalises them)
    assertThat(csv.contentAsString(StandardCharsets.UTF_8)).isEqualTo("id,total\r\n1,9.99\r\n");
    assertThat(csv.size()).isEqualTo(18);
    assertThat(got.parseProblem()).isEmpty();
  }

  @Test
  void utf8SubjectAndBodyAreDecoded() throws Exception {
    MimeMessage message = new MimeMessage(session(false));
    message.setFrom("a@x.test");
    message.setRecipients(Message.RecipientType.TO, "b@y.test");
    message.setSubject("Grüße aus Köln — 東京 ✓", "UTF-8");
    message.setText("Ünïcödé body: 東京 ✓", "UTF-8");
    Transport.send(message);

    CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
    assertThat(got.subject()).isEqualTo("Grüße aus Köln — 東京 ✓");
    assertThat(got.text()).hasValue("Ünïcödé body: 東京 ✓");
    assertThat(got.header("Subject")).hasValue("Grüße aus Köln — 東京 ✓");
  }

  @Test
  void smtpUtf8AddressesArriveInTheEnvelopeAndHeaders() throws Exception {
    MimeMessage message = new MimeMessage(session(true));
    message.setFrom(new InternetAddress("发件人@例子.测试"));
    message.setRecipients(Message.RecipientType.TO, "用户@例子.测试");
    message.setSubject("你好", "UTF-8");
    message.setText("内容", "UTF-8");
    Transport.send(message);

    CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
    assertThat(got.envelope().sender()).isEqualTo("发件人@例子.测试");
    assertThat(got.envelope().recipients()).containsExactly("用户@例子.测试");
    assertThat(got.to()).extracting(MailAddress::address).containsExactly("用户@例子.测试");
    assertThat(got.subject()).isEqualTo("你好");
    assertThat(sink.mailbox().forRecipient("用户@例子.测试").count()).isEqualTo(1);
  }

  @Test
  void isoLatin1BodyIsDecodedWithItsCharset() throws Exception {
    MimeMessage message = new MimeMessage(session(false));
    message.setFrom("a@x.test");
    message.setRecipients(Message.RecipientType.TO, "b@y.test");
    message.setSubject("latin1");
    message.setText("Café déjà vu, naïve façade", "ISO-8859-1");
    message.setHeader("Content-Transfer-Encoding", "8bit");
    Transport.send(message);

    CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
    assertThat(got.header("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).containsIgnoringCase("iso-8859-1"));
    assertThat(got.text().orElseThrow().strip()).isEqualTo("Café déjà vu, naïve façade");
    assertThat(new String(got.raw(), StandardCharsets.ISO_8859_1)).contains("Café déjà vu");
  }

  @Test
  void bccRecipientsAreInTheEnvelopeButNotTheHeaders() throws Exception {
    MimeMessage message = new MimeMessage(session(false));
    message.setFrom("a@x.test");
    message.setRecipients(Message.RecipientType.TO, "to@y.test");
    message.setRecipients(Message.RecipientType.CC, "cc@y.test");
    message.setRecipients(Message.RecipientType.BCC, "hidden@z.test");
    message.setSubject("bcc");
    message.setText("x");
    Transport.send(message);

    CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
    assertThat(got.envelope().recipients())
        .containsExactlyInAnyOrder("to@y.test", "cc@y.test", "hidden@z.test");
    assertThat(got.header("Bcc")).isEmpty();
    assertThat(got.raw()).asString(StandardCharsets.US_ASCII).doesNotContain("hidden@z.test");
    assertThat(sink.mailbox().forRecipient("hidden@z.test").messages()).containsExactly(got);
    assertThat(sink.mailbox().forRecipient("nobody@z.test").messages()).isEmpty();
  }

  @Test
  void messageThatDoesNotParseIsStoredWithItsProblem() throws Exception {
    String broken =
        "Subject: broken\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
            + "Date: not a date\r\n\r\nbody\r\n";
    try (SmtpScript smtp = SmtpScript.ehlo(sink)) {
      smtp.send("MAIL FROM:<a@x.test>").expectCode(250);
      smtp.send("RCPT TO:<b@y.test>").expectCode(250);
      smtp.send("DATA").expectCode(354);
      smtp.sendRaw(broken + ".\r\n").expectCode(250);
    }
    CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
    assertThat(got.raw()).asString(StandardCharsets.US_ASCII).isEqualTo(broken);
    assertThat(got.subject()).isEqualTo("broken");
    assertThat(got.text()).hasValue("body\r\n");
    assertThat(got.date()).isEmpty();
    assertThat(got.parseProblem())
        .hasValueSatisfying(p -> assertThat(p).contains("x-no-such-charset").contains("Date"));
  }

  @Test
  void multiValuedAndEncodedHeadersAreKeptInOrder() throws Exception {
    MimeMessage message = new MimeMessage(session(false));
    message.setFrom("a@x.test");
    message.setRecipients(Message.RecipientType.TO, "b@y.test");
    message.setSubject("headers");
    message.addHeader("X-Tag", "one");
    message.addHeader("X-Tag", "=?UTF-8?Q?zw=C3=B6lf?=");
    message.setText("x");
    Transport.send(message);

    CapturedMessage got = sink.mailbox().await(1, WAIT).get(0);
    assertThat(got.headerValues("x-tag")).containsExactly("one", "zwölf");
    assertThat(got.headers()).extracting(Header::name).contains("From", "To", "Subject", "X-Tag");
  }
}
