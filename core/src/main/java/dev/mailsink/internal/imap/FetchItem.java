package dev.mailsink.internal.imap;

import java.util.List;

/** One data item of a FETCH command. */
sealed interface FetchItem {

  /** The items without arguments. */
  enum Simple implements FetchItem {
    FLAGS,
    UID,
    INTERNALDATE,
    RFC822_SIZE,
    ENVELOPE,
    BODYSTRUCTURE,
    /** BODY without a section: the non-extensible body structure. */
    BODY,
    RFC822,
    RFC822_HEADER,
    RFC822_TEXT
  }

  /**
   * {@code BODY[section]<partial>} or {@code BODY.PEEK[...]}.
   *
   * @param peek whether \Seen is left alone
   * @param path the part numbers, empty for the whole message
   * @param text one of "", HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME
   * @param fields the header names of HEADER.FIELDS(.NOT), upper case, else empty
   * @param partialStart the first octet of a partial fetch, or -1
   * @param partialLength how many octets of a partial fetch
   */
  record Section(
      boolean peek,
      List<Integer> path,
      String text,
      List<String> fields,
      long partialStart,
      long partialLength)
      implements FetchItem {
    public Section {
      path = List.copyOf(path);
      fields = List.copyOf(fields);
    }

    /** The section as echoed in the response, e.g. {@code 1.2.HEADER.FIELDS (SUBJECT)}. */
    String spec() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < path.size(); i++) {
        if (i > 0) {
          sb.append('.');
        }
        sb.append(path.get(i));
      }
      if (!text.isEmpty()) {
        if (!path.isEmpty()) {
          sb.append('.');
        }
        sb.append(text);
        if (text.startsWith("HEADER.FIELDS")) {
          sb.append(" (").append(String.join(" ", fields)).append(')');
        }
      }
      return sb.toString();
    }
  }
}
