/**
 * Letting captured mail through to a real SMTP server: the upstream configuration ({@link
 * dev.mailsink.relay.RelayConfig}, with a recipient allow list that refuses everything until
 * configured), releases on demand ({@code Mailsink.release(message, recipients...)}), auto-relay
 * rules, and the outcome of every attempt recorded on the message ({@link
 * dev.mailsink.relay.Release}, {@link dev.mailsink.relay.RelayAttempt}).
 *
 * <p>A released message is sent as captured, byte for byte, after one added trace header:
 *
 * <pre>
 * Received: from {HELO name} ({client address})
 *         by {sink host name} (Mailsink) with ESMTP id {message id};
 *         {time of capture, RFC 5322}
 * </pre>
 *
 * <p>({@code ESMTPS} when it arrived over TLS, {@code ESMTPA}/{@code ESMTPSA} when authenticated,
 * as RFC 3848 says). Line ends go out as CRLF, as SMTP requires; a Bcc header, if the client sent
 * one, is sent as it was captured.
 */
package dev.mailsink.relay;
