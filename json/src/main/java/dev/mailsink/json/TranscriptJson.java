package dev.mailsink.json;

import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.session.TranscriptEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON form of a session {@link Transcript}, as {@code /api/v1/sessions/{id}} and {@code
 * /api/v1/messages/{id}/transcript} write it and the remote client reads it back. Times are
 * ISO-8601 instants; {@code end} and entry {@code kind}s are the enum names in lower case ({@code
 * quit}, {@code client_disconnected}; {@code command}, {@code reply}); absent values are {@code
 * null}.
 *
 * @param id the session id
 * @param clientAddress the client's IP address
 * @param clientPort the client's TCP port
 * @param serverPort the server port it connected to
 * @param startedAt when the connection was accepted
 * @param endedAt when it ended, or null while open
 * @param open whether the session was open
 * @param end how it ended, or null while open
 * @param endDetail what ended it in words
 * @param heloName the last EHLO/HELO name, or null
 * @param tlsProtocol the TLS protocol, or null
 * @param tlsCipher the TLS cipher suite, or null
 * @param authMechanism the mechanism of the successful AUTH, or null
 * @param authenticatedUser the authenticated user, or null
 * @param messageIds the ids of the messages it delivered
 * @param namespaces the namespaces it stored mail in, in the order it first did; empty for none
 * @param omittedEntries entries not kept between the first and the last ones
 * @param entries the transcript
 */
public record TranscriptJson(
    String id,
    String clientAddress,
    int clientPort,
    int serverPort,
    String startedAt,
    String endedAt,
    boolean open,
    String end,
    String endDetail,
    String heloName,
    String tlsProtocol,
    String tlsCipher,
    String authMechanism,
    String authenticatedUser,
    List<Long> messageIds,
    List<String> namespaces,
    long omittedEntries,
    List<EntryJson> entries) {

  /**
   * One transcript entry.
   *
   * @param at when it happened
   * @param kind {@code command}, {@code reply}, {@code data}, {@code tls}, {@code auth}, {@code
   *     fault} or {@code end}
   * @param text the line, reply or description
   */
  public record EntryJson(String at, String kind, String text) {}

  /** The JSON form of {@code t}. */
  public static TranscriptJson of(Transcript t) {
    List<EntryJson> entries = new ArrayList<>(t.entries().size());
    for (TranscriptEntry e : t.entries()) {
      entries.add(new EntryJson(e.at().toString(), lower(e.kind()), e.text()));
    }
    return new TranscriptJson(
        t.id(),
        t.clientAddress(),
        t.clientPort(),
        t.serverPort(),
        t.startedAt().toString(),
        t.endedAt() == null ? null : t.endedAt().toString(),
        t.isOpen(),
        t.end() == null ? null : lower(t.end()),
        t.endDetail(),
        t.heloName(),
        t.tlsProtocol(),
        t.tlsCipher(),
        t.authMechanism(),
        t.authenticatedUser(),
        t.messageIds(),
        t.namespaces(),
        t.omittedEntries(),
        entries);
  }

  /**
   * The transcript this JSON describes.
   *
   * @throws IllegalArgumentException if a time, an end or a kind cannot be read
   */
  public Transcript toTranscript() {
    List<TranscriptEntry> list = new ArrayList<>();
    for (EntryJson e : entries == null ? List.<EntryJson>of() : entries) {
      list.add(
          new TranscriptEntry(
              instant(e.at()),
              TranscriptEntry.Kind.valueOf(upper(e.kind())),
              e.text() == null ? "" : e.text()));
    }
    return new Transcript(
        id,
        clientAddress == null ? "" : clientAddress,
        clientPort,
        serverPort,
        instant(startedAt),
        endedAt == null ? null : instant(endedAt),
        end == null ? null : SessionEnd.valueOf(upper(end)),
        endDetail,
        heloName,
        tlsProtocol,
        tlsCipher,
        authMechanism,
        authenticatedUser,
        messageIds == null ? List.of() : messageIds,
        namespaces == null ? List.of() : namespaces,
        list,
        omittedEntries);
  }

  /**
   * A session in a list: everything but the entries.
   *
   * @param id the session id
   * @param clientAddress the client's IP address
   * @param clientPort the client's TCP port
   * @param serverPort the server port it connected to
   * @param startedAt when the connection was accepted
   * @param endedAt when it ended, or null while open
   * @param open whether it was open
   * @param end how it ended, or null while open
   * @param endDetail what ended it in words
   * @param heloName the last EHLO/HELO name, or null
   * @param tlsProtocol the TLS protocol, or null
   * @param authenticatedUser the authenticated user, or null
   * @param messageIds the ids of the messages it delivered
   * @param namespaces the namespaces it stored mail in, in the order it first did; empty for none
   * @param entryCount how many entries its transcript has (kept and omitted)
   * @param faultCount how many fault rules fired in it
   * @param lastReply the last reply the server sent, or null
   */
  public record SummaryJson(
      String id,
      String clientAddress,
      int clientPort,
      int serverPort,
      String startedAt,
      String endedAt,
      boolean open,
      String end,
      String endDetail,
      String heloName,
      String tlsProtocol,
      String authenticatedUser,
      List<Long> messageIds,
      List<String> namespaces,
      long entryCount,
      int faultCount,
      String lastReply) {

    /** The summary of {@code t}. */
    public static SummaryJson of(Transcript t) {
      List<String> replies = t.replies();
      return new SummaryJson(
          t.id(),
          t.clientAddress(),
          t.clientPort(),
          t.serverPort(),
          t.startedAt().toString(),
          t.endedAt() == null ? null : t.endedAt().toString(),
          t.isOpen(),
          t.end() == null ? null : lower(t.end()),
          t.endDetail(),
          t.heloName(),
          t.tlsProtocol(),
          t.authenticatedUser(),
          t.messageIds(),
          t.namespaces(),
          t.entries().size() + t.omittedEntries(),
          t.faults().size(),
          replies.isEmpty() ? null : replies.get(replies.size() - 1));
    }
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static String upper(String s) {
    if (s == null) {
      throw new IllegalArgumentException("a required enum value is missing");
    }
    return s.toUpperCase(Locale.ROOT);
  }

  static Instant instant(String s) {
    if (s == null) {
      throw new IllegalArgumentException("a required time is missing");
    }
    return Instant.parse(s);
  }
}
