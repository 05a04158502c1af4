/**
 * Read-side pieces shared by every {@link dev.mailsink.Mailbox} implementation, in memory and
 * remote: recipient views and the wording of await failures. Not API; free of server libraries.
 */
package dev.mailsink.internal.mailbox;
