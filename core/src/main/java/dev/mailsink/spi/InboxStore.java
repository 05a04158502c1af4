package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A mailbox that {@link RecipientMailbox} views can filter: it remembers which messages each
 * recipient deleted from their own inbox, and waits for messages matching any filter. Implemented
 * by the in-memory mailbox and by the remote client.
 */
public interface InboxStore extends Mailbox {

  /** Whether the recipient (lower-case address) deleted the message from their inbox. */
  boolean isHiddenFor(String recipientKey, long id);

  /** Deletes the message from the recipient's (lower-case address) inbox only. */
  void hideFor(String recipientKey, long id);

  /**
   * Waits until {@code wanted} messages match {@code filter}, as {@link Mailbox#await(Predicate,
   * int, Duration)} does; {@code what} describes the filter in the failure message.
   */
  List<CapturedMessage> awaitMatching(
      Predicate<? super CapturedMessage> filter, String what, int wanted, Duration timeout);
}
