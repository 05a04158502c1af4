package dev.mailsink.relay;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The releases of a server, oldest first: requested on demand or by auto-relay rules, pending or
 * done. Bounded: the oldest done releases are forgotten beyond {@value #RETAINED_RELEASES}.
 * Implementations are thread-safe; lists are snapshots.
 */
public interface ReleaseLog {

  /** How many done releases are kept at most. */
  int RETAINED_RELEASES = 10_000;

  /** Every retained release, oldest first. */
  List<Release> releases();

  /** The releases of one message, oldest first. */
  List<Release> forMessage(long messageId);

  /** The release with this id, if retained. */
  Optional<Release> findById(long id);

  /**
   * Waits until the release is done (delivered, partially delivered or failed) and returns it.
   *
   * @throws dev.mailsink.MailsinkAssertionError when the timeout passes first, with its state
   * @throws java.util.NoSuchElementException if no release has this id
   * @throws dev.mailsink.MailsinkException if the waiting thread is interrupted
   */
  Release awaitDone(long id, Duration timeout);

  /**
   * Returns the releases of one namespace ({@link dev.mailsink.Mailbox#namespace(String)}): a
   * release belongs to the namespace of its message ({@link
   * dev.mailsink.CapturedMessage#namespace()}), even after the message is deleted; releases of
   * messages in no namespace are seen by the whole log only. Every method sees only the namespace's
   * releases: another's id is not found (an empty {@code Optional}, or {@link
   * java.util.NoSuchElementException} from {@link #awaitDone}). The view filters the one log
   * (nothing is copied). Namespaces do not nest: {@code namespace(name)} on a view returns the
   * log's namespace {@code name}.
   *
   * @throws IllegalArgumentException if {@code name} is blank or contains spaces or {@code @}
   */
  ReleaseLog namespace(String name);
}
