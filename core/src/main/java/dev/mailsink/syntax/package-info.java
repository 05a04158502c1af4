/**
 * The small languages every Mailsink front end shares, defined once: the {@code q} query language
 * ({@link dev.mailsink.syntax.MessageQuery}: the JSON API's {@code q} parameter, the UI's search
 * box, and a {@code Predicate<CapturedMessage>} for {@code Mailbox.find}/{@code await} in Java),
 * durations ({@link dev.mailsink.syntax.DurationSyntax}: {@code PT5S}, {@code 5s}, {@code 500ms})
 * and case-insensitive wildcards ({@link dev.mailsink.syntax.Glob}: {@code *@example.com}).
 */
package dev.mailsink.syntax;
