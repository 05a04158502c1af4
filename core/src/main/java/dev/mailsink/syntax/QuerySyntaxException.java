package dev.mailsink.syntax;

/**
 * A {@code q} string does not follow the query language. The message names the position, what is
 * wrong and how to write it instead; the JSON API returns it with status 400.
 */
public final class QuerySyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int position;

  QuerySyntaxException(String message, int position) {
    super(message);
    this.position = position;
  }

  /** The 0-based character position in the query where the problem was found. */
  public int position() {
    return position;
  }
}
