package dev.mailsink.internal.imap;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Header;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Evaluates SEARCH criteria against the messages of a session. Text criteria match
 * case-insensitively as substrings of the decoded header values and bodies (as the JSON API's query
 * does), with the raw bytes as a fallback for what does not decode. Dates are compared in UTC, the
 * zone INTERNALDATE is given in.
 */
final class Search {
  private final Flags flags;
  private final String owner;
  private final List<CapturedMessage> seq;

  Search(Flags flags, String owner, List<CapturedMessage> seq) {
    this.flags = flags;
    this.owner = owner;
    this.seq = seq;
  }

  /** Whether the message at {@code index} (0-based) matches. */
  boolean matches(SearchKey key, int index) {
    CapturedMessage m = seq.get(index);
    if (key instanceof SearchKey.All) {
      return true;
    } else if (key instanceof SearchKey.Flag f) {
      return ((flags.get(owner, m.id()) & Flags.bit(f.flag())) != 0) == f.set();
    } else if (key instanceof SearchKey.Recent r) {
      return !r.wanted(); // nothing is recent: no session is told of a message before another
    } else if (key instanceof SearchKey.Keyword k) {
      return !k.set();
    } else if (key instanceof SearchKey.Header h) {
      return header(m, h.name(), h.text());
    } else if (key instanceof SearchKey.Text t) {
      return text(m, t.text(), t.bodyOnly());
    } else if (key instanceof SearchKey.Date d) {
      return date(m, d);
    } else if (key instanceof SearchKey.Size s) {
      return s.larger() ? m.size() > s.size() : m.size() < s.size();
    } else if (key instanceof SearchKey.Uid u) {
      return u.set().contains(m.id(), seq.get(seq.size() - 1).id());
    } else if (key instanceof SearchKey.Sequence s) {
      return s.set().contains(index + 1, seq.size());
    } else if (key instanceof SearchKey.Not n) {
      return !matches(n.key(), index);
    } else if (key instanceof SearchKey.Or o) {
      return matches(o.left(), index) || matches(o.right(), index);
    } else {
      return ((SearchKey.And) key).keys().stream().allMatch(k -> matches(k, index));
    }
  }

  private static boolean contains(String haystack, String needle) {
    return haystack != null
        && haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
  }

  private static boolean header(CapturedMessage m, String name, String text) {
    List<String> values = m.headerValues(name);
    if (text.isEmpty()) {
      return !values.isEmpty();
    }
    for (String v : values) {
      if (contains(v, text)) {
        return true;
      }
    }
    return false;
  }

  private static boolean text(CapturedMessage m, String text, boolean bodyOnly) {
    if (contains(m.text().orElse(null), text) || contains(m.html().orElse(null), text)) {
      return true;
    }
    if (!bodyOnly) {
      for (Header h : m.headers()) {
        if (contains(h.value(), text)) {
          return true;
        }
      }
    }
    byte[] raw = RawBytes.of(m);
    MimePart root = MimePart.parse(raw);
    int from = bodyOnly ? root.bodyStart : 0;
    return contains(new String(raw, from, raw.length - from, StandardCharsets.UTF_8), text);
  }

  private static boolean date(CapturedMessage m, SearchKey.Date d) {
    Optional<LocalDate> day =
        d.sent()
            ? m.date().map(i -> i.atZone(ZoneOffset.UTC).toLocalDate())
            : Optional.of(m.receivedAt().atZone(ZoneOffset.UTC).toLocalDate());
    if (day.isEmpty()) {
      return false;
    }
    return switch (d.op()) {
      case "SINCE" -> !day.get().isBefore(d.date());
      case "BEFORE" -> day.get().isBefore(d.date());
      default -> day.get().isEqual(d.date());
    };
  }
}
