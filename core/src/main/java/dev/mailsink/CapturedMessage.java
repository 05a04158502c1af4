package dev.mailsink;

import dev.mailsink.relay.Release;
import dev.mailsink.session.Transcript;
import dev.mailsink.spi.MessageHistory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.SoftReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One message accepted by the server: the bytes exactly as received (after dot-unstuffing), the
 * envelope, and a parsed view derived from the bytes.
 *
 * <p>Parsing is lazy and done with Jakarta Mail. Header-derived fields (subject, addresses, date)
 * are parsed once and kept; bodies and attachments are parsed on first use and kept only while
 * memory allows, so that a mailbox full of messages stays close to the size of their bytes. A
 * message that cannot be parsed is still stored; {@link #parseProblem()} says why and the parsed
 * views return what could be read.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CapturedMessage {
  private final long id;
  private final Instant receivedAt;
  private final Envelope envelope;
  private final byte[] raw;
  private final MessageHistory history;
  private final String namespace;

  // the summary (subject, addresses, date) is small and kept; the full header list is kept only
  // while memory allows, so that a mailbox that has been listed stays close to its raw size
  private volatile MimeView.Headers summary;
  private volatile SoftReference<List<Header>> allHeaders = new SoftReference<>(null);
  private volatile SoftReference<MimeView.Body> body = new SoftReference<>(null);

  private CapturedMessage(
      long id,
      Instant receivedAt,
      Envelope envelope,
      byte[] raw,
      MessageHistory history,
      String namespace) {
    this.id = id;
    this.namespace = namespace;
    this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
    this.envelope = Objects.requireNonNull(envelope, "envelope");
    this.raw = Objects.requireNonNull(raw, "raw");
    this.history = Objects.requireNonNull(history, "history");
  }

  /**
   * Creates a captured message. The array is taken over, not copied: the caller must not change it
   * afterwards. Servers and remote clients use this; tests normally read messages from a {@link
   * Mailbox}.
   *
   * @param id the message's id, unique and increasing within one server
   * @param receivedAt when the server accepted the message
   * @param envelope the SMTP envelope
   * @param raw the message bytes as received, after dot-unstuffing
   */
  public static CapturedMessage of(long id, Instant receivedAt, Envelope envelope, byte[] raw) {
    return new CapturedMessage(id, receivedAt, envelope, raw, MessageHistory.NONE, null);
  }

  /**
   * Creates a captured message that reads its session transcript and releases from {@code history};
   * otherwise as {@link #of(long, Instant, Envelope, byte[])}.
   */
  public static CapturedMessage of(
      long id, Instant receivedAt, Envelope envelope, byte[] raw, MessageHistory history) {
    return new CapturedMessage(id, receivedAt, envelope, raw, history, null);
  }

  /**
   * Creates a captured message in {@code namespace} (null for none, the name as {@link
   * NamespaceRule#normalize(String)} gives it); otherwise as {@link #of(long, Instant, Envelope,
   * byte[], MessageHistory)}.
   */
  public static CapturedMessage of(
      long id,
      Instant receivedAt,
      Envelope envelope,
      byte[] raw,
      MessageHistory history,
      String namespace) {
    return new CapturedMessage(id, receivedAt, envelope, raw, history, namespace);
  }

  /**
   * The namespace the server's {@link NamespaceRule} gave this message when it was captured, if
   * any; see {@link Mailbox#namespace(String)}.
   */
  public Optional<String> namespace() {
    return Optional.ofNullable(namespace);
  }

  /** The id given by the server: unique, increasing in order of arrival, never reused. */
  public long id() {
    return id;
  }

  /** When the server accepted the message (the moment before it answered 250). */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** The SMTP envelope: sender, every recipient (Bcc too), client, TLS and AUTH facts. */
  public Envelope envelope() {
    return envelope;
  }

  /**
   * The transcript of the SMTP session that delivered this message: every command and reply, TLS,
   * AUTH (credentials redacted), the faults that fired. Empty when sessions are not recorded, when
   * the session log has evicted it (it keeps {@code MailsinkConfig.retainedSessions()} sessions),
   * or for a message made without a server.
   */
  public Optional<Transcript> transcript() {
    return history.transcript(this);
  }

  /**
   * The releases of this message to the upstream server (on demand or by auto-relay), oldest first,
   * each with every attempt and the upstream's replies; empty when it was never released.
   */
  public List<Release> releases() {
    return history.releases(this);
  }

  /** The size in bytes of the message as received. */
  public int size() {
    return raw.length;
  }

  /** Returns a copy of the message bytes as received, after dot-unstuffing. */
  public byte[] raw() {
    return raw.clone();
  }

  /** Returns a stream over the message bytes as received, without copying them. */
  public InputStream rawStream() {
    return new ByteArrayInputStream(raw);
  }

  /** Writes the message bytes as received to {@code out}; does not close it. */
  public void writeRawTo(OutputStream out) throws IOException {
    out.write(raw);
  }

  /** Every header field in order of appearance, unfolded and RFC 2047 decoded. */
  public List<Header> headers() {
    return allHeaders();
  }

  /** The first value of the named header (case-insensitive name), if present. */
  public Optional<String> header(String name) {
    for (Header h : allHeaders()) {
      if (h.name().equalsIgnoreCase(name)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  /** Every value of the named header (case-insensitive name), in order; empty when absent. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    for (Header h : allHeaders()) {
      if (h.name().equalsIgnoreCase(name)) {
        values.add(h.value());
      }
    }
    return values;
  }

  /** The decoded Subject, or the empty string when the message has none. */
  public String subject() {
    return headerView().subject();
  }

  /** The From addresses (usually one). */
  public List<MailAddress> from() {
    return headerView().from();
  }

  /** The To addresses. */
  public List<MailAddress> to() {
    return headerView().to();
  }

  /** The Cc addresses. */
  public List<MailAddress> cc() {
    return headerView().cc();
  }

  /**
   * The Bcc header's addresses, which a well-behaved client does not send; use {@link
   * Envelope#recipients()} to see who received a blind copy.
   */
  public List<MailAddress> bcc() {
    return headerView().bcc();
  }

  /** The Reply-To addresses. */
  public List<MailAddress> replyTo() {
    return headerView().replyTo();
  }

  /** The Date header, if present and readable. */
  public Optional<Instant> date() {
    return Optional.ofNullable(headerView().date());
  }

  /** The Message-ID header as written (with angle brackets), if present. */
  public Optional<String> messageId() {
    return header("Message-ID");
  }

  /**
   * The plain-text body, charset and transfer-encoding decoded: the message itself when it is
   * text/plain, or the text/plain alternative of a multipart message.
   */
  public Optional<String> text() {
    return Optional.ofNullable(bodyView().text());
  }

  /** The HTML body, charset and transfer-encoding decoded, if the message has one. */
  public Optional<String> html() {
    return Optional.ofNullable(bodyView().html());
  }

  /**
   * The links in the message: the {@code href} of every {@code <a>} in the HTML body, then every
   * {@code http(s)} URL in the text body, without duplicates, in order of appearance. The most
   * common mail test follows one of them.
   */
  public List<String> links() {
    MimeView.Body b = bodyView();
    return Links.of(b.html(), b.text());
  }

  /**
   * The first link in which {@code regex} is found (anywhere in the link unless anchored), e.g.
   * {@code firstLink("/confirm\\?token=")}.
   *
   * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a valid pattern
   */
  public Optional<String> firstLink(String regex) {
    java.util.regex.Pattern pattern =
        java.util.regex.Pattern.compile(Objects.requireNonNull(regex, "regex"));
    for (String link : links()) {
      if (pattern.matcher(link).find()) {
        return Optional.of(link);
      }
    }
    return Optional.empty();
  }

  /** Every attachment and inline part (inline images, attached messages), in order. */
  public List<Attachment> attachments() {
    return bodyView().attachments();
  }

  /** The attachment with this file name, if any. */
  public Optional<Attachment> attachment(String filename) {
    for (Attachment a : attachments()) {
      if (a.filename().equals(filename)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * What went wrong while parsing, if anything (e.g. an unknown charset or a truncated multipart).
   * The message is stored regardless; the parsed views hold what could be read.
   */
  public Optional<String> parseProblem() {
    String headerProblem = headerView().problem();
    String bodyProblem = bodyView().problem();
    if (headerProblem == null) {
      return Optional.ofNullable(bodyProblem);
    }
    return Optional.of(bodyProblem == null ? headerProblem : headerProblem + "; " + bodyProblem);
  }

  private MimeView.Headers headerView() {
    MimeView.Headers h = summary;
    if (h == null) {
      MimeView.Headers full = MimeView.parseHeaders(raw);
      allHeaders = new SoftReference<>(full.all());
      h = full.withoutList();
      summary = h;
    }
    return h;
  }

  private List<Header> allHeaders() {
    List<Header> all = allHeaders.get();
    if (all == null) {
      MimeView.Headers full = MimeView.parseHeaders(raw);
      all = full.all();
      allHeaders = new SoftReference<>(all);
      if (summary == null) {
        summary = full.withoutList();
      }
    }
    return all;
  }

  private MimeView.Body bodyView() {
    MimeView.Body b = body.get();
    if (b == null) {
      b = MimeView.parseBody(raw);
      body = new SoftReference<>(b);
    }
    return b;
  }

  /** One line for logs and failure messages: id, time, sender, recipients and subject. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "#%d %s from=<%s> to=%s subject=\"%s\"",
        id,
        receivedAt,
        envelope.sender(),
        envelope.recipients().stream().map(r -> "<" + r + ">").toList(),
        subject());
  }

  @Override
  public String toString() {
    return "CapturedMessage{" + summary() + ", " + raw.length + " bytes}";
  }
}
