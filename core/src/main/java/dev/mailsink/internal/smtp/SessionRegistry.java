package dev.mailsink.internal.smtp;

import dev.mailsink.internal.fault.FaultEngine;
import dev.mailsink.internal.session.SessionStore;
import dev.mailsink.session.SessionEnd;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Admits sessions up to the connection limit (across the plain and the implicit-TLS listener),
 * applies CONNECT fault rules, keeps the live sessions so that close can end them, and starts the
 * transcript of each session when sessions are recorded.
 */
final class SessionRegistry implements SessionHandler {
  private final int maxConnections;
  private final FaultHooks faults;
  private final SessionStore transcripts;
  private final Shutdown shutdown;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Session> live = ConcurrentHashMap.newKeySet();

  /**
   * @param transcripts where session transcripts go, or null when sessions are not recorded
   */
  SessionRegistry(
      int maxConnections, FaultHooks faults, SessionStore transcripts, Shutdown shutdown) {
    this.maxConnections = maxConnections;
    this.faults = faults;
    this.transcripts = transcripts;
    this.shutdown = shutdown;
  }

  @Override
  public SessionAcceptance accept(Session session) {
    TranscriptRecorder recorder = startTranscript(session);
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      if (recorder != null) {
        recorder.ending(SessionEnd.REFUSED, "over the limit of " + maxConnections + " connections");
      }
      return SessionAcceptance.failure(421, "4.7.0 Too many connections, try again later");
    }
    live.add(session);
    // after the add: a session that stop's closeAll() did not see is one that sees the shutdown
    // here
    if (shutdown.isClosing()) {
      session.quit();
      release(session);
      if (recorder != null) {
        recorder.ending(SessionEnd.SERVER_CLOSING, "closing before the greeting");
      }
      return SessionAcceptance.failure(421, "4.3.2 Server closing");
    }
    if (session.getSocket() instanceof SessionSocket s && s.isTls()) {
      session.setTlsStarted(true);
    }
    FaultEngine.Firing firing = faults.consultConnect(session);
    if (firing != null) {
      try {
        if (faults.applyAtConnect(session, firing) == FaultHooks.Outcome.HANDLED) {
          // the fault already answered (or cut the line); SubEthaSMTP's own reply then goes nowhere
          session.quit();
          release(session);
          return SessionAcceptance.failure(421, "4.3.2 Closing");
        }
      } catch (IOException e) {
        session.quit();
        release(session);
        return SessionAcceptance.failure(421, "4.3.2 Server closing");
      }
    }
    return SessionAcceptance.success();
  }

  private TranscriptRecorder startTranscript(Session session) {
    if (transcripts == null || !(session.getSocket() instanceof SessionSocket s)) {
      return null;
    }
    TranscriptRecorder recorder =
        new TranscriptRecorder(
            transcripts.open(
                session.getSessionId(),
                FaultHooks.clientAddress(session),
                session.getRemoteAddress().getPort(),
                s.getLocalPort()),
            shutdown);
    s.record(recorder);
    return recorder;
  }

  @Override
  public void onSessionEnd(Session session) {
    release(session);
  }

  private void release(Session session) {
    if (live.remove(session)) {
      open.decrementAndGet();
    }
  }

  int openSessions() {
    return open.get();
  }

  /** Ends the reads that have waited longer than the idle timeout; see {@link IdleWatch}. */
  void expireIdleReads(long now) {
    for (Session s : live) {
      if (s.getSocket() instanceof SessionSocket socket) {
        socket.expireIdleRead(now);
      }
    }
  }

  void closeAll() {
    for (Session s : live) {
      s.quit();
    }
  }
}
