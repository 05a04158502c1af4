package dev.mailsink.internal.smtp;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.internal.store.InMemoryMailbox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/**
 * Mailsink's replacements for SubEthaSMTP's commands. Each one answers with enhanced status codes,
 * honours the configured limits, and reads message data in bulk. SubEthaSMTP still runs the
 * session: the socket, the command loop, AUTH and the transaction's lifetime.
 */
final class SmtpCommands {
  private SmtpCommands() {}

  static List<Command> all(MailsinkConfig config, InMemoryMailbox mailbox) {
    Store store = new Store(mailbox);
    return List.of(
        new Ehlo(config),
        new Helo(config),
        new Mail(config),
        new Rcpt(config),
        new Data(config, store),
        new Bdat(config, store),
        new Simple("RSET", "Aborts the current mail transaction.", Simple.Kind.RSET),
        new Simple("NOOP", "Does nothing.", Simple.Kind.NOOP),
        new Simple("VRFY", "Verifies an address (never confirmed).", Simple.Kind.VRFY),
        new Simple("EXPN", "Expands a mailing list (not supported).", Simple.Kind.EXPN),
        new Simple("HELP", "Lists the commands.", Simple.Kind.HELP),
        new Simple("QUIT", "Closes the connection.", Simple.Kind.QUIT),
        new Simple("STARTTLS", "Starts TLS (not enabled).", Simple.Kind.NO_TLS));
  }

  /** Turns a finished transaction into a stored message. */
  static final class Store {
    private final InMemoryMailbox mailbox;

    Store(InMemoryMailbox mailbox) {
      this.mailbox = mailbox;
    }

    CapturedMessage store(Session sess, Transaction tx, byte[] bytes) {
      InetSocketAddress client = sess.getRemoteAddress();
      String authUser =
          sess.getAuthenticationHandler()
              .map(AuthenticationHandler::getIdentity)
              .map(String::valueOf)
              .orElse(null);
      Envelope envelope =
          new Envelope(
              tx.sender,
              tx.recipients,
              sess.getHelo().orElse(""),
              client.getAddress() == null
                  ? client.getHostString()
                  : client.getAddress().getHostAddress(),
              client.getPort(),
              sess.getSessionId(),
              null,
              null,
              authUser);
      return mailbox.store(envelope, bytes);
    }
  }

  static Transaction transaction(Session sess) {
    return (Transaction) sess.getMessageHandler();
  }

  static String argument(String commandString, int verbLength) {
    return commandString.length() <= verbLength ? "" : commandString.substring(verbLength).strip();
  }

  static final class Ehlo extends BaseCommand {
    private final MailsinkConfig config;

    Ehlo(MailsinkConfig config) {
      super("EHLO", "Introduce yourself and list the extensions.", "<hostname>");
      this.config = config;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      String name = argument(commandString, 4);
      if (name.isEmpty()) {
        sess.sendResponse("501 5.5.4 Syntax: EHLO hostname");
        return;
      }
      sess.resetMailTransaction();
      sess.setHelo(name);
      // one write for the whole reply; see SessionSocket
      sess.sendResponse(
          "250-"
              + config.hostName()
              + " greets "
              + name
              + "\r\n250-PIPELINING\r\n250-SIZE "
              + config.maxMessageBytes()
              + "\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-CHUNKING\r\n250-HELP"
              + "\r\n250 ENHANCEDSTATUSCODES");
    }
  }

  static final class Helo extends BaseCommand {
    private final MailsinkConfig config;

    Helo(MailsinkConfig config) {
      super("HELO", "Introduce yourself.", "<hostname>");
      this.config = config;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      String name = argument(commandString, 4);
      if (name.isEmpty()) {
        sess.sendResponse("501 5.5.4 Syntax: HELO hostname");
        return;
      }
      sess.resetMailTransaction();
      sess.setHelo(name);
      sess.sendResponse("250 " + config.hostName());
    }
  }

  static final class Mail extends BaseCommand {
    private final MailsinkConfig config;

    Mail(MailsinkConfig config) {
      super(
          "MAIL",
          "Starts a transaction with the sender.",
          "FROM:<sender> [SIZE=n] [BODY=8BITMIME] [SMTPUTF8]");
      this.config = config;
    }

    @Override
    public void execute(String commandString, Session sess) throws IOException {
      if (sess.getHelo().isEmpty()) {
        sess.sendResponse("503 5.5.1 Error: send HELO/EHLO first");
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
      if (size > config.maxMessageBytes()) {
        sess.sendResponse("552 5.3.4 Message size exceeds fixed maximum message size");
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
    private final MailsinkConfig config;

    Rcpt(MailsinkConfig config) {
      super("RCPT", "Adds a recipient; repeat for each one.", "TO:<recipient>");
      this.config = config;
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
      if (tx.recipients.size() >= config.maxRecipients()) {
        sess.sendResponse("452 4.5.3 Error: too many recipients");
        return;
      }
      tx.recipients.add(path.address());
      sess.addRecipient(path.address());
      sess.sendResponse("250 2.1.5 Ok");
    }
  }

  static final class Data extends BaseCommand {
    private final MailsinkConfig config;
    private final Store store;

    Data(MailsinkConfig config, Store store) {
      super("DATA", "Sends the message, ended by a line with a single dot.");
      this.config = config;
      this.store = store;
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
      sess.sendResponse("354 End data with <CR><LF>.<CR><LF>");
      MessageData data = new MessageData(config.maxMessageBytes(), tx.declaredSize);
      data.readDotTerminated(sess.getRawInput());
      finish(sess, tx, data, store);
    }
  }

  static void finish(Session sess, Transaction tx, MessageData data, Store store)
      throws IOException {
    if (data.isTooLarge()) {
      sess.resetMailTransaction();
      sess.sendResponse("552 5.3.4 Message size exceeds fixed maximum message size");
      return;
    }
    CapturedMessage stored = store.store(sess, tx, data.toByteArray());
    sess.resetMailTransaction();
    sess.sendResponse("250 2.0.0 Ok: queued as " + stored.id());
  }

  static final class Bdat extends BaseCommand {
    private final MailsinkConfig config;
    private final Store store;

    Bdat(MailsinkConfig config, Store store) {
      super("BDAT", "Sends a chunk of the message (CHUNKING).", "<size> [LAST]");
      this.config = config;
      this.store = store;
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
        tx.chunks = new MessageData(config.maxMessageBytes(), tx.declaredSize);
      }
      tx.chunks.readChunk(sess.getRawInput(), size);
      if (last) {
        finish(sess, tx, tx.chunks, store);
      } else if (tx.chunks.isTooLarge()) {
        sess.sendResponse("552 5.3.4 Message size exceeds fixed maximum message size");
      } else {
        sess.sendResponse("250 2.0.0 " + size + " octets received");
      }
    }
  }

  static final class Simple extends BaseCommand {
    enum Kind {
      RSET,
      NOOP,
      VRFY,
      EXPN,
      HELP,
      QUIT,
      NO_TLS
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
                    + "214-2.0.0 Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT\r\n"
                    + "214 2.0.0 End of HELP info");
        case QUIT -> {
          sess.sendResponse("221 2.0.0 Bye");
          sess.quit();
        }
        case NO_TLS -> sess.sendResponse("502 5.5.1 Error: STARTTLS is not enabled");
        default -> throw new IllegalStateException(kind.name());
      }
    }
  }
}
