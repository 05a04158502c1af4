package dev.mailsink.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The transcripts of the SMTP sessions a server served, open and ended, oldest first: those that
 * delivered mail and those that did not (refused, dropped, greylisted), so that a test can assert
 * why a client failed. Bounded by count and bytes; the oldest ended sessions are evicted first.
 *
 * <pre>{@code
 * Transcript first = sink.sessions().await(s -> !s.isOpen(), 1, Duration.ofSeconds(5)).get(0);
 * assertThat(first.replies()).anyMatch(r -> r.startsWith("451 4.7.1"));
 * }</pre>
 *
 * <p>Implementations are thread-safe; lists returned are snapshots.
 */
public interface SessionLog {

  /** Every retained session, oldest first (by the time it started). */
  List<Transcript> sessions();

  /** The sessions that match {@code filter}, oldest first. */
  List<Transcript> find(Predicate<? super Transcript> filter);

  /** The session with this id, if it is retained. */
  Optional<Transcript> findById(String id);

  /**
   * Waits until at least {@code count} retained sessions match {@code filter} and returns the
   * matching ones, oldest first. The filter is tested again each time a session starts or ends (not
   * on every line), so filter on ended sessions ({@code !s.isOpen()}) to see them whole.
   *
   * @throws dev.mailsink.MailsinkAssertionError when the timeout passes first; its message lists
   *     the sessions there were
   * @throws IllegalArgumentException if {@code count} or {@code timeout} is negative
   * @throws dev.mailsink.MailsinkException if the waiting thread is interrupted (its interrupt flag
   *     is restored)
   */
  List<Transcript> await(Predicate<? super Transcript> filter, int count, Duration timeout);

  /**
   * Forgets every ended session; sessions still open stay and are listed when they end.
   *
   * @return how many sessions were forgotten
   */
  int clear();

  /**
   * How many ended sessions were evicted so far to stay within the retention limits; for a {@link
   * #namespace(String)} view, the whole log's count.
   */
  long evictedCount();

  /**
   * Returns the sessions of one namespace ({@link dev.mailsink.Mailbox#namespace(String)}): a
   * session belongs to a namespace once it has stored at least one message in it ({@link
   * dev.mailsink.CapturedMessage#namespace()}), from that message on, and to each namespace it
   * stored mail in; a session that stored nothing (refused, dropped, greylisted, still before its
   * first message) belongs to no namespace and is seen by the whole log only. Listing, finding and
   * waiting see only the namespace's sessions ({@link #await} also wakes when a session joins it);
   * {@link #clear()} forgets only its ended sessions. The view filters the one log (nothing is
   * copied) and is as thread-safe as it. Namespaces do not nest: {@code namespace(name)} on a view
   * returns the log's namespace {@code name}.
   *
   * @throws IllegalArgumentException if {@code name} is blank or contains spaces or {@code @}
   */
  SessionLog namespace(String name);
}
