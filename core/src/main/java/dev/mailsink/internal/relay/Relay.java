package dev.mailsink.internal.relay;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.relay.AutoRelayRule;
import dev.mailsink.relay.RelayAttempt;
import dev.mailsink.relay.RelayAttempt.Refusal;
import dev.mailsink.relay.RelayAttempt.Result;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseRefusedException;
import dev.mailsink.relay.ReleaseRefusedException.Reason;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Sends released messages to the upstream server with Angus Mail's SMTP transport (STARTTLS,
 * implicit TLS, AUTH and trust are its), on a small pool of its own threads, so that relaying never
 * holds up SMTP capture. Each attempt is recorded with the upstream's reply; 4xx replies and broken
 * connections are retried with backoff, 5xx replies are final.
 */
public final class Relay implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Relay.class.getName());
  private static final int THREADS = 2;
  private static final DateTimeFormatter RFC_5322 =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final RelayConfig config;
  private final ReleaseStore store;
  private final String sinkHostName;
  private final Session mail;
  private final String protocol;
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger queuedAutoRelays = new AtomicInteger();
  private final Set<ReleaseRecord> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Starts the relay's threads.
   *
   * @param sinkHostName the sink's host name, for EHLO and the trace header
   */
  public Relay(RelayConfig config, ReleaseStore store, String sinkHostName) {
    this.config = config;
    this.store = store;
    this.sinkHostName = sinkHostName;
    this.protocol = config.tls() == RelayTls.IMPLICIT ? "smtps" : "smtp";
    this.mail = Session.getInstance(properties(config, protocol, sinkHostName));
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            THREADS,
            r -> {
              Thread t = new Thread(r, "mailsink-relay-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** The configuration. */
  public RelayConfig config() {
    return config;
  }

  private static Properties properties(RelayConfig config, String protocol, String sinkHost) {
    String p = "mail." + protocol + ".";
    Properties props = new Properties();
    props.put(p + "host", config.host());
    props.put(p + "port", String.valueOf(config.port()));
    String millis = String.valueOf(config.timeout().toMillis());
    props.put(p + "connectiontimeout", millis);
    props.put(p + "timeout", millis);
    props.put(p + "writetimeout", millis);
    props.put(p + "localhost", config.heloName() != null ? config.heloName() : sinkHost);
    // deliver to the recipients the upstream takes and record the others one by one
    props.put(p + "sendpartial", "true");
    props.put(p + "auth", String.valueOf(config.credentials() != null));
    props.put("mail.mime.allowutf8", "true");
    if (config.tls() == RelayTls.STARTTLS) {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    if (config.tls() != RelayTls.NONE) {
      if (config.trust().isInsecure()) {
        props.put(p + "ssl.trust", "*");
        props.put(p + "ssl.checkserveridentity", "false");
      } else {
        props.put(p + "ssl.checkserveridentity", "true");
        config
            .trust()
            .sslContext()
            .ifPresent(c -> props.put(p + "ssl.socketFactory", c.getSocketFactory()));
      }
    }
    return props;
  }

  // --- requesting ------------------------------------------------------------------------------

  /**
   * Queues a release of {@code message} to {@code recipients}; the future completes when it is
   * done.
   *
   * @throws ReleaseRefusedException before anything is sent: a recipient is not allowed, or too
   *     many releases are pending
   */
  public CompletableFuture<Release> release(
      CapturedMessage message, List<String> recipients, String trigger) {
    List<String> to = checkRecipients(recipients);
    if (closed) {
      throw new IllegalStateException("release() called on a closed Mailsink; start a new one");
    }
    if (pending.incrementAndGet() > config.maxPendingReleases()) {
      pending.decrementAndGet();
      throw new ReleaseRefusedException(
          Reason.TOO_MANY_PENDING,
          config.maxPendingReleases()
              + " releases are pending already (RelayConfig.maxPendingReleases); try again once"
              + " some are done",
          List.of());
    }
    ReleaseRecord r = store.create(message, to, trigger);
    live.add(r);
    schedule(r, Duration.ZERO);
    return r.done.copy();
  }

  /** Normalises and checks the recipients against the allow list, before anything is sent. */
  List<String> checkRecipients(List<String> recipients) {
    if (recipients == null || recipients.isEmpty()) {
      throw new IllegalArgumentException("a release needs at least one recipient");
    }
    Set<String> to = new LinkedHashSet<>();
    List<String> refused = new ArrayList<>();
    for (String raw : recipients) {
      if (raw == null) {
        throw new IllegalArgumentException("a release recipient must not be null");
      }
      String address = address(raw);
      if (!isAddress(address)) {
        throw new ReleaseRefusedException(
            Reason.RECIPIENT_NOT_ALLOWED,
            "'" + raw + "' is not an email address (local@domain)",
            List.of(raw));
      }
      if (!config.isAllowed(address)) {
        refused.add(address);
      }
      to.add(address);
    }
    if (!refused.isEmpty()) {
      throw new ReleaseRefusedException(
          Reason.RECIPIENT_NOT_ALLOWED,
          "The relay allow list "
              + config.allowedRecipients()
              + " does not allow "
              + refused
              + "; nothing was sent. Add a pattern that matches them to"
              + " RelayConfig.allowedRecipients(...) (--relay-allow, MAILSINK_RELAY_ALLOW)",
          refused);
    }
    return List.copyOf(to);
  }

  private static String address(String raw) {
    String a = raw.strip();
    if (a.length() >= 2 && a.startsWith("<") && a.endsWith(">")) {
      a = a.substring(1, a.length() - 1).strip();
    }
    return a;
  }

  private static boolean isAddress(String a) {
    int at = a.lastIndexOf('@');
    if (at <= 0 || at == a.length() - 1) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      char c = a.charAt(i);
      if (c <= ' ' || c == '<' || c == '>' || c == ',' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Offers a just-captured message to the auto-relay rules, without waiting: the rules are matched
   * on the relay's threads. Messages beyond the pending bound are not relayed (and logged); the
   * captured copy stays either way.
   */
  public void offer(CapturedMessage message) {
    if (closed || config.autoRelay().isEmpty()) {
      return;
    }
    if (queuedAutoRelays.incrementAndGet() > config.maxPendingReleases()) {
      queuedAutoRelays.decrementAndGet();
      LOG.log(
          System.Logger.Level.WARNING,
          "auto-relay of message #{0} skipped: {1} messages wait for auto-relay already",
          message.id(),
          config.maxPendingReleases());
      return;
    }
    try {
      executor.execute(
          () -> {
            queuedAutoRelays.decrementAndGet();
            autoRelay(message);
          });
    } catch (RejectedExecutionException e) {
      queuedAutoRelays.decrementAndGet();
    }
  }

  private void autoRelay(CapturedMessage message) {
    for (AutoRelayRule rule : config.autoRelay()) {
      List<String> to = rule.recipientsFor(message);
      if (to.isEmpty()) {
        continue;
      }
      List<String> allowed = new ArrayList<>();
      for (String r : to) {
        if (config.isAllowed(address(r))) {
          allowed.add(r);
        }
      }
      if (allowed.isEmpty()) {
        LOG.log(
            System.Logger.Level.INFO,
            "auto-relay rule {0} matched message #{1}, but the allow list refuses {2}",
            rule,
            message.id(),
            to);
        return;
      }
      try {
        release(message, allowed, "auto-relay " + rule);
      } catch (ReleaseRefusedException | IllegalStateException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "auto-relay of message #{0} by rule {1} failed: {2}",
            message.id(),
            rule,
            e.getMessage());
      }
      return;
    }
  }

  private void schedule(ReleaseRecord r, Duration delay) {
    try {
      executor.schedule(() -> attempt(r), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      abandon(r, "the sink closed before the next attempt");
    }
  }

  private void abandon(ReleaseRecord r, String why) {
    if (live.remove(r)) {
      pending.decrementAndGet();
    }
    store.abandon(r, why);
  }

  // --- sending ---------------------------------------------------------------------------------

  private void attempt(ReleaseRecord r) {
    ReleaseStore.Work work = store.work(r);
    if (work == null) {
      return;
    }
    if (closed) {
      abandon(r, "the sink closed before the next attempt");
      return;
    }
    Instant at = Instant.now();
    long started = System.nanoTime();
    Outcome outcome = send(work.message(), work.recipients());
    RelayAttempt attempt =
        new RelayAttempt(
            work.attemptNumber(),
            at,
            Duration.ofNanos(System.nanoTime() - started),
            config.upstream(),
            work.recipients(),
            outcome.result,
            outcome.code,
            outcome.reply,
            outcome.refusals);
    LOG.log(
        outcome.result == Result.DELIVERED ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
        "release #{0} of message #{1}: attempt {2}",
        r.id,
        r.messageId,
        attempt.summary());
    List<String> retry = new ArrayList<>();
    if (outcome.result != Result.ERROR) {
      for (Refusal f : outcome.refusals) {
        if (f.isTemporary()) {
          retry.add(f.recipient());
        }
      }
    }
    Instant retryAt = null;
    Duration backoff = null;
    if (!retry.isEmpty() && work.attemptNumber() < config.retry().maxAttempts() && !closed) {
      backoff = config.retry().backoffAfter(work.attemptNumber());
      retryAt = Instant.now().plus(backoff);
    }
    if (store.attempted(r, attempt, retry, retryAt)) {
      schedule(r, backoff);
    } else if (live.remove(r)) {
      pending.decrementAndGet();
    }
  }

  private record Outcome(Result result, int code, String reply, List<Refusal> refusals) {}

  private Outcome send(CapturedMessage message, List<String> recipients) {
    Address[] to = new Address[recipients.size()];
    for (int i = 0; i < to.length; i++) {
      InternetAddress a = new InternetAddress();
      a.setAddress(recipients.get(i));
      to[i] = a;
    }
    SMTPTransport transport;
    try {
      transport = (SMTPTransport) mail.getTransport(protocol);
    } catch (MessagingException e) {
      return new Outcome(Result.ERROR, 0, "no SMTP transport: " + e.getMessage(), List.of());
    }
    try {
      if (config.credentials() != null) {
        transport.connect(
            config.host(),
            config.port(),
            config.credentials().user(),
            config.credentials().password());
      } else {
        transport.connect(config.host(), config.port(), null, null);
      }
      String from =
          config.envelopeSender() != null ? config.envelopeSender() : message.envelope().sender();
      RawMessage raw =
          new RawMessage(mail, message, traceHeader(message), from.isEmpty() ? "<>" : from);
      transport.sendMessage(raw, to);
      return new Outcome(
          Result.DELIVERED,
          transport.getLastReturnCode(),
          clean(transport.getLastServerResponse()),
          List.of());
    } catch (MessagingException e) {
      return classify(e, recipients, transport);
    } finally {
      try {
        transport.close();
      } catch (MessagingException e) {
        // the connection is gone already; the outcome is recorded
      }
    }
  }

  private static Outcome classify(
      MessagingException e, List<String> recipients, SMTPTransport transport) {
    Map<String, Refusal> refused = new LinkedHashMap<>();
    for (Exception next = e; next instanceof MessagingException m; next = m.getNextException()) {
      if (next instanceof SMTPAddressFailedException af) {
        String address = af.getAddress().getAddress();
        refused.put(
            address, new Refusal(address, Math.max(0, af.getReturnCode()), clean(af.getMessage())));
      }
    }
    Set<String> delivered = new LinkedHashSet<>();
    if (e instanceof SendFailedException sf && sf.getValidSentAddresses() != null) {
      for (Address a : sf.getValidSentAddresses()) {
        delivered.add(((InternetAddress) a).getAddress());
      }
    }
    Result overall;
    int code;
    String reply;
    if (e instanceof SMTPSendFailedException sfe) {
      overall = byCode(sfe.getReturnCode());
      code = Math.max(0, sfe.getReturnCode());
      reply =
          code == 0
              ? "the upstream closed the connection instead of answering "
                  + sfe.getCommand()
                  + " ("
                  + clean(sfe.getMessage())
                  + ")"
              : clean(sfe.getMessage());
    } else if (e instanceof AuthenticationFailedException) {
      code = leadingCode(e.getMessage());
      if (code == 0 && transport.getLastReturnCode() >= 400) {
        code = transport.getLastReturnCode();
      }
      reply = clean(e.getMessage() == null ? "authentication failed" : e.getMessage());
      overall = code == 0 ? Result.ERROR : byCode(code);
      if (code == 0) {
        reply = "authentication failed: " + reply;
      }
    } else if (!refused.isEmpty()) {
      Refusal last = refused.values().stream().reduce((a, b) -> b).orElseThrow();
      code = last.code();
      reply = last.reply();
      overall = byCode(code);
    } else if (hasCause(e, SSLHandshakeException.class)) {
      code = 0;
      reply = "TLS handshake failed: " + describe(e);
      overall = Result.ERROR;
    } else if (hasCause(e, IOException.class) || transport.getLastReturnCode() < 0) {
      // an I/O error, or the upstream closed the connection where a reply was due (Angus: -1)
      code = 0;
      reply = describe(e);
      overall = Result.CONNECTION_FAILED;
    } else if (transport.getLastReturnCode() >= 400) {
      code = transport.getLastReturnCode();
      reply = clean(transport.getLastServerResponse());
      overall = byCode(code);
    } else {
      code = 0;
      reply = describe(e);
      overall = Result.ERROR;
    }
    List<Refusal> refusals = new ArrayList<>();
    for (String r : recipients) {
      if (delivered.contains(r)) {
        continue;
      }
      Refusal f = refused.get(r);
      refusals.add(f != null ? f : new Refusal(r, code, reply));
    }
    Result result;
    if (!delivered.isEmpty()) {
      result = refusals.isEmpty() ? Result.DELIVERED : Result.PARTIALLY_DELIVERED;
    } else if (overall == Result.ERROR || overall == Result.CONNECTION_FAILED) {
      result = overall;
    } else {
      result = refusals.stream().anyMatch(Refusal::isTemporary) ? Result.DEFERRED : Result.REFUSED;
    }
    return new Outcome(result, code, reply, refusals);
  }

  private static Result byCode(int code) {
    if (code <= 0) {
      // Angus reports a connection that ended instead of replying as code -1, "[EOF]"
      return Result.CONNECTION_FAILED;
    }
    if (code >= 400 && code < 500) {
      return Result.DEFERRED;
    }
    if (code >= 500) {
      return Result.REFUSED;
    }
    return Result.ERROR;
  }

  private static int leadingCode(String text) {
    if (text == null || text.length() < 3) {
      return 0;
    }
    for (int i = 0; i < 3; i++) {
      if (!Character.isDigit(text.charAt(i))) {
        return 0;
      }
    }
    return Integer.parseInt(text.substring(0, 3));
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** The exception and its root cause in one line, e.g. for "Connection refused". */
  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = clean(String.valueOf(t.getMessage()));
    if (root == t) {
      return top;
    }
    return top
        + ": "
        + root.getClass().getSimpleName()
        + ": "
        + clean(String.valueOf(root.getMessage()));
  }

  private static String clean(String reply) {
    return reply == null ? "" : reply.strip().replace("\r\n", "\n").replace('\r', '\n');
  }

  /** The {@code Received:} trace header put before the captured bytes (see package docs). */
  byte[] traceHeader(CapturedMessage message) {
    Envelope e = message.envelope();
    String with = "ESMTP" + (e.isTls() ? "S" : "") + (e.authenticatedUser() != null ? "A" : "");
    String helo = e.heloName().isEmpty() ? "unknown" : e.heloName();
    String header =
        "Received: from "
            + helo
            + " ("
            + e.clientAddress()
            + ")\r\n\tby "
            + sinkHostName
            + " (Mailsink) with "
            + with
            + " id "
            + message.id()
            + ";\r\n\t"
            + RFC_5322.format(message.receivedAt())
            + "\r\n";
    return header.getBytes(StandardCharsets.UTF_8);
  }

  /** How many releases are pending (queued or waiting for a retry). */
  public int pendingReleases() {
    return pending.get();
  }

  /**
   * Stops the relay: no further attempt starts, pending releases end as failed (the messages stay
   * captured); an attempt in progress is interrupted.
   */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    for (ReleaseRecord r : List.copyOf(live)) {
      abandon(r, "the sink closed before the release was done");
    }
  }
}
