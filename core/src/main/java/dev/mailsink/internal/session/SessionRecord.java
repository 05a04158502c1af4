package dev.mailsink.internal.session;

import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.session.TranscriptEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The growing transcript of one session. Written by the session's thread, read (as a {@link
 * Transcript} snapshot) by anyone; every method is synchronized, and uncontended in the common
 * case. Entry times are taken from {@link System#nanoTime()} against a start time, which costs no
 * allocation and keeps the order of entries.
 */
public final class SessionRecord {
  /** The longest entry text kept; longer texts are cut and say by how much. */
  static final int MAX_TEXT = 2_000;

  private static final int ENTRY_OVERHEAD_BYTES = 48;
  private static final int RECORD_OVERHEAD_BYTES = 400;

  private final SessionStore store;
  private final String id;
  private final long sequence;
  private final String clientAddress;
  private final int clientPort;
  private final int serverPort;
  private final Instant startedAt;
  private final long startNanos;

  // guarded by this
  private final List<Entry> head = new ArrayList<>(16);
  // only long sessions get one
  private ArrayDeque<Entry> tail;
  private long omitted;
  private long bytes = RECORD_OVERHEAD_BYTES;
  private String heloName;
  private String tlsProtocol;
  private String tlsCipher;
  private String authMechanism;
  private String authUser;
  private List<Long> messageIds = List.of();
  private SessionEnd end;
  private String endDetail = "";
  private long endNanos;

  private record Entry(long nanos, TranscriptEntry.Kind kind, String text) {}

  SessionRecord(
      SessionStore store,
      String id,
      long sequence,
      String clientAddress,
      int clientPort,
      int serverPort) {
    this.store = store;
    this.id = id;
    this.sequence = sequence;
    this.clientAddress = clientAddress;
    this.clientPort = clientPort;
    this.serverPort = serverPort;
    this.startNanos = System.nanoTime();
    this.startedAt = Instant.now();
  }

  /** The session id. */
  public String id() {
    return id;
  }

  long sequence() {
    return sequence;
  }

  /** Adds one entry; ignored once the session has ended. */
  public synchronized void add(TranscriptEntry.Kind kind, String text) {
    if (end != null) {
      return;
    }
    append(kind, text);
  }

  private void append(TranscriptEntry.Kind kind, String text) {
    String kept =
        text.length() <= MAX_TEXT
            ? text
            : text.substring(0, MAX_TEXT) + " [" + (text.length() - MAX_TEXT) + " more characters]";
    Entry e = new Entry(System.nanoTime(), kind, kept);
    if (head.size() < Transcript.HEAD_ENTRIES) {
      head.add(e);
    } else {
      if (tail == null) {
        tail = new ArrayDeque<>();
      }
      tail.addLast(e);
      if (tail.size() > Transcript.TAIL_ENTRIES) {
        Entry dropped = tail.removeFirst();
        omitted++;
        bytes -= ENTRY_OVERHEAD_BYTES + dropped.text().length();
      }
    }
    bytes += ENTRY_OVERHEAD_BYTES + kept.length();
  }

  /** Records the name of an EHLO or HELO. */
  public synchronized void helo(String name) {
    this.heloName = name;
  }

  /** Records the negotiated TLS parameters. */
  public synchronized void tls(String protocol, String cipher) {
    this.tlsProtocol = protocol;
    this.tlsCipher = cipher;
  }

  /** Records a successful AUTH. */
  public synchronized void authenticated(String mechanism, String user) {
    this.authMechanism = mechanism;
    this.authUser = user;
  }

  /** Records that the session delivered a message. */
  public synchronized void delivered(long messageId) {
    List<Long> ids = new ArrayList<>(messageIds.size() + 1);
    ids.addAll(messageIds);
    ids.add(messageId);
    messageIds = ids;
    bytes += 16;
  }

  /**
   * Ends the session with an END entry, once; later calls are ignored.
   *
   * @return whether this call ended it
   */
  public boolean end(SessionEnd how, String detail) {
    synchronized (this) {
      if (end != null) {
        return false;
      }
      String text = how.name() + (detail.isEmpty() ? "" : ": " + detail);
      append(TranscriptEntry.Kind.END, text);
      this.end = how;
      this.endDetail = detail;
      this.endNanos = System.nanoTime();
    }
    store.ended(this);
    return true;
  }

  /** Whether the session has ended. */
  public synchronized boolean isEnded() {
    return end != null;
  }

  /** An estimate of the memory the record holds, in bytes. */
  synchronized long bytes() {
    return bytes;
  }

  /** A snapshot of the record. */
  public synchronized Transcript snapshot() {
    List<TranscriptEntry> entries = new ArrayList<>(head.size() + (tail == null ? 0 : tail.size()));
    for (Entry e : head) {
      entries.add(entry(e));
    }
    if (tail != null) {
      for (Entry e : tail) {
        entries.add(entry(e));
      }
    }
    return new Transcript(
        id,
        clientAddress,
        clientPort,
        serverPort,
        startedAt,
        end == null ? null : at(endNanos),
        end,
        endDetail,
        heloName,
        tlsProtocol,
        tlsCipher,
        authMechanism,
        authUser,
        messageIds,
        entries,
        omitted);
  }

  private TranscriptEntry entry(Entry e) {
    return new TranscriptEntry(at(e.nanos()), e.kind(), e.text());
  }

  private Instant at(long nanos) {
    return startedAt.plusNanos(nanos - startNanos);
  }

  @Override
  public String toString() {
    return "SessionRecord{" + id + "}";
  }
}
