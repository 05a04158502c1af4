package dev.mailsink.junit;

import dev.mailsink.Attachment;
import dev.mailsink.CapturedMessage;
import dev.mailsink.MailAddress;
import dev.mailsink.junit.internal.Received;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on received messages, usually obtained from {@link MailboxAssert#receivedExactly}.
 * Each condition must hold for <em>every</em> message (with {@code receivedExactly(1)}: for the
 * message); the messages have already arrived, so nothing here waits.
 *
 * <pre>{@code
 * assertThat(sink).receivedExactly(1)
 *     .from("shop@example.com")
 *     .to("alice@example.com")
 *     .withSubjectContaining("order 42")
 *     .withHtmlContaining("<b>Total</b>")
 *     .withAttachment("invoice.pdf");
 * }</pre>
 *
 * <p>Addresses are compared without regard to case and are written without a display name, e.g.
 * {@code alice@example.com}. The methods that return something else than {@code MessagesAssert}
 * ({@link #message()}, {@link #firstLinkMatching}, {@link #extractFromBody}, {@link #attachment})
 * need exactly one message. Not thread-safe; use one per assertion chain.
 */
public final class MessagesAssert extends AbstractAssert<MessagesAssert, List<CapturedMessage>> {

  MessagesAssert(List<CapturedMessage> messages) {
    super(List.copyOf(messages), MessagesAssert.class);
  }

  /** Checks that the From header names {@code address}. */
  public MessagesAssert from(String address) {
    requireAddress(address);
    return every(
        "be from <" + address + ">", m -> names(m.from(), address), m -> "From: " + m.from());
  }

  /** Checks that the To header names {@code address}. */
  public MessagesAssert to(String address) {
    requireAddress(address);
    return every("be to <" + address + ">", m -> names(m.to(), address), m -> "To: " + m.to());
  }

  /** Checks that the Cc header names {@code address}. */
  public MessagesAssert cc(String address) {
    requireAddress(address);
    return every("have <" + address + "> in Cc", m -> names(m.cc(), address), m -> "Cc: " + m.cc());
  }

  /**
   * Checks that {@code address} received a blind copy: it is an envelope recipient that neither the
   * To nor the Cc header names (or the Bcc header names it, for clients that keep it).
   */
  public MessagesAssert bcc(String address) {
    requireAddress(address);
    return every(
        "be blind-copied to <" + address + ">",
        m ->
            names(m.bcc(), address)
                || (m.envelope().hasRecipient(address)
                    && !names(m.to(), address)
                    && !names(m.cc(), address)),
        m ->
            "envelope recipients: "
                + m.envelope().recipients()
                + ", To: "
                + m.to()
                + ", Cc: "
                + m.cc());
  }

  /** Checks that {@code address} was given in RCPT TO, whatever the headers say. */
  public MessagesAssert withEnvelopeRecipient(String address) {
    requireAddress(address);
    return every(
        "have envelope recipient <" + address + ">",
        m -> m.envelope().hasRecipient(address),
        m -> "envelope recipients: " + m.envelope().recipients());
  }

  /** Checks the envelope sender (MAIL FROM); {@code ""} stands for the null sender {@code <>}. */
  public MessagesAssert withEnvelopeSender(String address) {
    Objects.requireNonNull(address, "address");
    return every(
        "have envelope sender <" + address + ">",
        m -> m.envelope().sender().equalsIgnoreCase(address.strip()),
        m -> "envelope sender: <" + m.envelope().sender() + ">");
  }

  /** Checks that the subject equals {@code subject}. */
  public MessagesAssert withSubject(String subject) {
    Objects.requireNonNull(subject, "subject");
    return every(
        "have subject \"" + subject + "\"",
        m -> m.subject().equals(subject),
        m -> "subject: " + Received.excerpt(m.subject()));
  }

  /** Checks that the subject contains {@code text}. */
  public MessagesAssert withSubjectContaining(String text) {
    Objects.requireNonNull(text, "text");
    return every(
        "have a subject containing \"" + text + "\"",
        m -> m.subject().contains(text),
        m -> "subject: " + Received.excerpt(m.subject()));
  }

  /**
   * Checks that {@code regex} is found in the subject ({@link Matcher#find()}; anchor it with
   * {@code ^...$} to match the whole subject).
   *
   * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a valid pattern
   */
  public MessagesAssert withSubjectMatching(String regex) {
    Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
    return every(
        "have a subject matching /" + regex + "/",
        m -> pattern.matcher(m.subject()).find(),
        m -> "subject: " + Received.excerpt(m.subject()));
  }

  /** Checks that the plain-text body contains {@code text}. */
  public MessagesAssert withTextContaining(String text) {
    Objects.requireNonNull(text, "text");
    return every(
        "have a text body containing \"" + text + "\"",
        m -> m.text().map(t -> t.contains(text)).orElse(false),
        m -> describeBody("text", m.text(), m.html().isPresent() ? " (it has an HTML body)" : ""));
  }

  /** Checks that the HTML body contains {@code html}. */
  public MessagesAssert withHtmlContaining(String html) {
    Objects.requireNonNull(html, "html");
    return every(
        "have an HTML body containing \"" + html + "\"",
        m -> m.html().map(h -> h.contains(html)).orElse(false),
        m -> describeBody("HTML", m.html(), m.text().isPresent() ? " (it has a text body)" : ""));
  }

  /**
   * Checks that the header {@code name} (any case) has {@code value} among its values, compared
   * after decoding and without surrounding white space.
   */
  public MessagesAssert withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    return every(
        "have header " + name + ": " + value,
        m -> m.headerValues(name).stream().anyMatch(v -> v.strip().equals(value.strip())),
        m -> {
          List<String> values = m.headerValues(name);
          return values.isEmpty() ? "no " + name + " header" : name + ": " + values;
        });
  }

  /** Checks that there is an attachment (or inline part) with this file name. */
  public MessagesAssert withAttachment(String filename) {
    Objects.requireNonNull(filename, "filename");
    return every(
        "have an attachment named \"" + filename + "\"",
        m -> m.attachment(filename).isPresent(),
        m -> "attachments: " + m.attachments());
  }

  /** Checks that the message arrived over TLS (STARTTLS or implicit TLS). */
  public MessagesAssert sentOverTls() {
    return every(
        "have been sent over TLS", m -> m.envelope().isTls(), m -> "it arrived without TLS");
  }

  /** Checks that the client that sent the message authenticated (SMTP AUTH) as {@code user}. */
  public MessagesAssert authenticatedAs(String user) {
    Objects.requireNonNull(user, "user");
    return every(
        "have been sent by a client authenticated as \"" + user + "\"",
        m -> user.equals(m.envelope().authenticatedUser()),
        m ->
            m.envelope()
                .authenticatedUserIfAny()
                .map(u -> "the client authenticated as \"" + u + "\"")
                .orElse("the client did not authenticate"));
  }

  /**
   * Returns the message, to read what the assertions do not cover.
   *
   * @throws AssertionError if there is not exactly one message
   */
  public CapturedMessage message() {
    return single("return");
  }

  /**
   * Returns the first link of the message in which {@code regex} is found, as {@link
   * CapturedMessage#links()} finds links: the most common mail test follows a confirmation or
   * password-reset link.
   *
   * <pre>{@code
   * String link = assertThat(sink).receivedExactly(1).firstLinkMatching("/confirm\\?token=");
   * }</pre>
   *
   * @throws AssertionError listing the message's links if none matches, or if there is not exactly
   *     one message
   */
  public String firstLinkMatching(String regex) {
    Objects.requireNonNull(regex, "regex");
    CapturedMessage m = single("take a link from");
    Optional<String> link = m.firstLink(regex);
    if (link.isEmpty()) {
      List<String> links = m.links();
      failWithMessage(
          "%s",
          "Expected a link matching /"
              + regex
              + "/ in the message, but "
              + (links.isEmpty()
                  ? "it has no links"
                  : "its links are:\n    " + String.join("\n    ", links))
              + "\n"
              + Received.list(actual));
    }
    return link.orElseThrow();
  }

  /**
   * Finds {@code regex} in the text body (or the HTML body when there is no text body) and returns
   * its first group, or the whole match when the pattern has no group: for one-time codes and the
   * like.
   *
   * <pre>{@code
   * String code = assertThat(sink).receivedExactly(1).extractFromBody("code: (\\d{6})");
   * }</pre>
   *
   * @throws AssertionError if the pattern is not found, or if there is not exactly one message
   */
  public String extractFromBody(String regex) {
    Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
    CapturedMessage m = single("extract text from");
    Optional<String> body = m.text().or(m::html);
    Matcher matcher = pattern.matcher(body.orElse(""));
    if (!matcher.find()) {
      failWithMessage(
          "%s",
          "Expected to find /"
              + regex
              + "/ in the message's body, but it is not there: "
              + describeBody(m.text().isPresent() ? "text" : "HTML", body, "")
              + "\n"
              + Received.list(actual));
    }
    return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
  }

  /**
   * Returns assertions on the attachment with this file name.
   *
   * @throws AssertionError listing the attachments if there is none with this name, or if there is
   *     not exactly one message
   */
  public AttachmentAssert attachment(String filename) {
    Objects.requireNonNull(filename, "filename");
    CapturedMessage m = single("take an attachment from");
    Optional<Attachment> attachment = m.attachment(filename);
    if (attachment.isEmpty()) {
      failWithMessage(
          "%s",
          "Expected an attachment named \""
              + filename
              + "\", but the message has "
              + (m.attachments().isEmpty() ? "none" : m.attachments().toString())
              + "\n"
              + Received.list(actual));
    }
    AttachmentAssert next = new AttachmentAssert(attachment.orElseThrow());
    if (info.hasDescription()) {
      next.describedAs(info.description());
    }
    return next;
  }

  private MessagesAssert every(
      String expectation,
      Predicate<CapturedMessage> condition,
      Function<CapturedMessage, String> actualOf) {
    isNotNull();
    List<CapturedMessage> failing = actual.stream().filter(condition.negate()).toList();
    if (!failing.isEmpty()) {
      StringBuilder sb = new StringBuilder("Expected ");
      if (actual.size() == 1) {
        sb.append("the message to ").append(expectation).append(", but it did not:");
      } else {
        sb.append("every message to ")
            .append(expectation)
            .append(", but ")
            .append(failing.size())
            .append(" of ")
            .append(actual.size())
            .append(" did not:");
      }
      for (CapturedMessage m : failing) {
        sb.append("\n  ").append(m.summary()).append("\n    ").append(actualOf.apply(m));
      }
      sb.append('\n').append(Received.list(actual));
      failWithMessage("%s", sb);
    }
    return myself;
  }

  private CapturedMessage single(String purpose) {
    isNotNull();
    if (actual.size() != 1) {
      failWithMessage(
          "%s",
          "Expected one message to "
              + purpose
              + ", but there are "
              + actual.size()
              + "; select one with receivedExactly(1) or narrow the mailbox with"
              + " mailbox.forRecipient(address).\n"
              + Received.list(actual));
    }
    return actual.get(0);
  }

  private static boolean names(List<MailAddress> addresses, String address) {
    String wanted = address.strip();
    for (MailAddress a : addresses) {
      if (a.address().equalsIgnoreCase(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static void requireAddress(String address) {
    Objects.requireNonNull(address, "address");
    if (address.isBlank() || address.contains("<")) {
      throw new IllegalArgumentException(
          "address must be a bare address such as alice@example.com, was '" + address + "'");
    }
  }

  private static String describeBody(String kind, Optional<String> body, String otherwise) {
    return body.map(b -> kind + " body: " + Received.excerpt(b))
        .orElse(
            "no " + kind.toLowerCase(Locale.ROOT).replace("html", "HTML") + " body" + otherwise);
  }
}
