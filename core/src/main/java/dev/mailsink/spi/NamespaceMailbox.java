package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.NamespaceRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One namespace of a mailbox (see {@link Mailbox#namespace(String)}): a filtered view of the one
 * store, by {@link CapturedMessage#namespace()}. Nothing is copied; waits, listeners and recipient
 * views are scoped to the namespace.
 */
public final class NamespaceMailbox extends FilteredMailbox implements InboxStore {
  private final String name;

  /**
   * A view of {@code store} for the namespace {@code name}.
   *
   * @throws IllegalArgumentException if the name is blank or contains spaces or {@code @}
   */
  public NamespaceMailbox(InboxStore store, String name) {
    super(store);
    this.name = checkName(name);
  }

  /** Normalises a namespace name, refusing one that no message could have. */
  public static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    return NamespaceRule.normalize(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "namespace name must be non-blank, without spaces or '@', was '" + name + "'"));
  }

  /** The namespace's name, in lower case. */
  public String name() {
    return name;
  }

  /**
   * Whether {@code message} belongs to this namespace, whether or not it is still stored (so a
   * reader of deletion events can tell which ones concern the namespace).
   */
  public boolean contains(CapturedMessage message) {
    return message.namespace().filter(name::equals).isPresent();
  }

  @Override
  boolean holds(CapturedMessage m) {
    return contains(m);
  }

  @Override
  boolean notifies(CapturedMessage m) {
    return holds(m);
  }

  @Override
  public boolean delete(long id) {
    return findById(id).isPresent() && store.delete(id);
  }

  @Override
  public int clear() {
    int removed = 0;
    for (CapturedMessage m : messages()) {
      if (store.delete(m.id())) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public List<CapturedMessage> await(int count, Duration timeout) {
    return awaitMatching(m -> true, null, count, timeout);
  }

  @Override
  public List<CapturedMessage> await(
      Predicate<? super CapturedMessage> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    return awaitMatching(filter, "matching the filter", count, timeout);
  }

  @Override
  public List<CapturedMessage> awaitMatching(
      Predicate<? super CapturedMessage> filter, String what, int wanted, Duration timeout) {
    try {
      return store.awaitMatching(
          m -> holds(m) && filter.test(m),
          "in namespace " + name + (what == null ? "" : " " + what),
          wanted,
          timeout);
    } catch (dev.mailsink.MailsinkAssertionError e) {
      throw scoped(wanted, what, timeout, filter);
    }
  }

  // the store's failure lists the whole server's mail; a namespace lists its own
  private dev.mailsink.MailsinkAssertionError scoped(
      int wanted, String what, Duration timeout, Predicate<? super CapturedMessage> filter) {
    List<CapturedMessage> all = messages();
    List<CapturedMessage> matching = new ArrayList<>();
    for (CapturedMessage m : all) {
      if (filter.test(m)) {
        matching.add(m);
      }
    }
    return AwaitFailure.timedOut(
        "in namespace " + name + (what == null ? "" : " " + what), wanted, timeout, matching, all);
  }

  @Override
  public Mailbox forRecipient(String address) {
    Objects.requireNonNull(address, "address");
    if (address.isBlank()) {
      throw new IllegalArgumentException("address must not be blank");
    }
    return new RecipientMailbox(this, address.strip());
  }

  @Override
  public Mailbox namespace(String other) {
    return store.namespace(other);
  }

  @Override
  public boolean isHiddenFor(String recipientKey, long id) {
    return store.isHiddenFor(recipientKey, id);
  }

  @Override
  public void hideFor(String recipientKey, long id) {
    store.hideFor(recipientKey, id);
  }

  @Override
  public String toString() {
    return "Mailbox{namespace=" + name + "}";
  }
}
