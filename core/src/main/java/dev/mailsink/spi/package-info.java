/**
 * For implementations of {@link dev.mailsink.Mailbox}: the pieces that make every mailbox behave
 * and fail alike, whether it holds the mail in memory or reads it from a server over HTTP — {@link
 * dev.mailsink.spi.InboxStore} (what a mailbox provides so that recipient inboxes can be built on
 * it), {@link dev.mailsink.spi.RecipientMailbox} (one recipient's inbox) and {@link
 * dev.mailsink.spi.AwaitFailure} (the checks and wording of a wait that timed out), and {@link
 * dev.mailsink.spi.MessageHistory} (where a message finds its session transcript and releases).
 *
 * <p>Contract: this package is used by Mailsink's own modules (core's in-memory mailbox, the
 * Testcontainers client) and by anyone writing another {@code Mailbox}; it depends on core's model
 * only, never on a server library (SubEthaSMTP, Bouncy Castle, Undertow, Jackson), which an
 * architecture test checks. Test code should use {@link dev.mailsink.Mailbox}, not this package.
 * Before 1.0 it may change in any release; from 1.0 it follows the same compatibility rules as the
 * rest of the public API.
 */
package dev.mailsink.spi;
