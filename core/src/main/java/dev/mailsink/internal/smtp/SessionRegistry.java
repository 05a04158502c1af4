package dev.mailsink.internal.smtp;

import dev.mailsink.internal.fault.FaultEngine;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Admits sessions up to the connection limit (across the plain and the implicit-TLS listener),
 * applies CONNECT fault rules, and keeps the live sessions so that close can end them.
 */
final class SessionRegistry implements SessionHandler {
  private final int maxConnections;
  private final FaultHooks faults;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Session> live = ConcurrentHashMap.newKeySet();

  SessionRegistry(int maxConnections, FaultHooks faults) {
    this.maxConnections = maxConnections;
    this.faults = faults;
  }

  @Override
  public SessionAcceptance accept(Session session) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      return SessionAcceptance.failure(421, "4.7.0 Too many connections, try again later");
    }
    live.add(session);
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

  void closeAll() {
    for (Session s : live) {
      s.quit();
    }
  }
}
