package dev.mailsink.internal.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system flags of messages, in memory, per message id and per login (each login's inbox has
 * flags of its own), shared by every session of one server.
 */
final class Flags {
  static final int SEEN = 1;
  static final int ANSWERED = 2;
  static final int FLAGGED = 4;
  static final int DELETED = 8;
  static final int DRAFT = 16;
  static final String ALL = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)";

  private final Map<Long, Map<String, Integer>> byId = new ConcurrentHashMap<>();

  int get(String owner, long id) {
    Map<String, Integer> owners = byId.get(id);
    if (owners == null) {
      return 0;
    }
    return owners.getOrDefault(owner, 0);
  }

  /** Sets, adds or removes bits; returns the new bits. */
  int update(String owner, long id, int bits, char mode) {
    Map<String, Integer> owners = byId.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
    return owners.merge(
        owner,
        bits,
        (old, b) ->
            switch (mode) {
              case '+' -> old | b;
              case '-' -> old & ~b;
              default -> b;
            });
  }

  /** Forgets one login's flags of a message (it left that inbox). */
  void forget(String owner, long id) {
    Map<String, Integer> owners = byId.get(id);
    if (owners != null) {
      owners.remove(owner);
      if (owners.isEmpty()) {
        byId.remove(id, owners);
      }
    }
  }

  /** Forgets every login's flags of a message (it was deleted). */
  void forget(long id) {
    byId.remove(id);
  }

  void clear() {
    byId.clear();
  }

  static int bit(String flag) {
    return switch (flag.toUpperCase(Locale.ROOT)) {
      case "\\SEEN" -> SEEN;
      case "\\ANSWERED" -> ANSWERED;
      case "\\FLAGGED" -> FLAGGED;
      case "\\DELETED" -> DELETED;
      case "\\DRAFT" -> DRAFT;
      default -> 0;
    };
  }

  static String list(int bits) {
    List<String> names = new ArrayList<>();
    if ((bits & ANSWERED) != 0) {
      names.add("\\Answered");
    }
    if ((bits & FLAGGED) != 0) {
      names.add("\\Flagged");
    }
    if ((bits & DELETED) != 0) {
      names.add("\\Deleted");
    }
    if ((bits & SEEN) != 0) {
      names.add("\\Seen");
    }
    if ((bits & DRAFT) != 0) {
      names.add("\\Draft");
    }
    return "(" + String.join(" ", names) + ")";
  }
}
