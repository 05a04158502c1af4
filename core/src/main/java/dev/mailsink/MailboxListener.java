package dev.mailsink;

/**
 * Hears about changes to a {@link Mailbox}. Callbacks run on the thread that made the change (for
 * arrivals, the SMTP session's thread, before the client is answered), so they must be quick and
 * must not block; an exception thrown by a listener is logged and does not affect the mailbox.
 */
public interface MailboxListener {

  /** A message was stored. */
  default void received(CapturedMessage message) {}

  /** A message was removed, by {@link Mailbox#delete(long)} or by eviction. */
  default void deleted(CapturedMessage message) {}

  /** Every message was removed by {@link Mailbox#clear()}. */
  default void cleared() {}
}
