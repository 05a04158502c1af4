package dev.mailsink;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The read side of captured mail: list, find, wait for, and remove messages. One interface serves
 * the in-memory mailbox of a {@link Mailsink} and remote clients of a Mailsink server, so tests and
 * assertions are written once.
 *
 * <p>Implementations are thread-safe. Lists returned are snapshots: later arrivals do not change
 * them.
 */
public interface Mailbox {

  /** The order of a listing. */
  enum Order {
    /** In order of arrival. */
    OLDEST_FIRST,
    /** Most recent arrival first. */
    NEWEST_FIRST
  }

  /** Returns every message, oldest first. */
  default List<CapturedMessage> messages() {
    return messages(Order.OLDEST_FIRST);
  }

  /** Returns every message in the given order. */
  List<CapturedMessage> messages(Order order);

  /** Returns the messages that match {@code filter}, oldest first. */
  List<CapturedMessage> find(Predicate<? super CapturedMessage> filter);

  /** Returns the message with this id, if it is still stored. */
  Optional<CapturedMessage> findById(long id);

  /** Returns the most recently received message, if any. */
  Optional<CapturedMessage> latest();

  /** Returns how many messages are stored. */
  int count();

  /**
   * Removes the message with this id.
   *
   * @return whether a message was removed
   */
  boolean delete(long id);

  /**
   * Removes every message.
   *
   * @return how many messages were removed
   */
  int clear();

  /**
   * Waits until at least {@code count} messages are stored and returns them all, oldest first.
   * Returns at once when they are already there; otherwise wakes on each arrival (no polling).
   *
   * @param count how many messages to wait for; 0 returns at once
   * @param timeout how long to wait at most
   * @return every stored message (at least {@code count}), oldest first
   * @throws MailsinkAssertionError when the timeout passes first; its message lists what arrived
   * @throws IllegalArgumentException if {@code count} is negative or {@code timeout} negative
   * @throws MailsinkException if the waiting thread is interrupted (its interrupt flag is restored)
   */
  List<CapturedMessage> await(int count, Duration timeout);

  /**
   * Waits until at least {@code count} stored messages match {@code filter} and returns the
   * matching ones, oldest first. Returns at once when they are already there; otherwise wakes on
   * each arrival.
   *
   * @throws MailsinkAssertionError when the timeout passes first; its message lists what arrived
   * @throws IllegalArgumentException if {@code count} is negative or {@code timeout} negative
   * @throws MailsinkException if the waiting thread is interrupted (its interrupt flag is restored)
   */
  List<CapturedMessage> await(
      Predicate<? super CapturedMessage> filter, int count, Duration timeout);

  /**
   * Returns the inbox of one recipient: the messages whose envelope names {@code address} (To, Cc
   * and Bcc alike, compared without regard to case). Deleting from it or clearing it removes
   * messages from that inbox; other recipients' inboxes keep them, and a message that every one of
   * its envelope recipients has deleted is deleted from this mailbox too. POP3 and IMAP logins read
   * and delete through these inboxes.
   */
  Mailbox forRecipient(String address);

  /**
   * Returns one namespace of this mailbox's server: a slice of the one store that behaves like a
   * whole mailbox of its own. Listing, finding, counting, waiting, deleting, clearing, listeners
   * and {@link #forRecipient(String)} views see only the messages the server's {@link
   * NamespaceRule} put in {@code name} (compared without regard to case); the root mailbox still
   * sees every message. The view shares the store (nothing is copied); clearing it deletes its
   * messages one by one ({@code deleted} events), and its listeners hear {@code cleared} when the
   * whole mailbox is cleared. Namespaces do not nest: {@code namespace(name)} on a namespace or
   * recipient view returns the server's namespace {@code name}.
   *
   * @throws IllegalArgumentException if {@code name} is blank or contains spaces or {@code @}
   */
  Mailbox namespace(String name);

  /**
   * Registers a listener until the returned subscription is closed.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  Subscription subscribe(MailboxListener listener);

  /** Returns how many messages were evicted so far to stay within the retention limits. */
  long evictedCount();

  /** A registered listener; {@link #close()} unregisters it. */
  interface Subscription extends AutoCloseable {
    /** Unregisters the listener; idempotent. */
    @Override
    void close();
  }
}
