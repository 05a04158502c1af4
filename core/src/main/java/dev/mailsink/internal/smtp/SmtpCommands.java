package dev.mailsink.internal.smtp;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.internal.smtp.FaultHooks.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.subethamail.smtp.internal.command.AuthCommand;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/**
 * Mailsink's replacements for SubEthaSMTP's commands. Each one answers with enhanced status codes,
 * honours the configured limits, TLS and AUTH requirements and fault rules, and reads message data
 * in bulk. SubEthaSMTP still runs the session: the socket, the command loop, the AUTH exchanges and
 * the transaction's lifetime.
 */
final class SmtpCommands {
  private SmtpCommands() {}

  static List<Command> all(SmtpContext ctx, boolean implicitTls) {
    FaultHooks hooks = new FaultHooks(ctx.faults(), ctx.shutdown());
    return List.of(
        new Ehlo(ctx, hooks, implicitTls),
        new Helo(ctx, hooks),
        new Mail(ctx, hooks),
        new Rcpt(ctx, hooks),
        new Data(ctx, hooks),
        new Bdat(ctx, hooks),
        new StartTls(ctx, hooks, implicitTls),
        new Auth(ctx, hooks),
        new Quit(hooks),
        new Simple("RSET", "Aborts the current mail transaction.", Simple.Kind.RSET),
        new Simple("NOOP", "Does nothing.", Simple.Kind.NOOP),
        new Simple("VRFY", "Verifies an address (never confirmed).", Simple.Kind.VRFY),
        new Simple("EXPN", "Expands a mailing list (not supported).", Simple.Kind.EXPN),
        new Simple("HELP", "Lists the commands.", Simple.Kind.HELP));
  }

  static Transaction transaction(Session sess) {
    return (Transaction) sess.getMessageHandler();
  }

  static String argument(String commandString, int verbLength) {
    return commandString.length() <= verbLength ? "" : commandString.substring(verbLength).strip();
  }

  static boolean isTls(Session sess) {
    return FaultHooks.socket(sess).isTls();
  }

  static Envelope envelope(Session sess, Transaction tx) {
    InetSocketAddress client = sess.getRemoteAddress();
    SSLSession tls = FaultHooks.socket(sess).tlsSession();
    return new Envelope(
        tx.sender,
        tx.recipients,
        sess.getHelo().orElse(""),
        FaultHooks.clientAddress(sess),
        client.getPort(),
        sess.getSessionId(),
        tls == null ? null : tls.getProtocol(),
        tls == null ? null : tls.getCipherSuite(),
        FaultHooks.authUser(sess));
  }

  /** Ends a transaction whose data is complete: END_OF_DATA faults, then store and answer 250. */
  static void finish(
      SmtpContext ctx, FaultHooks hooks, Session sess, Transaction tx, MessageData data)
      throws IOException {
    if (data.isTooLarge()) {
      sess.resetMailTransaction();
      sess.sendResponse("552 5.3.4 Message size exceeds fixed maximum message size");
      return;
    }
    byte[] bytes = data.toByteArray();
    Envelope envelope = envelope(sess, tx);
    if (ctx.faults().hasRulesFor(SmtpStage.END_OF_DATA)) {
      CapturedMessage preview = CapturedMessage.of(0, Instant.now(), envelope, bytes);
      if (hooks.consult(sess, SmtpStage.END_OF_DATA, null, null, preview) == Outcome.HANDLED) {
        sess.resetMailTransaction();
        return;
      }
      if (FaultHooks.isClientGone(sess)) {
        // a delay outlasted the client: it will never see a 250, so nothing is stored
        sess.resetMailTransaction();
        sess.quit();
        return;
      }
    }
    // the mailbox's store hook records the message in the session's transcript
    CapturedMessage stored = ctx.mailbox().store(envelope, bytes);
    sess.resetMailTransaction();
    sess.sendResponse("250 2.0.0 Ok: queued as " + stored.id());
  }

  /**
   * The common start of EHLO and HELO: checks the name, consults EHLO-stage faults, resets the
   * transaction and records the name.
   *
   * @return the client's name, or null when a reply was already sent
   */
  static String introduce(FaultHooks hooks, Session sess, String commandString, String verb)
      throws IOException {
    String name = argument(commandString, 4);
    if (name.isEmpty()) {
      sess.sendResponse("501 5.5.4 Syntax: " + verb + " hostname");
      return null;
    }
    if (hooks.consult(sess, SmtpStage.EHLO, null, null, null) == Outcome.HANDLED) {
      return null;
    }
    sess.resetMailTransaction();
    sess.setHelo(name);
    return name;
  }

  static final class Ehlo extends BaseCommand {
    private final SmtpContext ctx;
    private final FaultHooks hooks;
    private final boolean implicitTls;

    Ehlo(SmtpContext ctx, FaultHooks hooks, boolean implicitTls) {
      super("EHLO", "Introduce yourself and list the extensions.", "<hostname>");
      this.ctx = ctx;
      this.hooks = hooks;
      this.implicitTls = implicitTls;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      String name = introduce(hooks, sess, commandString, "EHLO");
      if (name == null) {
        return;
      }
      MailsinkConfig config = ctx.config();
      boolean tls = isTls(sess);
      StringBuilder reply = new StringBuilder();
      reply.append("250-").append(config.hostName()).append(" greets ").append(name);
      reply.append("\r\n250-PIPELINING\r\n250-SIZE ").append(config.maxMessageBytes());
      reply.append("\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-CHUNKING");
      if (!implicitTls && !tls && ctx.startTlsOffered()) {
        reply.append("\r\n250-STARTTLS");
      }
      if (config.auth().isEnabled() && (tls || !ctx.tlsRequired())) {
        boolean plaintextAllowed = tls || !config.auth().isPlaintextOnlyAfterTls();
        reply.append(
            plaintextAllowed ? "\r\n250-AUTH PLAIN LOGIN CRAM-MD5" : "\r\n250-AUTH CRAM-MD5");
      }
      reply.append("\r\n250-HELP\r\n250 ENHANCEDSTATUSCODES");
      // one write for the whole reply; see SessionSocket
      sess.sendResponse(reply.toString());
    }
  }

  static final class Helo extends BaseCommand {
    private final SmtpContext ctx;
    private final FaultHooks hooks;

    Helo(SmtpContext ctx, FaultHooks hooks) {
      super("HELO", "Introduce yourself.", "<hostname>");
      this.ctx = ctx;
      this.hooks = hooks;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      if (introduce(hooks, sess, commandString, "HELO") != null) {
        sess.sendResponse("250 " + ctx.config().hostName());
      }
    }
  }

  static final class Mail extends BaseCommand {
    private final SmtpContext ctx;
    private final FaultHooks hooks;

    Mail(SmtpContext ctx, FaultHooks hooks) {
      super(
          "MAIL",
          "Starts a transaction with the sender.",
          "FROM:<sender> [SIZE=n] [BODY=8BITMIME] [SMTPUTF8]");
      this.ctx = ctx;
      this.hooks = hooks;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      if (sess.getHelo().isEmpty()) {
        sess.sendResponse("503 5.5.1 Error: send HELO/EHLO first");
        return;
      }
      if (ctx.tlsRequired() && !isTls(sess)) {
        sess.sendResponse("530 5.7.0 Must issue a STARTTLS command first");
        return;
      }
      if (ctx.config().auth().isRequired() && !sess.isAuthenticated()) {
        sess.sendResponse("530 5.7.0 Authentication required");
        return;
      }
      if (sess.isMailTransactionInProgress()) {
        sess.sendResponse("503 5.5.1 Error: nested MAIL command");
        return;
      }
      String args = argument(commandString, 4);
      if (!args.regionMatches(true, 0, "FROM:", 0, 5)) {
        sess.sendResponse("501 5.5.4 Syntax: MAIL FROM:<address>");
        return;
      }
      PathAndParameters path = PathAndParameters.parse(args.substring(5));
      if (path == null || !path.isValidAddress(true)) {
        sess.sendResponse("501 5.1.7 Bad sender address syntax");
        return;
      }
      long size = 0;
      for (PathAndParameters.Parameter p : path.parameters()) {
        switch (p.key()) {
          case "SIZE" -> {
            try {
              size = Long.parseLong(p.value());
            } catch (NumberFormatException e) {
              size = -1;
            }
            if (size < 0) {
              sess.sendResponse("501 5.5.4 Bad SIZE parameter: " + p.value());
              return;
            }
          }
          case "BODY" -> {
            String body = p.value() == null ? "" : p.value().toUpperCase(Locale.ROOT);
            if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
              sess.sendResponse("501 5.5.4 Unsupported BODY type: " + p.value());
              return;
            }
          }
          case "SMTPUTF8", "AUTH" -> {
            // accepted: SMTPUTF8 is advertised; AUTH= is informational (RFC 4954)
          }
          default -> {
            sess.sendResponse("555 5.5.4 Unsupported MAIL parameter: " + p.key());
            return;
          }
        }
      }
      if (size > ctx.config().maxMessageBytes()) {
        sess.sendResponse("552 5.3.4 Message size exceeds fixed maximum message size");
        return;
      }
      if (hooks.consult(sess, SmtpStage.MAIL, path.address(), null, null) == Outcome.HANDLED) {
        return;
      }
      sess.startMailTransaction();
      Transaction tx = transaction(sess);
      tx.sender = path.address();
      tx.declaredSize = size;
      sess.sendResponse("250 2.1.0 Ok");
    }
  }

  static final class Rcpt extends BaseCommand {
    private final SmtpContext ctx;
    private final FaultHooks hooks;

    Rcpt(SmtpContext ctx, FaultHooks hooks) {
      super("RCPT", "Adds a recipient; repeat for each one.", "TO:<recipient>");
      this.ctx = ctx;
      this.hooks = hooks;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      if (!sess.isMailTransactionInProgress()) {
        sess.sendResponse("503 5.5.1 Error: need MAIL command");
        return;
      }
      String args = argument(commandString, 4);
      if (!args.regionMatches(true, 0, "TO:", 0, 3)) {
        sess.sendResponse("501 5.5.4 Syntax: RCPT TO:<address>");
        return;
      }
      PathAndParameters path = PathAndParameters.parse(args.substring(3));
      if (path == null || !path.isValidAddress(false)) {
        sess.sendResponse("501 5.1.3 Bad recipient address syntax");
        return;
      }
      if (!path.parameters().isEmpty()) {
        sess.sendResponse(
            "555 5.5.4 Unsupported RCPT parameter: " + path.parameters().get(0).key());
        return;
      }
      Transaction tx = transaction(sess);
      if (tx.hasRecipient(path.address())) {
        sess.sendResponse("250 2.1.5 Ok");
        return;
      }
      if (tx.recipients.size() >= ctx.config().maxRecipients()) {
        sess.sendResponse("452 4.5.3 Error: too many recipients");
        return;
      }
      if (hooks.consult(sess, SmtpStage.RCPT, null, path.address(), null) == Outcome.HANDLED) {
        return;
      }
      tx.recipients.add(path.address());
      sess.addRecipient(path.address());
      sess.sendResponse("250 2.1.5 Ok");
    }
  }

  static final class Data extends BaseCommand {
    private final SmtpContext ctx;
    private final FaultHooks hooks;

    Data(SmtpContext ctx, FaultHooks hooks) {
      super("DATA", "Sends the message, ended by a line with a single dot.");
      this.ctx = ctx;
      this.hooks = hooks;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      if (!argument(commandString, 4).isEmpty()) {
        sess.sendResponse("501 5.5.4 Syntax: DATA (no parameters)");
        return;
      }
      if (!sess.isMailTransactionInProgress()) {
        sess.sendResponse("503 5.5.1 Error: need MAIL command");
        return;
      }
      Transaction tx = transaction(sess);
      if (tx.recipients.isEmpty()) {
        sess.sendResponse("503 5.5.1 Error: need RCPT command");
        return;
      }
      if (tx.chunks != null) {
        sess.sendResponse("503 5.5.1 Error: DATA cannot follow BDAT");
        return;
      }
      if (hooks.consult(sess, SmtpStage.DATA, null, null, null) == Outcome.HANDLED) {
        sess.resetMailTransaction();
        return;
      }
      sess.sendResponse("354 End data with <CR><LF>.<CR><LF>");
      MessageData data = new MessageData(ctx.config().maxMessageBytes(), tx.declaredSize);
      data.readDotTerminated(sess.getRawInput());
      TranscriptRecorder transcript = TranscriptRecorder.of(sess);
      if (transcript != null) {
        transcript.endOfData(data.wireBytes());
      }
      finish(ctx, hooks, sess, tx, data);
    }
  }

  static final class Bdat extends BaseCommand {
    private final SmtpContext ctx;
    private final FaultHooks hooks;

    Bdat(SmtpContext ctx, FaultHooks hooks) {
      super("BDAT", "Sends a chunk of the message (CHUNKING).", "<size> [LAST]");
      this.ctx = ctx;
      this.hooks = hooks;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      String[] args = argument(commandString, 4).split("\\s+");
      long size;
      try {
        size = Long.parseLong(args[0]);
      } catch (NumberFormatException e) {
        size = -1;
      }
      boolean last = args.length == 2 && args[1].equalsIgnoreCase("LAST");
      if (size < 0 || args.length > 2 || (args.length == 2 && !last)) {
        sess.sendResponse("501 5.5.4 Syntax: BDAT <size> [LAST]");
        return;
      }
      // The chunk follows the command whatever we answer, so it is read before any refusal.
      if (!sess.isMailTransactionInProgress() || transaction(sess).recipients.isEmpty()) {
        MessageData.discard(sess.getRawInput(), size);
        sess.sendResponse(
            sess.isMailTransactionInProgress()
                ? "503 5.5.1 Error: need RCPT command"
                : "503 5.5.1 Error: need MAIL command");
        return;
      }
      Transaction tx = transaction(sess);
      if (tx.chunks == null) {
        if (ctx.faults().hasRulesFor(SmtpStage.DATA)) {
          // the chunk is on its way already: a refusal must come after reading it
          MessageData first = new MessageData(ctx.config().maxMessageBytes(), tx.declaredSize);
          first.readChunk(sess.getRawInput(), size);
          if (hooks.consult(sess, SmtpStage.DATA, null, null, null) == Outcome.HANDLED) {
            sess.resetMailTransaction();
            return;
          }
          tx.chunks = first;
        } else {
          tx.chunks = new MessageData(ctx.config().maxMessageBytes(), tx.declaredSize);
          tx.chunks.readChunk(sess.getRawInput(), size);
        }
      } else {
        tx.chunks.readChunk(sess.getRawInput(), size);
      }
      if (last) {
        finish(ctx, hooks, sess, tx, tx.chunks);
      } else if (tx.chunks.isTooLarge()) {
        sess.sendResponse("552 5.3.4 Message size exceeds fixed maximum message size");
      } else {
        sess.sendResponse("250 2.0.0 " + size + " octets received");
      }
    }
  }

  static final class StartTls extends BaseCommand {
    private final SmtpContext ctx;
    private final FaultHooks hooks;
    private final boolean implicitTls;

    StartTls(SmtpContext ctx, FaultHooks hooks, boolean implicitTls) {
      super("STARTTLS", "Starts TLS on this connection.");
      this.ctx = ctx;
      this.hooks = hooks;
      this.implicitTls = implicitTls;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      if (!argument(commandString, 8).isEmpty()) {
        sess.sendResponse("501 5.5.4 Syntax: STARTTLS (no parameters)");
        return;
      }
      if (implicitTls || isTls(sess)) {
        sess.sendResponse("503 5.5.1 Error: TLS already active");
        return;
      }
      if (!ctx.startTlsOffered()) {
        sess.sendResponse("502 5.5.1 Error: STARTTLS is not enabled");
        return;
      }
      if (hooks.consult(sess, SmtpStage.STARTTLS, null, null, null) == Outcome.HANDLED) {
        return;
      }
      sess.sendResponse("220 2.0.0 Ready to start TLS");
      SessionSocket upgraded;
      try {
        upgraded = FaultHooks.socket(sess).startTls(ctx.tls());
      } catch (SSLException e) {
        // the client gave up or cannot agree; nothing can be said to it in clear any more
        sess.quit();
        return;
      }
      // the old buffered input is dropped: anything a client pipelined after STARTTLS is discarded
      sess.setSocket(upgraded);
      sess.resetSmtpProtocol();
      sess.setTlsStarted(true);
    }
  }

  static final class Auth extends BaseCommand {
    private final SmtpContext ctx;
    private final FaultHooks hooks;
    private final AuthCommand exchange = new AuthCommand();

    Auth(SmtpContext ctx, FaultHooks hooks) {
      super("AUTH", "Authenticates (PLAIN, LOGIN, CRAM-MD5).", "<mechanism> [initial-response]");
      this.ctx = ctx;
      this.hooks = hooks;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      if (!ctx.config().auth().isEnabled()) {
        sess.sendResponse("502 5.5.1 Error: authentication is not enabled");
        return;
      }
      if (sess.getHelo().isEmpty()) {
        sess.sendResponse("503 5.5.1 Error: send HELO/EHLO first");
        return;
      }
      if (ctx.tlsRequired() && !isTls(sess)) {
        sess.sendResponse("530 5.7.0 Must issue a STARTTLS command first");
        return;
      }
      if (sess.isAuthenticated()) {
        sess.sendResponse("503 5.5.1 Error: already authenticated");
        return;
      }
      if (sess.isMailTransactionInProgress()) {
        sess.sendResponse("503 5.5.1 Error: AUTH not allowed during a mail transaction");
        return;
      }
      String[] args = argument(commandString, 4).split("\\s+");
      String mechanism = args[0].toUpperCase(Locale.ROOT);
      if (mechanism.isEmpty()) {
        sess.sendResponse("501 5.5.4 Syntax: AUTH mechanism [initial-response]");
        return;
      }
      if (ctx.config().auth().isPlaintextOnlyAfterTls()
          && !isTls(sess)
          && Authentication.PLAINTEXT_MECHANISMS.contains(mechanism)) {
        sess.sendResponse("538 5.7.11 Encryption required for requested authentication mechanism");
        return;
      }
      if (hooks.consult(sess, SmtpStage.AUTH, null, null, null) == Outcome.HANDLED) {
        return;
      }
      exchange.execute(commandString, sess);
    }
  }

  static final class Quit extends BaseCommand {
    private final FaultHooks hooks;

    Quit(FaultHooks hooks) {
      super("QUIT", "Closes the connection.");
      this.hooks = hooks;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      if (hooks.consult(sess, SmtpStage.QUIT, null, null, null) == Outcome.HANDLED) {
        sess.quit();
        return;
      }
      sess.sendResponse("221 2.0.0 Bye");
      sess.quit();
    }
  }

  static final class Simple extends BaseCommand {
    enum Kind {
      RSET,
      NOOP,
      VRFY,
      EXPN,
      HELP
    }

    private final Kind kind;

    Simple(String verb, String help, Kind kind) {
      super(verb, help);
      this.kind = kind;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      switch (kind) {
        case RSET -> {
          sess.resetMailTransaction();
          sess.sendResponse("250 2.0.0 Ok");
        }
        case NOOP -> sess.sendResponse("250 2.0.0 Ok");
        case VRFY -> {
          if (argument(commandString, 4).isEmpty()) {
            sess.sendResponse("501 5.5.4 Syntax: VRFY <address>");
          } else {
            sess.sendResponse(
                "252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery");
          }
        }
        case EXPN -> sess.sendResponse("502 5.5.1 EXPN is not supported");
        case HELP ->
            sess.sendResponse(
                "214-2.0.0 Mailsink captures every message and delivers none.\r\n"
                    + "214-2.0.0 Commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT\r\n"
                    + "214 2.0.0 End of HELP info");
        default -> throw new IllegalStateException(kind.name());
      }
    }
  }
}
