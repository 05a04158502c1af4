package dev.mailsink.internal.imap;

import java.util.List;

/**
 * A sequence set such as {@code 1,3:5,7:*}: message sequence numbers or UIDs. {@code *} stands for
 * the largest number in use and is resolved when the set is applied.
 */
record SequenceSet(List<Range> ranges) {
  /** {@code *}. */
  static final long STAR = Long.MAX_VALUE;

  record Range(long from, long to) {}

  SequenceSet {
    ranges = List.copyOf(ranges);
  }

  /** Whether {@code n} is in the set, with {@code *} meaning {@code largest}. */
  boolean contains(long n, long largest) {
    for (Range r : ranges) {
      long a = r.from == STAR ? largest : r.from;
      long b = r.to == STAR ? largest : r.to;
      if (n >= Math.min(a, b) && n <= Math.max(a, b)) {
        return true;
      }
    }
    return false;
  }

  /** The largest explicit number in the set ({@code *} not counted), 0 when none. */
  long largestExplicit() {
    long max = 0;
    for (Range r : ranges) {
      if (r.from != STAR) {
        max = Math.max(max, r.from);
      }
      if (r.to != STAR) {
        max = Math.max(max, r.to);
      }
    }
    return max;
  }
}
