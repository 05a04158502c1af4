package dev.mailsink;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a captured message is given its namespace (see {@link Mailbox#namespace(String)}). The
 * namespace is computed once, when the message is captured, and kept as {@link
 * CapturedMessage#namespace()}. A message for which the rule finds no namespace is in the root
 * mailbox only. Namespace names are compared without regard to case and kept in lower case.
 *
 * <p>The default, {@link #subAddress()}, needs no configuration in the application under test: a
 * test sends to {@code alice+ns42@example.com} and the message is in namespace {@code ns42}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class NamespaceRule {
  private enum Kind {
    SUB_ADDRESS,
    RECIPIENT_SUBDOMAIN,
    AUTH_USER,
    HEADER,
    NONE
  }

  private final Kind kind;
  private final String argument;

  private NamespaceRule(Kind kind, String argument) {
    this.kind = kind;
    this.argument = argument;
  }

  /** The sub-address tag after {@code +}: {@code alice+ns42@example.com} is in {@code ns42}. */
  public static NamespaceRule subAddress() {
    return subAddress("+");
  }

  /**
   * The sub-address tag after {@code separator} in the local part of the first recipient that has
   * one (e.g. {@code "-"} for {@code alice-ns42@example.com}).
   *
   * @throws IllegalArgumentException if the separator is empty or contains {@code @} or spaces
   */
  public static NamespaceRule subAddress(String separator) {
    Objects.requireNonNull(separator, "separator");
    if (separator.isEmpty()
        || separator.contains("@")
        || separator.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "separator must be non-empty, without '@' or spaces, was '" + separator + "'");
    }
    return new NamespaceRule(Kind.SUB_ADDRESS, separator);
  }

  /**
   * The first label of a recipient domain below {@code baseDomain}: with base {@code example.test},
   * {@code alice@ns42.example.test} is in {@code ns42}.
   *
   * @throws IllegalArgumentException if the base domain is blank
   */
  public static NamespaceRule recipientSubdomain(String baseDomain) {
    Objects.requireNonNull(baseDomain, "baseDomain");
    String base = baseDomain.strip().toLowerCase(Locale.ROOT);
    if (base.startsWith(".")) {
      base = base.substring(1);
    }
    if (base.isEmpty() || base.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "baseDomain must be a domain name such as example.test, was '" + baseDomain + "'");
    }
    return new NamespaceRule(Kind.RECIPIENT_SUBDOMAIN, base);
  }

  /** The user the client authenticated as with SMTP AUTH. */
  public static NamespaceRule authUser() {
    return new NamespaceRule(Kind.AUTH_USER, null);
  }

  /**
   * The value of a header field, e.g. {@code X-Mailsink-Namespace} (parses the message's headers at
   * capture).
   */
  public static NamespaceRule header(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.contains(":")) {
      throw new IllegalArgumentException("header name must be a field name, was '" + name + "'");
    }
    return new NamespaceRule(Kind.HEADER, name.strip());
  }

  /** No namespaces: every message is in the root mailbox only. */
  public static NamespaceRule none() {
    return new NamespaceRule(Kind.NONE, null);
  }

  /** The namespace this rule gives {@code message}, in lower case, if any. */
  public Optional<String> namespaceOf(CapturedMessage message) {
    Objects.requireNonNull(message, "message");
    switch (kind) {
      case SUB_ADDRESS:
        for (String r : message.envelope().recipients()) {
          int at = r.lastIndexOf('@');
          String local = at < 0 ? r : r.substring(0, at);
          int sep = local.indexOf(argument);
          if (sep >= 0) {
            Optional<String> ns = normalize(local.substring(sep + argument.length()));
            if (ns.isPresent()) {
              return ns;
            }
          }
        }
        return Optional.empty();
      case RECIPIENT_SUBDOMAIN:
        for (String r : message.envelope().recipients()) {
          int at = r.lastIndexOf('@');
          String domain = at < 0 ? "" : r.substring(at + 1).toLowerCase(Locale.ROOT);
          if (domain.endsWith("." + argument)) {
            String below = domain.substring(0, domain.length() - argument.length() - 1);
            Optional<String> ns = normalize(below.substring(below.lastIndexOf('.') + 1));
            if (ns.isPresent()) {
              return ns;
            }
          }
        }
        return Optional.empty();
      case AUTH_USER:
        return message.envelope().authenticatedUserIfAny().flatMap(NamespaceRule::normalize);
      case HEADER:
        return message.header(argument).flatMap(NamespaceRule::normalize);
      default:
        return Optional.empty();
    }
  }

  /**
   * The address a test sends to so that the message lands in {@code namespace}: {@code
   * alice+ns42@example.com} for {@link #subAddress()}, {@code alice@ns42.example.test} for {@link
   * #recipientSubdomain(String)} (whose base domain replaces {@code domain}); for {@link
   * #authUser()}, {@link #header(String)} and {@link #none()} the address is {@code local@domain}
   * unchanged (authenticate as, or set the header to, the namespace name instead).
   */
  public String address(String namespace, String local, String domain) {
    String ns =
        normalize(Objects.requireNonNull(namespace, "namespace"))
            .orElseThrow(() -> new IllegalArgumentException("namespace must not be blank"));
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(domain, "domain");
    switch (kind) {
      case SUB_ADDRESS:
        return local + argument + ns + "@" + domain;
      case RECIPIENT_SUBDOMAIN:
        return local + "@" + ns + "." + argument;
      default:
        return local + "@" + domain;
    }
  }

  /**
   * A namespace name as stored: stripped and in lower case; empty for a blank name.
   *
   * <p>(and empty for one with whitespace, {@code @} or control characters, which no namespace
   * has).
   */
  public static Optional<String> normalize(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.isEmpty()) {
      return Optional.empty();
    }
    if (n.chars()
        .anyMatch(c -> Character.isWhitespace(c) || c == '@' || Character.isISOControl(c))) {
      return Optional.empty();
    }
    return Optional.of(n);
  }

  @Override
  public String toString() {
    switch (kind) {
      case SUB_ADDRESS:
        return "NamespaceRule.subAddress(\"" + argument + "\")";
      case RECIPIENT_SUBDOMAIN:
        return "NamespaceRule.recipientSubdomain(\"" + argument + "\")";
      case AUTH_USER:
        return "NamespaceRule.authUser()";
      case HEADER:
        return "NamespaceRule.header(\"" + argument + "\")";
      default:
        return "NamespaceRule.none()";
    }
  }
}
