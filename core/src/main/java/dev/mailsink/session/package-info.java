/**
 * What happened on the wire: the transcript of every SMTP session a sink served (commands and
 * replies with their times, TLS, AUTH with credentials redacted, fault rules that fired, message
 * data as a size, how the session ended), kept in a bounded {@link
 * dev.mailsink.session.SessionLog}.
 */
package dev.mailsink.session;
