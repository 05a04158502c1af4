package dev.mailsink.internal.imap;

import java.time.LocalDate;
import java.util.List;

/** A parsed SEARCH criterion. */
sealed interface SearchKey {
  /** ALL. */
  record All() implements SearchKey {}

  /** A flag test: SEEN, UNSEEN, DELETED, FLAGGED, ... ({@code set} false for the UN- forms). */
  record Flag(String flag, boolean set) implements SearchKey {}

  /** NEW, OLD, RECENT: nothing is recent here. */
  record Recent(boolean wanted) implements SearchKey {}

  /** KEYWORD / UNKEYWORD: no keywords are kept, so KEYWORD matches nothing. */
  record Keyword(String keyword, boolean set) implements SearchKey {}

  /** A header contains text: FROM, TO, CC, BCC, SUBJECT, HEADER name. */
  record Header(String name, String text) implements SearchKey {}

  /** BODY text or TEXT text (headers and body). */
  record Text(String text, boolean bodyOnly) implements SearchKey {}

  /** SINCE, BEFORE, ON (internal date) or SENTSINCE, SENTBEFORE, SENTON (Date header). */
  record Date(String op, LocalDate date, boolean sent) implements SearchKey {}

  /** LARGER / SMALLER. */
  record Size(long size, boolean larger) implements SearchKey {}

  /** UID set. */
  record Uid(SequenceSet set) implements SearchKey {}

  /** A sequence set. */
  record Sequence(SequenceSet set) implements SearchKey {}

  record Not(SearchKey key) implements SearchKey {}

  record Or(SearchKey left, SearchKey right) implements SearchKey {}

  /** A parenthesised list or the top-level list: all must match. */
  record And(List<SearchKey> keys) implements SearchKey {
    public And {
      keys = List.copyOf(keys);
    }
  }
}
