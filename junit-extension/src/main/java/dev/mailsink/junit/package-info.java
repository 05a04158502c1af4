/**
 * Mailsink for JUnit Jupiter: {@link dev.mailsink.junit.MailsinkTest @MailsinkTest} and {@link
 * dev.mailsink.junit.MailsinkExtension} run a server per test class (or per test), and {@link
 * dev.mailsink.junit.MailsinkAssertions} states what mail arrived.
 *
 * <p>Compiled against the JUnit Jupiter 5.14 API; runs on JUnit 5.12 and later, including 6.x. The
 * user's build brings JUnit.
 */
package dev.mailsink.junit;
