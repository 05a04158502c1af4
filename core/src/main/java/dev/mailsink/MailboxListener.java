package dev.mailsink;

/**
 * Hears about changes to a {@link Mailbox}.
 *
 * <p>Callbacks run on a delivery thread of the mailbox, never on the SMTP session's thread: a
 * message is stored (and visible to {@code await}, the API and other readers) before the client is
 * answered, and its listeners hear of it right after, without delaying the client. Each listener
 * gets every event, one at a time and in the order of the changes; different listeners run
 * independently. A listener may read and change the mailbox from its callbacks. Events wait in a
 * bounded queue per listener (65,536 events): a listener that falls that far behind makes the next
 * change wait until it has caught up, so events are never dropped and memory stays bounded. An
 * exception thrown by a listener is logged and does not affect the mailbox or later events. Once
 * its subscription is closed, no further callback starts.
 */
public interface MailboxListener {

  /** A message was stored. */
  default void received(CapturedMessage message) {}

  /** A message was removed, by {@link Mailbox#delete(long)} or by eviction. */
  default void deleted(CapturedMessage message) {}

  /** Every message was removed by {@link Mailbox#clear()}. */
  default void cleared() {}
}
