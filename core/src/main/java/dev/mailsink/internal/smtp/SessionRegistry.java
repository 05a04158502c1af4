package dev.mailsink.internal.smtp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Admits sessions up to the connection limit and keeps the live ones, so that close can end them.
 */
final class SessionRegistry implements SessionHandler {
  private final int maxConnections;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Session> live = ConcurrentHashMap.newKeySet();

  SessionRegistry(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  @Override
  public SessionAcceptance accept(Session session) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      return SessionAcceptance.failure(421, "4.7.0 Too many connections, try again later");
    }
    live.add(session);
    return SessionAcceptance.success();
  }

  @Override
  public void onSessionEnd(Session session) {
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
