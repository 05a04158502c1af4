package dev.mailsink.internal.smtp;

import dev.mailsink.CapturedMessage;
import dev.mailsink.fault.FaultAction;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.internal.fault.FaultContext;
import dev.mailsink.internal.fault.FaultEngine;
import dev.mailsink.session.SessionEnd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.server.Session;

/** Consults the fault rules at a stage of a session and carries out what fires. */
final class FaultHooks {
  private final FaultEngine faults;
  private final Shutdown shutdown;

  FaultHooks(FaultEngine faults, Shutdown shutdown) {
    this.faults = faults;
    this.shutdown = shutdown;
  }

  /** What the command should do after the rules were consulted. */
  enum Outcome {
    /** Nothing fired, or a delay or slow link did: go on normally. */
    PROCEED,
    /** A reply was sent instead (or the connection is gone): stop here. */
    HANDLED
  }

  /**
   * Consults the rules for {@code stage}.
   *
   * @param sender the sender when known before the transaction exists (at MAIL), else null
   * @param recipient the recipient being added (at RCPT), else null
   * @param message the received message (at END_OF_DATA), else null
   */
  Outcome consult(
      Session sess, SmtpStage stage, String sender, String recipient, CapturedMessage message)
      throws IOException {
    if (!faults.hasRulesFor(stage)) {
      return Outcome.PROCEED;
    }
    FaultContext context = context(sess, sender, recipient, message);
    FaultEngine.Firing firing = faults.evaluate(stage, context);
    if (firing == null) {
      return Outcome.PROCEED;
    }
    return apply(sess, stage, context, firing);
  }

  /** Consults the rules before the greeting; returns the reply to refuse with, or null. */
  FaultEngine.Firing consultConnect(Session sess) {
    if (!faults.hasRulesFor(SmtpStage.CONNECT)) {
      return null;
    }
    return faults.evaluate(SmtpStage.CONNECT, context(sess, null, null, null));
  }

  Outcome applyAtConnect(Session sess, FaultEngine.Firing firing) throws IOException {
    return apply(sess, SmtpStage.CONNECT, context(sess, null, null, null), firing);
  }

  private Outcome apply(
      Session sess, SmtpStage stage, FaultContext context, FaultEngine.Firing firing)
      throws IOException {
    FaultAction action = firing.action();
    if (action instanceof FaultAction.Reply reply) {
      String line = reply.code() + " " + withEnhancedCode(reply);
      record(sess, firing, stage, context, line);
      shutdown.pause(reply.delay());
      if (reply.code() == 421 || stage == SmtpStage.CONNECT) {
        ending(sess, "rule #" + firing.ruleId() + " at " + stage + " replied " + line);
      }
      sess.sendResponse(line);
      if (reply.code() == 421) {
        sess.quit();
      }
      return Outcome.HANDLED;
    }
    if (action instanceof FaultAction.Delay delay) {
      record(sess, firing, stage, context, "delay " + delay.duration());
      shutdown.pause(delay.duration());
      return Outcome.PROCEED;
    }
    if (action instanceof FaultAction.SlowLink slow) {
      record(sess, firing, stage, context, "slow link " + slow.bytesPerSecond() + " bytes/s");
      socket(sess).throttle(slow.bytesPerSecond());
      return Outcome.PROCEED;
    }
    if (action instanceof FaultAction.Disconnect) {
      record(sess, firing, stage, context, "disconnect");
      ending(sess, "rule #" + firing.ruleId() + " at " + stage + " cut the connection");
      if (stage == SmtpStage.DATA) {
        // cut the line while the message is on its way
        sess.sendResponse("354 End data with <CR><LF>.<CR><LF>");
        sess.getRawInput().read(new byte[4096]);
      }
      abort(sess);
      return Outcome.HANDLED;
    }
    if (action instanceof FaultAction.Stall) {
      record(sess, firing, stage, context, "stall");
      ending(sess, "rule #" + firing.ruleId() + " at " + stage + " stalled the session");
      stall(sess);
      return Outcome.HANDLED;
    }
    if (action instanceof FaultAction.TlsFailure) {
      record(sess, firing, stage, context, "tls failure");
      ending(sess, "rule #" + firing.ruleId() + " at " + stage + " failed the TLS handshake");
      sess.sendResponse("220 2.0.0 Ready to start TLS");
      OutputStream raw = socket(sess).delegate().getOutputStream();
      raw.write("this is not a TLS handshake\r\n".getBytes(StandardCharsets.US_ASCII));
      raw.flush();
      abort(sess);
      return Outcome.HANDLED;
    }
    // Greylist and RateLimit reach the session as replies; nothing else is left.
    throw new IllegalStateException("unexpected fault action " + action);
  }

  /** Records a firing in the rules' events and in the session's transcript. */
  private void record(
      Session sess, FaultEngine.Firing firing, SmtpStage stage, FaultContext context, String what) {
    faults.record(firing, stage, context, what);
    TranscriptRecorder transcript = TranscriptRecorder.of(sess);
    if (transcript != null) {
      transcript.fault(firing.ruleId(), stage.name(), what);
    }
  }

  private static void ending(Session sess, String detail) {
    TranscriptRecorder transcript = TranscriptRecorder.of(sess);
    if (transcript != null) {
      transcript.ending(SessionEnd.FAULT, detail);
    }
  }

  /** Ends the session with a TCP reset and no reply. */
  static void abort(Session sess) {
    socket(sess).reset();
    sess.quit();
  }

  /** Reads and drops input until the client or the server closes; never replies. */
  private void stall(Session sess) throws IOException {
    InputStream in = sess.getRawInput();
    byte[] sink = new byte[4096];
    // a stall outlasts the idle timeout: it is the client that must give up
    socket(sess).setSoTimeout(0);
    while (!shutdown.isClosing()) {
      try {
        if (in.read(sink) < 0) {
          break;
        }
      } catch (SocketTimeoutException idle) {
        // only from a timeout set before the stall began
      }
    }
    sess.quit();
  }

  /**
   * Whether the client is still there, checked without consuming input: a delayed END_OF_DATA must
   * not store a message whose sender has already hung up and will never see the 250.
   */
  static boolean isClientGone(Session sess) {
    InputStream in = sess.getRawInput();
    SessionSocket socket = socket(sess);
    try {
      in.mark(1);
      socket.probeTimeout(1);
      try {
        int b = in.read();
        if (b < 0) {
          return true;
        }
        in.reset();
        return false;
      } catch (SocketTimeoutException stillThere) {
        return false;
      } finally {
        socket.probeTimeout(0);
      }
    } catch (IOException e) {
      return true;
    }
  }

  static SessionSocket socket(Session sess) {
    return (SessionSocket) sess.getSocket();
  }

  private static String withEnhancedCode(FaultAction.Reply reply) {
    String text = reply.text();
    if (text.matches("[245]\\.\\d{1,3}\\.\\d{1,3}( .*)?")) {
      return text;
    }
    String enhanced = reply.code() / 100 + ".0.0";
    return text.isEmpty() ? enhanced : enhanced + " " + text;
  }

  static FaultContext context(
      Session sess, String sender, String recipient, CapturedMessage message) {
    Transaction tx =
        sess.isMailTransactionInProgress() ? (Transaction) sess.getMessageHandler() : null;
    return new FaultContext(
        sess.getSessionId(),
        clientAddress(sess),
        authUser(sess),
        sender != null ? sender : tx == null ? null : tx.sender,
        recipient,
        tx == null ? List.of() : List.copyOf(tx.recipients),
        message);
  }

  static String clientAddress(Session sess) {
    InetSocketAddress client = sess.getRemoteAddress();
    return client.getAddress() == null
        ? client.getHostString()
        : client.getAddress().getHostAddress();
  }

  static String authUser(Session sess) {
    return sess.getAuthenticationHandler()
        .map(AuthenticationHandler::getIdentity)
        .map(String::valueOf)
        .orElse(null);
  }
}
