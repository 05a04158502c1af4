package dev.mailsink.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The record of one SMTP session: who connected, what was said in each direction and when, TLS and
 * AUTH, the fault rules that fired, the messages it delivered and how it ended. Message content
 * appears only as its size; AUTH credentials never appear (the user name does).
 *
 * <p>A transcript keeps the first {@value #HEAD_ENTRIES} entries and at least the last {@value
 * #TAIL_ENTRIES} (entries in between are dropped a hundred at a time); the ones dropped from a very
 * long session are counted in {@link #omittedEntries()}. An instance is an immutable snapshot: a
 * session still open goes on in the {@link SessionLog}, not here.
 *
 * @param id the session id, as in {@code Envelope.sessionId()} of the messages it delivered
 * @param clientAddress the client's IP address as a literal, e.g. {@code 127.0.0.1}
 * @param clientPort the client's TCP port
 * @param serverPort the server port it connected to (the SMTP or the implicit-TLS port)
 * @param startedAt when the connection was accepted
 * @param endedAt when it ended, or {@code null} while it is open
 * @param end how it ended, or {@code null} while it is open
 * @param endDetail what ended it in words, e.g. {@code during DATA after 512 bytes}; empty while
 *     open
 * @param heloName the name the client gave in its last EHLO or HELO, or {@code null}
 * @param tlsProtocol the negotiated TLS protocol, e.g. {@code TLSv1.3}, or {@code null} without TLS
 * @param tlsCipher the negotiated cipher suite, or {@code null} without TLS
 * @param authMechanism the SASL mechanism of the successful AUTH, or {@code null}
 * @param authenticatedUser the user the client authenticated as, or {@code null}
 * @param messageIds the ids of the messages the session delivered, in order
 * @param namespaces the namespaces the session stored mail in, in the order it first stored in each
 *     (lower case, as {@code CapturedMessage.namespace()}); empty when it stored none, or only mail
 *     in no namespace
 * @param entries the transcript, in order
 * @param omittedEntries how many entries between the first and the last ones were not kept
 */
public record Transcript(
    String id,
    String clientAddress,
    int clientPort,
    int serverPort,
    Instant startedAt,
    Instant endedAt,
    SessionEnd end,
    String endDetail,
    String heloName,
    String tlsProtocol,
    String tlsCipher,
    String authMechanism,
    String authenticatedUser,
    List<Long> messageIds,
    List<String> namespaces,
    List<TranscriptEntry> entries,
    long omittedEntries) {

  /** How many entries at the start of a session are always kept. */
  public static final int HEAD_ENTRIES = 100;

  /** How many of the most recent entries of a session are kept at least, after the first ones. */
  public static final int TAIL_ENTRIES = 400;

  /** Validates and copies the components. */
  public Transcript {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(startedAt, "startedAt");
    endDetail = endDetail == null ? "" : endDetail;
    messageIds = List.copyOf(Objects.requireNonNull(messageIds, "messageIds"));
    namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
    entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    if ((endedAt == null) != (end == null)) {
      throw new IllegalArgumentException(
          "endedAt and end are both set (an ended session) or both null (an open one), were "
              + endedAt
              + " and "
              + end);
    }
    if (omittedEntries < 0) {
      throw new IllegalArgumentException("omittedEntries must be >= 0, was " + omittedEntries);
    }
  }

  /** Whether the session was still open when this snapshot was taken. */
  public boolean isOpen() {
    return end == null;
  }

  /** How it ended, if it has. */
  public Optional<SessionEnd> endIfEnded() {
    return Optional.ofNullable(end);
  }

  /** Whether the session negotiated TLS (implicit TLS or STARTTLS). */
  public boolean isTls() {
    return tlsProtocol != null;
  }

  /** The client's lines in order (credentials redacted), e.g. {@code MAIL FROM:<a@x.test>}. */
  public List<String> commands() {
    return texts(TranscriptEntry.Kind.COMMAND);
  }

  /**
   * The server's replies in order, e.g. {@code 451 4.7.1 Greylisted, please try again later}; a
   * multi-line reply is one element with CRLF between its lines.
   */
  public List<String> replies() {
    return texts(TranscriptEntry.Kind.REPLY);
  }

  /** What each fault rule that fired in this session did, e.g. {@code rule #1 at RCPT: 451 ...}. */
  public List<String> faults() {
    return texts(TranscriptEntry.Kind.FAULT);
  }

  /** The entries of one kind. */
  public List<TranscriptEntry> entries(TranscriptEntry.Kind kind) {
    List<TranscriptEntry> out = new ArrayList<>();
    for (TranscriptEntry e : entries) {
      if (e.kind() == kind) {
        out.add(e);
      }
    }
    return out;
  }

  private List<String> texts(TranscriptEntry.Kind kind) {
    List<String> out = new ArrayList<>();
    for (TranscriptEntry e : entries) {
      if (e.kind() == kind) {
        out.add(e.text());
      }
    }
    return out;
  }

  /**
   * The transcript as text, one entry per line with its time: {@code C:} client, {@code S:} server,
   * {@code *} the rest.
   */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("* session ").append(id).append(" from ").append(clientAddress).append(':');
    sb.append(clientPort).append(" to port ").append(serverPort).append('\n');
    int index = 0;
    for (TranscriptEntry e : entries) {
      if (index++ == HEAD_ENTRIES && omittedEntries > 0) {
        sb.append("* ... ").append(omittedEntries).append(" entries omitted ...\n");
      }
      sb.append(e.at()).append(' ').append(e.toLine()).append('\n');
    }
    return sb.toString();
  }

  /** One line for logs and failure messages: id, client, start, end, messages, namespaces. */
  public String summary() {
    return "session "
        + id
        + " from "
        + clientAddress
        + ":"
        + clientPort
        + " at "
        + startedAt
        + (end == null
            ? " (open)"
            : " ended " + end + (endDetail.isEmpty() ? "" : ": " + endDetail))
        + ", messages "
        + messageIds
        + (namespaces.isEmpty() ? "" : " in namespaces " + namespaces);
  }

  @Override
  public String toString() {
    return "Transcript{" + summary() + ", " + entries.size() + " entries}";
  }
}
