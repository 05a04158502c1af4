package dev.mailsink.internal.session;

import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.session.TranscriptEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The growing transcript of one session, written by the session's thread and read (as a {@link
 * Transcript} snapshot) by anyone; every method is synchronized, and uncontended in the common
 * case.
 *
 * <p>Entries are packed into one byte array as {@code kind, microseconds since the start (varint),
 * length (varint), UTF-8 text}: the bytes of a command or reply are copied in as they are, with no
 * string made and no object per entry, so that recording a session costs a few copies and retaining
 * a thousand of them costs little more than their text. Snapshots decode.
 */
public final class SessionRecord {
  /** The longest entry text kept, in bytes; longer texts are cut and say by how much. */
  static final int MAX_TEXT = 2_000;

  /** Entries dropped at once from the middle of a long session: amortises the compaction. */
  private static final int DROP = 100;

  private static final int RECORD_OVERHEAD_BYTES = 200;
  private static final TranscriptEntry.Kind[] KINDS = TranscriptEntry.Kind.values();

  private final SessionStore store;
  private final String id;
  private final long sequence;
  private final String clientAddress;
  private final int clientPort;
  private final int serverPort;
  private final Instant startedAt;
  private final long startNanos;

  // copy-on-write, read without the monitor by the store's namespace filters
  private volatile String[] namespaces = new String[0];
  // the store's version when the record last changed for a namespace reader (joined one, ended)
  private volatile long stamp;

  // guarded by this
  private byte[] buf = new byte[512];
  private int length;
  private int count;
  private long omitted;
  private String heloName;
  private String tlsProtocol;
  private String tlsCipher;
  private String authMechanism;
  private String authUser;
  private long[] messageIds = new long[0];
  private SessionEnd end;
  private String endDetail = "";
  private long endNanos;

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

  /**
   * Records that the session stored a message in {@code namespace}.
   *
   * @return whether it is the session's first message there
   */
  synchronized boolean joined(String namespace) {
    for (String n : namespaces) {
      if (n.equals(namespace)) {
        return false;
      }
    }
    String[] more = Arrays.copyOf(namespaces, namespaces.length + 1);
    more[more.length - 1] = namespace;
    namespaces = more;
    return true;
  }

  /** Whether the session stored a message in {@code namespace}; every session is in null. */
  boolean isIn(String namespace) {
    if (namespace == null) {
      return true;
    }
    for (String n : namespaces) {
      if (n.equals(namespace)) {
        return true;
      }
    }
    return false;
  }

  long stamp() {
    return stamp;
  }

  void stamp(long version) {
    stamp = version;
  }

  /** Adds one entry with this text; ignored once the session has ended. */
  public void add(TranscriptEntry.Kind kind, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    add(kind, bytes, 0, bytes.length);
  }

  /** Adds one entry whose text is these UTF-8 bytes, copied; ignored once the session has ended. */
  public synchronized void add(TranscriptEntry.Kind kind, byte[] text, int offset, int size) {
    if (end == null) {
      append(kind, text, offset, size);
    }
  }

  private void append(TranscriptEntry.Kind kind, byte[] text, int offset, int size) {
    byte[] suffix = null;
    int kept = size;
    if (size > MAX_TEXT) {
      kept = MAX_TEXT;
      suffix = (" [" + (size - MAX_TEXT) + " more bytes]").getBytes(StandardCharsets.US_ASCII);
    }
    int textLength = kept + (suffix == null ? 0 : suffix.length);
    long micros = (System.nanoTime() - startNanos) / 1_000;
    ensure(1 + 10 + 5 + textLength);
    buf[length++] = (byte) kind.ordinal();
    putVarint(micros);
    putVarint(textLength);
    System.arraycopy(text, offset, buf, length, kept);
    length += kept;
    if (suffix != null) {
      System.arraycopy(suffix, 0, buf, length, suffix.length);
      length += suffix.length;
    }
    if (++count >= Transcript.HEAD_ENTRIES + Transcript.TAIL_ENTRIES + DROP) {
      dropFromTheMiddle();
    }
  }

  /** Removes {@link #DROP} entries after the first {@link Transcript#HEAD_ENTRIES}. */
  private void dropFromTheMiddle() {
    int from = offsetOf(Transcript.HEAD_ENTRIES);
    int to = offsetOf(Transcript.HEAD_ENTRIES + DROP);
    System.arraycopy(buf, to, buf, from, length - to);
    length -= to - from;
    count -= DROP;
    omitted += DROP;
  }

  private int offsetOf(int entry) {
    int[] pos = {0};
    for (int i = 0; i < entry; i++) {
      pos[0]++;
      getVarint(pos);
      int textLength = (int) getVarint(pos);
      pos[0] += textLength;
    }
    return pos[0];
  }

  private void ensure(int more) {
    if (length + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
    }
  }

  private void putVarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      buf[length++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[length++] = (byte) v;
  }

  private long getVarint(int[] pos) {
    long value = 0;
    int shift = 0;
    while (true) {
      byte b = buf[pos[0]++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
      shift += 7;
    }
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
  synchronized void delivered(long messageId) {
    long[] ids = Arrays.copyOf(messageIds, messageIds.length + 1);
    ids[ids.length - 1] = messageId;
    messageIds = ids;
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
      byte[] text =
          (how.name() + (detail.isEmpty() ? "" : ": " + detail)).getBytes(StandardCharsets.UTF_8);
      append(TranscriptEntry.Kind.END, text, 0, text.length);
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
    return RECORD_OVERHEAD_BYTES + buf.length + 8L * messageIds.length;
  }

  /** A snapshot of the record. */
  public synchronized Transcript snapshot() {
    List<TranscriptEntry> entries = new ArrayList<>(count);
    int[] pos = {0};
    for (int i = 0; i < count; i++) {
      TranscriptEntry.Kind kind = KINDS[buf[pos[0]++]];
      long micros = getVarint(pos);
      int textLength = (int) getVarint(pos);
      String text = new String(buf, pos[0], textLength, StandardCharsets.UTF_8);
      pos[0] += textLength;
      entries.add(new TranscriptEntry(startedAt.plusNanos(micros * 1_000), kind, text));
    }
    List<Long> ids = new ArrayList<>(messageIds.length);
    for (long m : messageIds) {
      ids.add(m);
    }
    return new Transcript(
        id,
        clientAddress,
        clientPort,
        serverPort,
        startedAt,
        end == null ? null : startedAt.plusNanos(endNanos - startNanos),
        end,
        endDetail,
        heloName,
        tlsProtocol,
        tlsCipher,
        authMechanism,
        authUser,
        ids,
        List.of(namespaces),
        entries,
        omitted);
  }

  @Override
  public String toString() {
    return "SessionRecord{" + id + "}";
  }
}
