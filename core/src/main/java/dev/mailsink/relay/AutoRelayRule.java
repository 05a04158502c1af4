package dev.mailsink.relay;

import dev.mailsink.CapturedMessage;
import dev.mailsink.syntax.Glob;
import dev.mailsink.syntax.MessageQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Relays matching messages as they are captured, while the captured copy stays in the sink. A rule
 * matches by envelope recipient ({@link #recipients}) or by a {@code q} query ({@link #query}); it
 * relays to the matching recipients, to every envelope recipient, or to fixed addresses ({@link
 * #redirectTo}). The first rule that matches a message decides; recipients outside the relay's
 * allow list are left out. Immutable.
 *
 * <pre>{@code
 * AutoRelayRule.recipients("*@mycompany.example")               // real colleagues get their copy
 * AutoRelayRule.query("subject:invoice").redirectTo("me@gmail.example")
 * }</pre>
 */
public final class AutoRelayRule {
  private final MessageQuery query;
  private final List<Glob> recipients;
  private final List<String> redirectTo;

  private AutoRelayRule(MessageQuery query, List<Glob> recipients, List<String> redirectTo) {
    this.query = query;
    this.recipients = recipients;
    this.redirectTo = redirectTo;
  }

  /**
   * Relays each captured message to those of its envelope recipients (To, Cc and Bcc alike) that
   * match one of these patterns ({@code *} and {@code ?} wildcards, case-insensitive).
   *
   * @throws IllegalArgumentException if no pattern is given or one is blank
   */
  public static AutoRelayRule recipients(String... patterns) {
    Objects.requireNonNull(patterns, "patterns");
    if (patterns.length == 0) {
      throw new IllegalArgumentException("recipients(...) needs at least one address pattern");
    }
    List<Glob> globs = new ArrayList<>();
    for (String p : patterns) {
      Objects.requireNonNull(p, "pattern");
      if (p.isBlank()) {
        throw new IllegalArgumentException("an auto-relay recipient pattern must not be blank");
      }
      globs.add(Glob.ofAddress(p));
    }
    return new AutoRelayRule(null, List.copyOf(globs), List.of());
  }

  /**
   * Relays each captured message that matches this query (the {@code q} language of the API and the
   * UI, e.g. {@code to:*@example.com subject:"Your order"}) to all its envelope recipients.
   *
   * @throws dev.mailsink.syntax.QuerySyntaxException if the query is not valid, saying where
   * @throws IllegalArgumentException if the query is blank (it would match every message: use
   *     {@code recipients("*")} to say so)
   */
  public static AutoRelayRule query(String q) {
    Objects.requireNonNull(q, "q");
    if (q.isBlank()) {
      throw new IllegalArgumentException(
          "an auto-relay query must not be blank; recipients(\"*\") relays every message");
    }
    return new AutoRelayRule(MessageQuery.parse(q), null, List.of());
  }

  /**
   * Returns this rule relaying to these addresses instead of the message's recipients.
   *
   * @throws IllegalArgumentException if no address is given or one is blank
   */
  public AutoRelayRule redirectTo(String... addresses) {
    Objects.requireNonNull(addresses, "addresses");
    if (addresses.length == 0) {
      throw new IllegalArgumentException("redirectTo(...) needs at least one address");
    }
    List<String> list = new ArrayList<>();
    for (String a : addresses) {
      Objects.requireNonNull(a, "address");
      if (a.isBlank()) {
        throw new IllegalArgumentException("a redirect address must not be blank");
      }
      list.add(a.strip());
    }
    return new AutoRelayRule(query, recipients, List.copyOf(list));
  }

  /** The query of a {@link #query} rule, or the empty string for a {@link #recipients} rule. */
  public String querySource() {
    return query == null ? "" : query.source();
  }

  /** The patterns of a {@link #recipients} rule; empty for a {@link #query} rule. */
  public List<String> recipientPatterns() {
    return recipients == null ? List.of() : recipients.stream().map(Glob::toString).toList();
  }

  /** The fixed addresses the rule relays to; empty when it relays to the message's recipients. */
  public List<String> redirectAddresses() {
    return redirectTo;
  }

  /**
   * The recipients this rule relays {@code message} to (before the allow list); empty when the rule
   * does not match it.
   */
  public List<String> recipientsFor(CapturedMessage message) {
    Objects.requireNonNull(message, "message");
    List<String> envelope = message.envelope().recipients();
    if (query != null) {
      if (!query.test(message)) {
        return List.of();
      }
      return redirectTo.isEmpty() ? envelope : redirectTo;
    }
    List<String> matching = new ArrayList<>();
    for (String r : envelope) {
      for (Glob g : recipients) {
        if (g.matches(r)) {
          matching.add(r);
          break;
        }
      }
    }
    if (matching.isEmpty()) {
      return List.of();
    }
    return redirectTo.isEmpty() ? matching : redirectTo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AutoRelayRule r
        && querySource().equals(r.querySource())
        && recipientPatterns().equals(r.recipientPatterns())
        && redirectTo.equals(r.redirectTo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(querySource(), recipientPatterns(), redirectTo);
  }

  /** E.g. {@code recipients(*@x.test)} or {@code query(subject:order) -> [me@y.test]}. */
  @Override
  public String toString() {
    String what =
        query != null
            ? "query(" + query.source() + ")"
            : "recipients(" + String.join(", ", recipientPatterns()) + ")";
    return redirectTo.isEmpty() ? what : what + " -> " + redirectTo;
  }
}
