package dev.mailsink.web.internal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mailsink.Attachment;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.Header;
import dev.mailsink.MailAddress;
import dev.mailsink.json.EnvelopeJson;
import dev.mailsink.json.ReleaseJson;
import dev.mailsink.json.TranscriptJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the API (records serialised by Jackson; field names are the contract and are
 * checked against {@code openapi.json} by a test). Every field is always present; absent values are
 * {@code null}.
 */
final class JsonModel {
  private JsonModel() {}

  /** Includes null values (Jackson's default), so that every field is always present. */
  static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  static String string(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  record ErrorJson(String error, String message) {}

  record AddressJson(String address, String name) {}

  record HeaderJson(String name, String value) {}

  record AttachmentJson(
      int index,
      String filename,
      String contentType,
      String mimeType,
      String contentId,
      boolean inline,
      int size) {}

  /** A message in a list: everything but the headers, bodies and attachment details. */
  record SummaryJson(
      long id,
      String receivedAt,
      EnvelopeJson envelope,
      List<AddressJson> from,
      List<AddressJson> to,
      List<AddressJson> cc,
      List<AddressJson> replyTo,
      String subject,
      String date,
      String messageId,
      int size,
      String namespace) {}

  record MessageJson(
      long id,
      String receivedAt,
      EnvelopeJson envelope,
      List<AddressJson> from,
      List<AddressJson> to,
      List<AddressJson> cc,
      List<AddressJson> replyTo,
      String subject,
      String date,
      String messageId,
      int size,
      String namespace,
      List<HeaderJson> headers,
      String text,
      String html,
      List<AttachmentJson> attachments,
      String parseProblem,
      String sessionUrl,
      List<ReleaseJson> releases) {}

  record MessageListJson(int total, int count, List<SummaryJson> messages) {}

  record AwaitTimeoutJson(
      String error, String message, int total, int count, List<SummaryJson> messages) {}

  record DeletedJson(int deleted) {}

  /** Every stored message ({@code total}), those in no namespace, and each namespace's count. */
  record NamespaceListJson(int total, int withoutNamespace, List<NamespaceJson> namespaces) {}

  record NamespaceJson(String name, int count) {}

  record StatusJson(String status) {}

  record InfoJson(
      String version,
      SmtpInfoJson smtp,
      HttpInfoJson http,
      LimitsJson limits,
      CountsJson counts,
      RelayInfoJson relay,
      ReadersJson readers) {}

  /** The POP3/IMAP reader ports (null when off or stopped) and how readers log in. */
  record ReadersJson(
      Integer pop3Port,
      Integer pop3sPort,
      Integer imapPort,
      Integer imapsPort,
      boolean anyPassword,
      boolean catchAll,
      boolean tlsOnly) {}

  record SmtpInfoJson(
      String host,
      Integer port,
      Integer smtpsPort,
      String hostName,
      boolean running,
      String startTls,
      boolean tls,
      String auth,
      boolean recordSessions) {}

  record HttpInfoJson(int port, String url, boolean basicAuth, List<String> corsOrigins) {}

  record LimitsJson(
      long maxMessageBytes,
      int retainedMessages,
      long retainedBytes,
      int maxRecipients,
      int maxConnections,
      String idleTimeout,
      int retainedSessions,
      long retainedSessionBytes) {}

  record CountsJson(
      int messages, long evicted, int sessions, long sessionsEvicted, int releasesPending) {}

  /** The upstream of releases, without its password. */
  record RelayInfoJson(
      String host,
      int port,
      String tls,
      String trust,
      String user,
      String envelopeSender,
      List<String> allowedRecipients,
      List<String> autoRelay,
      int maxAttempts,
      String initialBackoff,
      String timeout) {}

  record ReleaseListJson(List<ReleaseJson> releases) {}

  record ReleaseTimeoutJson(String error, String message, ReleaseJson release) {}

  record SessionListJson(
      int total,
      int count,
      long version,
      boolean recording,
      List<TranscriptJson.SummaryJson> sessions) {}

  record VersionJson(long version) {}

  record ReleaseEventJson(ReleaseJson release) {}

  record HelloJson(int messages) {}

  record ReceivedEventJson(List<SummaryJson> messages) {}

  record DeletedEventJson(List<Long> ids) {}

  static final Map<String, Object> EMPTY_OBJECT = Map.of();

  static EnvelopeJson envelope(Envelope e) {
    return EnvelopeJson.of(e);
  }

  static List<AddressJson> addresses(List<MailAddress> list) {
    List<AddressJson> out = new ArrayList<>(list.size());
    for (MailAddress a : list) {
      out.add(new AddressJson(a.address(), a.name()));
    }
    return out;
  }

  static SummaryJson summary(CapturedMessage m) {
    return new SummaryJson(
        m.id(),
        m.receivedAt().toString(),
        envelope(m.envelope()),
        addresses(m.from()),
        addresses(m.to()),
        addresses(m.cc()),
        addresses(m.replyTo()),
        m.subject(),
        m.date().map(Object::toString).orElse(null),
        m.messageId().orElse(null),
        m.size(),
        m.namespace().orElse(null));
  }

  static List<SummaryJson> summaries(List<CapturedMessage> messages) {
    List<SummaryJson> out = new ArrayList<>(messages.size());
    for (CapturedMessage m : messages) {
      out.add(summary(m));
    }
    return out;
  }

  static MessageJson message(CapturedMessage m) {
    List<HeaderJson> headers = new ArrayList<>();
    for (Header h : m.headers()) {
      headers.add(new HeaderJson(h.name(), h.value()));
    }
    List<AttachmentJson> attachments = new ArrayList<>();
    List<Attachment> parts = m.attachments();
    for (int i = 0; i < parts.size(); i++) {
      Attachment a = parts.get(i);
      attachments.add(
          new AttachmentJson(
              i,
              a.filename(),
              a.contentType(),
              a.mimeType(),
              a.contentId().orElse(null),
              a.isInline(),
              a.size()));
    }
    return new MessageJson(
        m.id(),
        m.receivedAt().toString(),
        envelope(m.envelope()),
        addresses(m.from()),
        addresses(m.to()),
        addresses(m.cc()),
        addresses(m.replyTo()),
        m.subject(),
        m.date().map(Object::toString).orElse(null),
        m.messageId().orElse(null),
        m.size(),
        m.namespace().orElse(null),
        headers,
        m.text().orElse(null),
        m.html().orElse(null),
        attachments,
        m.parseProblem().orElse(null),
        m.transcript().isPresent()
            ? "/api/v1/sessions/"
                + java.net.URLEncoder.encode(
                    m.envelope().sessionId(), java.nio.charset.StandardCharsets.UTF_8)
            : null,
        RelayApi.json(m.releases()));
  }
}
