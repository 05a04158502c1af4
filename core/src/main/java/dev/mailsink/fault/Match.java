package dev.mailsink.fault;

import java.util.Objects;

/**
 * Which events a fault rule applies to. Every non-null condition must hold; {@link #any()} has
 * none. Address, user and subject conditions are case-insensitive globs: {@code *} matches any run
 * of characters, {@code ?} one character (e.g. {@code *@example.com}). Conditions on a sender apply
 * from MAIL on, on a recipient at RCPT, on headers, subject and size at END_OF_DATA; a condition
 * that cannot be known yet at a stage does not match there.
 *
 * @param sender glob on the envelope sender (the null sender is the empty string)
 * @param recipient glob on the envelope recipient (at RCPT: the one being added; later: any of
 *     them)
 * @param authUser glob on the authenticated user
 * @param clientAddress glob on the client's IP address, e.g. {@code 127.0.0.*}
 * @param headerName a header that must be present (at END_OF_DATA)
 * @param headerValue glob on that header's value; needs {@code headerName}
 * @param subject glob on the decoded subject (at END_OF_DATA)
 * @param minSize the least message size in bytes (at END_OF_DATA)
 */
public record Match(
    String sender,
    String recipient,
    String authUser,
    String clientAddress,
    String headerName,
    String headerValue,
    String subject,
    Long minSize) {

  private static final Match ANY = new Match(null, null, null, null, null, null, null, null);

  /** Validates the conditions. */
  public Match {
    if (headerValue != null && headerName == null) {
      throw new IllegalArgumentException(
          "headerValue needs headerName, was headerValue=" + headerValue);
    }
    if (minSize != null && minSize < 0) {
      throw new IllegalArgumentException("minSize must be >= 0, was " + minSize);
    }
  }

  /** Matches every event. */
  public static Match any() {
    return ANY;
  }

  /** Matches the envelope sender against a glob such as {@code *@shop.test}. */
  public static Match sender(String glob) {
    return ANY.andSender(glob);
  }

  /** Matches the envelope recipient against a glob such as {@code bob@example.com}. */
  public static Match recipient(String glob) {
    return ANY.andRecipient(glob);
  }

  /** Matches the authenticated user. */
  public static Match authUser(String glob) {
    return new Match(
        null, null, Objects.requireNonNull(glob, "authUser"), null, null, null, null, null);
  }

  /** Matches the client's IP address, e.g. {@code 127.0.0.1}. */
  public static Match clientAddress(String glob) {
    return new Match(
        null, null, null, Objects.requireNonNull(glob, "clientAddress"), null, null, null, null);
  }

  /** Matches messages that have the header, whatever its value (END_OF_DATA). */
  public static Match header(String name) {
    return new Match(
        null, null, null, null, Objects.requireNonNull(name, "headerName"), null, null, null);
  }

  /** Matches messages whose header value matches the glob (END_OF_DATA). */
  public static Match header(String name, String valueGlob) {
    return new Match(
        null,
        null,
        null,
        null,
        Objects.requireNonNull(name, "headerName"),
        Objects.requireNonNull(valueGlob, "headerValue"),
        null,
        null);
  }

  /** Matches messages whose decoded subject matches the glob (END_OF_DATA). */
  public static Match subject(String glob) {
    return new Match(
        null, null, null, null, null, null, Objects.requireNonNull(glob, "subject"), null);
  }

  /** Matches messages of at least this many bytes (END_OF_DATA). */
  public static Match minSize(long bytes) {
    return new Match(null, null, null, null, null, null, null, bytes);
  }

  /** Adds a sender condition to this match. */
  public Match andSender(String glob) {
    return new Match(
        Objects.requireNonNull(glob, "sender"),
        recipient,
        authUser,
        clientAddress,
        headerName,
        headerValue,
        subject,
        minSize);
  }

  /** Adds a recipient condition to this match. */
  public Match andRecipient(String glob) {
    return new Match(
        sender,
        Objects.requireNonNull(glob, "recipient"),
        authUser,
        clientAddress,
        headerName,
        headerValue,
        subject,
        minSize);
  }

  /** Whether this match has no condition. */
  public boolean isAny() {
    return equals(ANY);
  }

  /** Whether a condition needs the received message (header, subject or size). */
  public boolean needsMessage() {
    return headerName != null || subject != null || minSize != null;
  }
}
