package dev.mailsink.internal.smtp;

import dev.mailsink.MailsinkException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.subethamail.smtp.internal.proxy.ProxyHandler;
import org.subethamail.smtp.internal.server.ServerThread;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * Accepts the connections of one listener and runs each one's SubEthaSMTP session on the thread
 * that accepted it. SubEthaSMTP's own accept thread hands every connection to an executor thread
 * instead, which puts a second thread wake-up between a connection and its greeting; here the next
 * waiting thread is woken beside the session, not before it.
 *
 * <p>The threads take turns: one blocks in {@code accept} (the JDK lets one thread at a time accept
 * on a listener) while the others wait for the turn. A thread that accepts passes the turn on and
 * serves its session; if nobody was left waiting it first starts one more thread. After its session
 * a thread waits for another turn if fewer than {@link #SPARE_THREADS} are waiting, and otherwise
 * ends, so that a burst of connections leaves no crowd of idle threads behind.
 */
final class Acceptor {
  private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());

  /** Threads kept waiting for a connection while no connection arrives. */
  static final int SPARE_THREADS = 2;

  /** After an accept fails for a reason other than closing (such as too many open files). */
  private static final Duration ACCEPT_RETRY = Duration.ofSeconds(1);

  /**
   * A SubEthaSMTP session reports its end to a {@link ServerThread}, which releases a semaphore
   * permit each time; as no session ever acquires one here, a thread's bookkeeper is replaced long
   * before the permit count could overflow.
   */
  private static final int SESSIONS_PER_BOOKKEEPER = 1 << 30;

  private final SMTPServer server;
  private final ServerSocket listener;
  private final ExecutorService threads;
  private final Shutdown shutdown;
  private final AtomicInteger waiting = new AtomicInteger();
  // a thread started by start() or startAnother() that has not begun to wait yet
  private final AtomicBoolean starting = new AtomicBoolean();

  /**
   * @param server the settings and command set of the sessions; it is never started itself
   * @param listener a bound listener whose accepted sockets the sessions talk through
   * @param threads what the accepting and serving threads run on; shut down by {@link
   *     #awaitSessions}
   */
  Acceptor(SMTPServer server, ServerSocket listener, ExecutorService threads, Shutdown shutdown) {
    this.server = server;
    this.listener = listener;
    this.threads = threads;
    this.shutdown = shutdown;
  }

  /**
   * Starts the first thread.
   *
   * @throws MailsinkException if the executor refuses it
   */
  void start() {
    try {
      starting.set(true);
      threads.execute(this::acceptAndServe);
    } catch (RejectedExecutionException e) {
      starting.set(false);
      throw new MailsinkException(
          "The SMTP connection executor refused the first thread; is it shut down already?", e);
    }
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Stops accepting; threads in a session carry on until {@link #awaitSessions}. */
  void closeListener() {
    try {
      listener.close();
    } catch (IOException e) {
      // the listener is unusable either way, which is all that closing it is for
    }
  }

  /** Waits until every thread has ended; the listener must be closed and the sessions ending. */
  void awaitSessions() {
    threads.shutdown();
    try {
      threads.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startAnother() {
    if (!starting.compareAndSet(false, true)) {
      return; // one is on its way, and it is enough: each thread starts the next only when needed
    }
    try {
      threads.execute(this::acceptAndServe);
    } catch (RejectedExecutionException e) {
      starting.set(false);
      if (!listener.isClosed()) {
        // the thread now serving waits for the next connection when its session ends
        LOG.log(
            System.Logger.Level.WARNING,
            "The SMTP connection executor refused a thread; new connections wait for a session to"
                + " end",
            e);
      }
    }
  }

  private void acceptAndServe() {
    starting.set(false);
    ServerThread bookkeeper = null;
    int served = 0;
    boolean ended = false;
    try {
      for (Socket socket = next(); socket != null; socket = next()) {
        if (bookkeeper == null || served == SESSIONS_PER_BOOKKEEPER) {
          bookkeeper = new ServerThread(server, listener, ProxyHandler.NOP);
          served = 0;
        }
        served++;
        serve(socket, bookkeeper);
        if (waiting.get() >= SPARE_THREADS) {
          break;
        }
      }
      ended = true;
    } finally {
      if (!ended && waiting.get() == 0 && !listener.isClosed()) {
        startAnother(); // an Error ends this thread; the listener must not be left unattended
      }
    }
  }

  /** Waits for the next connection; null once the listener is closed. */
  private Socket next() {
    while (true) {
      waiting.incrementAndGet();
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        waiting.decrementAndGet();
        if (listener.isClosed()) {
          return null;
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "Cannot accept an SMTP connection on port "
                + listener.getLocalPort()
                + "; trying again in "
                + ACCEPT_RETRY.toSeconds()
                + " s",
            e);
        try {
          shutdown.pause(ACCEPT_RETRY);
        } catch (IOException closing) {
          return null;
        }
        continue;
      }
      if (waiting.decrementAndGet() == 0) {
        startAnother();
      }
      return socket;
    }
  }

  private void serve(Socket socket, ServerThread bookkeeper) {
    Session session;
    try {
      session = new Session(server, bookkeeper, socket, ProxyHandler.NOP);
    } catch (IOException e) {
      closeQuietly(socket);
      return;
    }
    try {
      session.run();
    } catch (RuntimeException e) {
      // SubEthaSMTP has answered 421 and closed the connection; this thread serves on
      LOG.log(System.Logger.Level.ERROR, "An SMTP session ended with an unexpected error", e);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing is left to release
    }
  }
}
