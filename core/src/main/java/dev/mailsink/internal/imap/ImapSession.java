package dev.mailsink.internal.imap;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.internal.reader.ReaderAccess;
import dev.mailsink.internal.reader.ReaderConnections;
import dev.mailsink.internal.reader.ReaderListener;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One IMAP4rev1 connection (RFC 3501, with RFC 2177 IDLE, RFC 4959 SASL-IR, RFC 7888 LITERAL+, RFC
 * 3691 UNSELECT). The selected INBOX is the login's view of the mailbox; the session keeps its own
 * list of the messages it has announced, and compares it with the view after every command and on
 * every wake-up, to send EXISTS and EXPUNGE. Message bytes are served from the captured array
 * without a copy.
 */
final class ImapSession implements ReaderListener.Session {
  private static final DateTimeFormatter INTERNAL_DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
  private static final int PARSED_CACHE = 32;

  private final ImapServer server;
  private final ReaderConnections connections;
  // held while a command runs and while IDLE updates are written from a mailbox event
  private final ReentrantLock lock = new ReentrantLock();
  private Socket socket;
  private OutputStream out;
  private CommandReader reader;
  private boolean tls;

  private String owner;
  private Mailbox view;
  private boolean selected;
  private boolean readOnly;
  private final List<CapturedMessage> seq = new ArrayList<>();
  private long maxUid;
  private volatile boolean idling;
  private final AtomicBoolean wakePending = new AtomicBoolean();

  private final Map<Long, MimePart> parsed =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, MimePart> eldest) {
          return size() > PARSED_CACHE;
        }
      };

  ImapSession(ImapServer server, ReaderConnections connections, Socket socket) {
    this.server = server;
    this.connections = connections;
    this.socket = socket;
    this.tls = socket instanceof SSLSocket;
  }

  @Override
  public String busyReply() {
    return "* BYE [UNAVAILABLE] too many POP3/IMAP connections, try again later";
  }

  @Override
  public void serve(Socket s) throws IOException {
    s.setSoTimeout(server.idleTimeoutMillis());
    streams();
    server.opened(this);
    try {
      untagged("OK [CAPABILITY " + capabilities() + "] Mailsink IMAP4rev1 ready");
      out.flush();
      while (true) {
        CommandReader.Framed framed = reader.read(this::continuation);
        if (framed == null) {
          return;
        }
        lock.lock();
        try {
          boolean more = command(framed);
          out.flush();
          if (!more) {
            return;
          }
        } finally {
          lock.unlock();
        }
      }
    } catch (SocketTimeoutException e) {
      // a wake-up report stuck writing to a client that does not read holds the lock: then the
      // connection is closed without a BYE, which also ends that write
      if (lock.tryLock()) {
        try {
          untagged("BYE idle timeout, closing connection");
          out.flush();
        } finally {
          lock.unlock();
        }
      }
    } finally {
      server.ended(this);
    }
  }

  private void streams() throws IOException {
    BufferedInputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
    out = new BufferedOutputStream(socket.getOutputStream(), 16384);
    if (reader == null) {
      reader = new CommandReader(in, ImapServer.MAX_LITERAL_BYTES);
    } else {
      reader.switchTo(in);
    }
  }

  private void continuation() throws IOException {
    lock.lock();
    try {
      ascii("+ Ready for literal data\r\n");
      out.flush();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called on a mailbox event: an idling session reports the change at once. The report is written
   * on a thread of the session pool, never on the caller's (the mailbox's delivery thread or
   * another session), so a client that stops reading holds up nobody else; wake-ups that arrive
   * while one is pending are folded into it, as the report is a comparison with the view anyway.
   */
  void wake() {
    // a session that is not idling compares with the view after its next command anyway
    if (!idling || !wakePending.compareAndSet(false, true)) {
      return;
    }
    try {
      server.execute(this::reportWhileIdling);
    } catch (RejectedExecutionException e) {
      wakePending.set(false); // the server is closing
    }
  }

  private void reportWhileIdling() {
    lock.lock();
    try {
      wakePending.set(false);
      if (idling) {
        update(true);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the session's own thread notices a broken connection
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- dispatch

  /** Runs one command; false when the connection ends. */
  private boolean command(CommandReader.Framed framed) throws IOException {
    ImapParser p = new ImapParser(framed.bytes());
    String tag;
    try {
      tag = p.tag();
    } catch (ImapSyntaxException e) {
      untagged("BAD " + e.getMessage());
      return true;
    }
    if (framed.error() != null) {
      boolean tooBig = framed.error().startsWith("Literal");
      tagged(tag, "BAD " + (tooBig ? "[TOOBIG] " : "") + framed.error());
      return true;
    }
    String name = "";
    try {
      p.sp();
      name = p.keyword();
      boolean uid = false;
      if (name.equals("UID")) {
        p.sp();
        uid = true;
        name = p.keyword();
      }
      return dispatch(tag, name, uid, p);
    } catch (ImapSyntaxException e) {
      tagged(tag, "BAD " + (name.isEmpty() ? "" : name + ": ") + e.getMessage());
      return true;
    } catch (RuntimeException e) {
      tagged(tag, "NO [SERVERBUG] " + name + " failed: " + oneLine(e.toString()));
      return true;
    }
  }

  private boolean dispatch(String tag, String name, boolean uid, ImapParser p)
      throws IOException, ImapSyntaxException {
    if (uid && !Set.of("FETCH", "STORE", "SEARCH", "COPY", "MOVE").contains(name)) {
      throw new ImapSyntaxException("UID " + name + " is not a command");
    }
    switch (name) {
      case "CAPABILITY" -> {
        p.end();
        untagged("CAPABILITY " + capabilities());
        done(tag, "OK CAPABILITY completed");
        return true;
      }
      case "NOOP" -> {
        p.end();
        done(tag, "OK NOOP completed");
        return true;
      }
      case "LOGOUT" -> {
        p.end();
        untagged("BYE Mailsink IMAP logging out");
        tagged(tag, "OK LOGOUT completed");
        return false;
      }
      case "STARTTLS" -> {
        p.end();
        return startTls(tag);
      }
      case "LOGIN" -> {
        p.sp();
        String user = p.astring();
        p.sp();
        String password = p.astring();
        p.end();
        if (authenticated(tag)) {
          return true;
        }
        login(tag, user, password);
        return true;
      }
      case "AUTHENTICATE" -> {
        authenticate(tag, p);
        return true;
      }
      default -> {}
    }
    if (owner == null) {
      if (!KNOWN.contains(name)) {
        throw new ImapSyntaxException("Unknown command " + name);
      }
      tagged(tag, "NO Log in first (LOGIN or AUTHENTICATE PLAIN)");
      return true;
    }
    switch (name) {
      case "SELECT", "EXAMINE" -> select(tag, name, p);
      case "LIST", "LSUB" -> list(tag, name, p);
      case "STATUS" -> status(tag, p);
      case "SUBSCRIBE", "UNSUBSCRIBE" -> {
        p.sp();
        String box = p.mailbox();
        p.end();
        done(tag, box.equals("INBOX") ? "OK " + name + " completed" : "NO [NONEXISTENT] " + box);
      }
      case "CREATE", "DELETE", "RENAME", "APPEND" -> {
        p.skipRest();
        done(tag, "NO [CANNOT] " + name + " is not supported: Mailsink has only the INBOX");
      }
      case "IDLE" -> {
        p.end();
        return idle(tag);
      }
      default -> {
        if (!KNOWN.contains(name)) {
          throw new ImapSyntaxException("Unknown command " + name);
        }
        if (!selected) {
          tagged(tag, "NO Select a mailbox first (SELECT INBOX)");
          return true;
        }
        selectedCommand(tag, name, uid, p);
      }
    }
    return true;
  }

  private static final Set<String> KNOWN =
      Set.of(
          "SELECT",
          "EXAMINE",
          "LIST",
          "LSUB",
          "STATUS",
          "SUBSCRIBE",
          "UNSUBSCRIBE",
          "CREATE",
          "DELETE",
          "RENAME",
          "APPEND",
          "IDLE",
          "FETCH",
          "STORE",
          "SEARCH",
          "COPY",
          "MOVE",
          "EXPUNGE",
          "CLOSE",
          "UNSELECT",
          "CHECK");

  private void selectedCommand(String tag, String name, boolean uid, ImapParser p)
      throws IOException, ImapSyntaxException {
    switch (name) {
      case "FETCH" -> fetch(tag, uid, p);
      case "STORE" -> store(tag, uid, p);
      case "SEARCH" -> search(tag, uid, p);
      case "COPY", "MOVE" -> {
        p.skipRest();
        done(tag, "NO [CANNOT] " + name + " is not supported: Mailsink has only the INBOX");
      }
      case "CHECK" -> {
        p.end();
        done(tag, "OK CHECK completed");
      }
      case "EXPUNGE" -> {
        p.end();
        if (readOnly) {
          done(tag, "NO [READ-ONLY] the mailbox was opened with EXAMINE");
          return;
        }
        expungeDeleted();
        done(tag, "OK EXPUNGE completed");
      }
      case "CLOSE" -> {
        p.end();
        if (!readOnly) {
          expungeDeleted();
        }
        deselect();
        tagged(tag, "OK CLOSE completed");
      }
      case "UNSELECT" -> {
        p.end();
        deselect();
        tagged(tag, "OK UNSELECT completed");
      }
      default -> throw new ImapSyntaxException("Unknown command " + name);
    }
  }

  // ---------------------------------------------------------------- not authenticated

  private String capabilities() {
    StringBuilder sb = new StringBuilder("IMAP4rev1 LITERAL+ SASL-IR IDLE UNSELECT");
    if (owner == null) {
      if (!tls && server.tls() != null) {
        sb.append(" STARTTLS");
      }
      if (server.access().allowsPlaintext(tls)) {
        sb.append(" AUTH=PLAIN");
      } else {
        sb.append(" LOGINDISABLED");
      }
    }
    return sb.toString();
  }

  private boolean authenticated(String tag) throws IOException {
    if (owner != null) {
      tagged(tag, "BAD Already logged in");
      return true;
    }
    return false;
  }

  private boolean startTls(String tag) throws IOException {
    SSLContext context = server.tls();
    if (tls) {
      tagged(tag, "BAD TLS is already active");
      return true;
    }
    if (owner != null) {
      tagged(tag, "BAD STARTTLS is only allowed before login");
      return true;
    }
    if (context == null) {
      tagged(tag, "NO STARTTLS is not available: this server has no TLS");
      return true;
    }
    tagged(tag, "OK Begin TLS negotiation now");
    out.flush();
    // anything the client pipelined after STARTTLS is discarded with the plain-text streams
    SSLSocket ssl = connections.layTls(socket, context);
    socket = ssl;
    ssl.startHandshake();
    tls = true;
    streams();
    return true;
  }

  private void authenticate(String tag, ImapParser p) throws IOException, ImapSyntaxException {
    p.sp();
    String mechanism = p.atom();
    String initial = null;
    if (p.accept(' ')) {
      initial = p.atom();
    }
    p.end();
    if (authenticated(tag)) {
      return;
    }
    if (!mechanism.equalsIgnoreCase("PLAIN")) {
      tagged(tag, "NO Unsupported SASL mechanism " + mechanism + "; PLAIN is offered");
      return;
    }
    if (!server.access().allowsPlaintext(tls)) {
      tagged(tag, "NO [PRIVACYREQUIRED] plain-text login refused without TLS; use STARTTLS");
      return;
    }
    String response = initial;
    if (response == null) {
      ascii("+ \r\n");
      out.flush();
      lock.unlock();
      try {
        response = reader.readTextLine();
      } finally {
        lock.lock();
      }
      if (response == null) {
        return;
      }
    }
    if (response.equals("*")) {
      tagged(tag, "BAD AUTHENTICATE cancelled");
      return;
    }
    byte[] decoded;
    try {
      decoded = response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response.strip());
    } catch (IllegalArgumentException e) {
      tagged(tag, "BAD AUTHENTICATE PLAIN response is not valid base64");
      return;
    }
    String[] parts = new String(decoded, StandardCharsets.UTF_8).split("\u0000", -1);
    if (parts.length != 3) {
      tagged(tag, "BAD AUTHENTICATE PLAIN response must be authzid NUL authcid NUL password");
      return;
    }
    if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
      tagged(tag, "NO [AUTHORIZATIONFAILED] authorization identity must be empty or the user");
      return;
    }
    login(tag, parts[1], parts[2]);
  }

  private void login(String tag, String user, String password) throws IOException {
    ReaderAccess.Result result = server.access().login(user, password, tls);
    if (result instanceof ReaderAccess.Refused refused) {
      String code =
          refused.reason() == ReaderAccess.Refusal.TLS_REQUIRED
              ? "[PRIVACYREQUIRED] "
              : "[AUTHENTICATIONFAILED] ";
      tagged(tag, "NO " + code + oneLine(refused.text()));
      return;
    }
    ReaderAccess.Granted granted = (ReaderAccess.Granted) result;
    owner = granted.user().toLowerCase(Locale.ROOT);
    view = granted.mailbox();
    tagged(tag, "OK [CAPABILITY " + capabilities() + "] Logged in as " + oneLine(granted.user()));
  }

  // ---------------------------------------------------------------- authenticated

  private void select(String tag, String name, ImapParser p)
      throws IOException, ImapSyntaxException {
    p.sp();
    String box = p.mailbox();
    p.end();
    deselect();
    if (!box.equals("INBOX")) {
      tagged(tag, "NO [NONEXISTENT] No mailbox " + oneLine(box) + "; Mailsink has only the INBOX");
      return;
    }
    readOnly = name.equals("EXAMINE");
    seq.addAll(view.messages(Mailbox.Order.OLDEST_FIRST));
    maxUid = seq.isEmpty() ? 0 : seq.get(seq.size() - 1).id();
    selected = true;
    untagged("FLAGS " + Flags.ALL);
    untagged("OK [PERMANENTFLAGS " + (readOnly ? "()" : Flags.ALL) + "] Flags kept in memory");
    untagged(seq.size() + " EXISTS");
    untagged("0 RECENT");
    for (int i = 0; i < seq.size(); i++) {
      if ((flags(seq.get(i)) & Flags.SEEN) == 0) {
        untagged("OK [UNSEEN " + (i + 1) + "] First unseen message");
        break;
      }
    }
    untagged("OK [UIDVALIDITY " + server.uidValidity() + "] UIDs are valid for this server run");
    untagged("OK [UIDNEXT " + (maxUid + 1) + "] Predicted next UID");
    tagged(tag, "OK [" + (readOnly ? "READ-ONLY" : "READ-WRITE") + "] " + name + " completed");
  }

  private void deselect() {
    selected = false;
    readOnly = false;
    seq.clear();
    maxUid = 0;
  }

  private void list(String tag, String name, ImapParser p) throws IOException, ImapSyntaxException {
    p.sp();
    String reference = p.mailbox();
    p.sp();
    String pattern = p.listMailbox();
    p.end();
    if (pattern.isEmpty()) {
      untagged(name + " (\\Noselect) \"/\" \"\"");
    } else if (matches(reference + pattern, "INBOX")) {
      untagged(name + " (\\HasNoChildren) \"/\" INBOX");
    }
    done(tag, "OK " + name + " completed");
  }

  /** LIST wildcards: {@code *} matches anything, {@code %} anything but the delimiter. */
  private static boolean matches(String pattern, String name) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '%' -> regex.append("[^/]*");
        default -> regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return java.util.regex.Pattern.compile(
            regex.toString(), java.util.regex.Pattern.CASE_INSENSITIVE)
        .matcher(name)
        .matches();
  }

  private void status(String tag, ImapParser p) throws IOException, ImapSyntaxException {
    p.sp();
    String box = p.mailbox();
    p.sp();
    p.expect('(');
    List<String> items = new ArrayList<>();
    do {
      items.add(p.keyword());
    } while (p.accept(' '));
    p.expect(')');
    p.end();
    if (!box.equals("INBOX")) {
      done(tag, "NO [NONEXISTENT] No mailbox " + oneLine(box) + "; Mailsink has only the INBOX");
      return;
    }
    List<CapturedMessage> all = view.messages(Mailbox.Order.OLDEST_FIRST);
    long last = all.isEmpty() ? 0 : all.get(all.size() - 1).id();
    List<String> values = new ArrayList<>();
    for (String item : items) {
      long value =
          switch (item) {
            case "MESSAGES" -> all.size();
            case "RECENT" -> 0;
            case "UIDNEXT" -> Math.max(last, maxUid) + 1;
            case "UIDVALIDITY" -> server.uidValidity();
            case "UNSEEN" -> all.stream().filter(m -> (flags(m) & Flags.SEEN) == 0).count();
            default -> throw new ImapSyntaxException("Unknown STATUS item " + item);
          };
      values.add(item + " " + value);
    }
    untagged("STATUS INBOX (" + String.join(" ", values) + ")");
    done(tag, "OK STATUS completed");
  }

  private boolean idle(String tag) throws IOException {
    idling = true;
    try {
      update(true);
      ascii("+ idling\r\n");
      out.flush();
      String line;
      lock.unlock();
      try {
        line = reader.readTextLine();
      } finally {
        lock.lock();
      }
      idling = false;
      if (line == null) {
        return false;
      }
      if (!line.strip().equalsIgnoreCase("DONE")) {
        done(tag, "BAD Expected DONE to end IDLE");
        return true;
      }
      done(tag, "OK IDLE terminated");
      return true;
    } finally {
      idling = false;
    }
  }

  // ---------------------------------------------------------------- selected

  private int flags(CapturedMessage m) {
    return server.flags().get(owner, m.id());
  }

  /**
   * Reports the difference between what the client was told and the view now: EXPUNGE for messages
   * gone (only when {@code expunges}: never during FETCH, STORE or SEARCH, whose sequence numbers
   * the client is still using), EXISTS for new ones.
   */
  private void update(boolean expunges) throws IOException {
    if (!selected) {
      return;
    }
    List<CapturedMessage> now = view.messages(Mailbox.Order.OLDEST_FIRST);
    if (expunges) {
      Set<Long> present = new HashSet<>();
      for (CapturedMessage m : now) {
        present.add(m.id());
      }
      for (int i = seq.size() - 1; i >= 0; i--) {
        long id = seq.get(i).id();
        if (!present.contains(id)) {
          seq.remove(i);
          server.flags().forget(owner, id);
          untagged((i + 1) + " EXPUNGE");
        }
      }
    }
    boolean added = false;
    for (CapturedMessage m : now) {
      if (m.id() > maxUid) {
        seq.add(m);
        maxUid = m.id();
        added = true;
      }
    }
    if (added) {
      untagged(seq.size() + " EXISTS");
    }
  }

  private void expungeDeleted() throws IOException {
    boolean any = false;
    for (CapturedMessage m : seq) {
      if ((flags(m) & Flags.DELETED) != 0) {
        any |= view.delete(m.id());
      }
    }
    if (any) {
      // a message that another recipient still holds is only hidden here: no event tells the
      // other sessions of this login, so they are woken directly
      server.wakeAll();
    }
  }

  /** The tagged reply of a command, after the untagged updates it may carry. */
  private void done(String tag, String text) throws IOException {
    update(true);
    tagged(tag, text);
  }

  /** The indexes (0-based) in {@link #seq} of a sequence or UID set. */
  private List<Integer> resolve(SequenceSet set, boolean uid) throws ImapSyntaxException {
    List<Integer> result = new ArrayList<>();
    if (uid) {
      long largest = seq.isEmpty() ? 0 : seq.get(seq.size() - 1).id();
      for (int i = 0; i < seq.size(); i++) {
        if (set.contains(seq.get(i).id(), largest)) {
          result.add(i);
        }
      }
      return result;
    }
    if (set.largestExplicit() > seq.size()) {
      throw new ImapSyntaxException(
          "Invalid message sequence number "
              + set.largestExplicit()
              + " ("
              + seq.size()
              + " messages)");
    }
    for (int i = 0; i < seq.size(); i++) {
      if (set.contains(i + 1, seq.size())) {
        result.add(i);
      }
    }
    return result;
  }

  private void fetch(String tag, boolean uid, ImapParser p)
      throws IOException, ImapSyntaxException {
    p.sp();
    SequenceSet set = p.sequenceSet();
    p.sp();
    List<FetchItem> items = new ArrayList<>(p.fetchItems());
    p.end();
    if (uid && !items.contains(FetchItem.Simple.UID)) {
      items.add(0, FetchItem.Simple.UID);
    }
    for (int i : resolve(set, uid)) {
      fetchOne(i, items);
    }
    update(uid);
    tagged(tag, "OK " + (uid ? "UID " : "") + "FETCH completed");
  }

  private void fetchOne(int index, List<FetchItem> items) throws IOException {
    CapturedMessage m = seq.get(index);
    boolean marksSeen = false;
    for (FetchItem item : items) {
      marksSeen |=
          item == FetchItem.Simple.RFC822
              || item == FetchItem.Simple.RFC822_TEXT
              || (item instanceof FetchItem.Section s && !s.peek());
    }
    boolean flagsChanged = false;
    if (marksSeen && !readOnly && (flags(m) & Flags.SEEN) == 0 && stillThere(m)) {
      server.flags().update(owner, m.id(), Flags.SEEN, '+');
      flagsChanged = true;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    Wire.ascii(b, "* " + (index + 1) + " FETCH (");
    boolean first = true;
    boolean flagsSent = false;
    for (FetchItem item : items) {
      if (!first) {
        b.write(' ');
      }
      first = false;
      if (item instanceof FetchItem.Simple simple) {
        switch (simple) {
          case FLAGS -> {
            Wire.ascii(b, "FLAGS " + Flags.list(flags(m)));
            flagsSent = true;
          }
          case UID -> Wire.ascii(b, "UID " + m.id());
          case INTERNALDATE ->
              Wire.ascii(b, "INTERNALDATE \"" + INTERNAL_DATE.format(m.receivedAt()) + "\"");
          case RFC822_SIZE -> Wire.ascii(b, "RFC822.SIZE " + m.size());
          case ENVELOPE -> {
            Wire.ascii(b, "ENVELOPE ");
            Structure.envelope(b, mime(m));
          }
          case BODYSTRUCTURE -> {
            Wire.ascii(b, "BODYSTRUCTURE ");
            Structure.body(b, mime(m), true);
          }
          case BODY -> {
            Wire.ascii(b, "BODY ");
            Structure.body(b, mime(m), false);
          }
          case RFC822 -> {
            Wire.ascii(b, "RFC822 ");
            MimePart root = mime(m);
            literal(b, root.raw, 0, root.raw.length);
          }
          case RFC822_HEADER -> {
            Wire.ascii(b, "RFC822.HEADER ");
            MimePart root = mime(m);
            literal(b, root.raw, root.start, root.bodyStart - root.start);
          }
          case RFC822_TEXT -> {
            Wire.ascii(b, "RFC822.TEXT ");
            MimePart root = mime(m);
            literal(b, root.raw, root.bodyStart, root.end - root.bodyStart);
          }
        }
      } else {
        section(b, m, (FetchItem.Section) item);
      }
    }
    if (flagsChanged && !flagsSent) {
      Wire.ascii(b, " FLAGS " + Flags.list(flags(m)));
    }
    Wire.ascii(b, ")\r\n");
    b.writeTo(out);
  }

  private boolean stillThere(CapturedMessage m) {
    return view.findById(m.id()).isPresent();
  }

  private MimePart mime(CapturedMessage m) {
    return parsed.computeIfAbsent(m.id(), id -> MimePart.parse(RawBytes.of(m)));
  }

  /**
   * Writes the buffered start of the response, then the literal straight from the message's array:
   * a large body is never copied into the response buffer.
   */
  private void literal(ByteArrayOutputStream b, byte[] bytes, int off, int len) throws IOException {
    Wire.ascii(b, "{" + len + "}\r\n");
    b.writeTo(out);
    b.reset();
    out.write(bytes, off, len);
  }

  private void section(ByteArrayOutputStream b, CapturedMessage m, FetchItem.Section s)
      throws IOException {
    MimePart root = mime(m);
    byte[] bytes = root.raw;
    int off = 0;
    int len = 0;
    MimePart target = s.path().isEmpty() ? root : root.part(s.path());
    if (target != null) {
      MimePart message = s.path().isEmpty() ? root : target.message;
      switch (s.text()) {
        case "" -> {
          off = s.path().isEmpty() ? target.start : target.bodyStart;
          len = target.end - off;
        }
        case "MIME" -> {
          off = target.start;
          len = target.bodyStart - target.start;
        }
        case "HEADER" -> {
          if (message != null) {
            off = message.start;
            len = message.bodyStart - message.start;
          }
        }
        case "TEXT" -> {
          if (message != null) {
            off = message.bodyStart;
            len = message.end - message.bodyStart;
          }
        }
        default -> {
          if (message != null) {
            bytes = headerFields(message, s.fields(), s.text().endsWith(".NOT"));
            off = 0;
            len = bytes.length;
          }
        }
      }
    }
    Wire.ascii(b, "BODY[" + s.spec() + "]");
    if (s.partialStart() >= 0) {
      Wire.ascii(b, "<" + s.partialStart() + ">");
      long start = Math.min(s.partialStart(), len);
      long length = Math.min(s.partialLength(), len - start);
      off += (int) start;
      len = (int) length;
    }
    b.write(' ');
    literal(b, bytes, off, len);
  }

  private static byte[] headerFields(MimePart part, List<String> names, boolean not) {
    ByteArrayOutputStream selectedFields = new ByteArrayOutputStream();
    for (MimePart.Field f : part.fields) {
      if (f.name().isEmpty()) {
        continue;
      }
      boolean listed = names.contains(f.name().toUpperCase(Locale.ROOT));
      if (listed != not) {
        selectedFields.write(part.raw, f.start(), f.end() - f.start());
      }
    }
    selectedFields.write('\r');
    selectedFields.write('\n');
    return selectedFields.toByteArray();
  }

  private void store(String tag, boolean uid, ImapParser p)
      throws IOException, ImapSyntaxException {
    p.sp();
    SequenceSet set = p.sequenceSet();
    p.sp();
    String action = p.keyword();
    p.sp();
    List<String> names = p.flagList();
    p.end();
    char mode;
    String base = action.endsWith(".SILENT") ? action.substring(0, action.length() - 7) : action;
    switch (base) {
      case "FLAGS" -> mode = '=';
      case "+FLAGS" -> mode = '+';
      case "-FLAGS" -> mode = '-';
      default -> throw new ImapSyntaxException("Expected FLAGS, +FLAGS or -FLAGS, got " + action);
    }
    boolean silent = action.endsWith(".SILENT");
    if (readOnly) {
      tagged(tag, "NO [READ-ONLY] the mailbox was opened with EXAMINE");
      return;
    }
    int bits = 0;
    for (String n : names) {
      bits |= Flags.bit(n);
    }
    for (int i : resolve(set, uid)) {
      CapturedMessage m = seq.get(i);
      int now = stillThere(m) ? server.flags().update(owner, m.id(), bits, mode) : flags(m);
      if (!silent) {
        untagged(
            (i + 1)
                + " FETCH ("
                + (uid ? "UID " + m.id() + " " : "")
                + "FLAGS "
                + Flags.list(now)
                + ")");
      }
    }
    update(uid);
    tagged(tag, "OK " + (uid ? "UID " : "") + "STORE completed");
  }

  private void search(String tag, boolean uid, ImapParser p)
      throws IOException, ImapSyntaxException {
    p.sp();
    if (p.acceptKeyword("CHARSET")) {
      p.sp();
      String charset = p.astring();
      p.sp();
      if (!charset.equalsIgnoreCase("UTF-8") && !charset.equalsIgnoreCase("US-ASCII")) {
        tagged(tag, "NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset " + oneLine(charset));
        return;
      }
    }
    SearchKey key = p.searchKeys();
    p.end();
    StringBuilder sb = new StringBuilder("SEARCH");
    Search search = new Search(server.flags(), owner, seq);
    for (int i = 0; i < seq.size(); i++) {
      if (search.matches(key, i)) {
        sb.append(' ').append(uid ? seq.get(i).id() : i + 1);
      }
    }
    untagged(sb.toString());
    update(uid);
    tagged(tag, "OK " + (uid ? "UID " : "") + "SEARCH completed");
  }

  // ---------------------------------------------------------------- output

  private void untagged(String text) throws IOException {
    ascii("* " + text + "\r\n");
  }

  private void tagged(String tag, String text) throws IOException {
    ascii(tag + " " + text + "\r\n");
  }

  private void ascii(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }

  @Override
  public String toString() {
    return "ImapSession{" + (owner == null ? "not logged in" : owner) + "}";
  }
}
