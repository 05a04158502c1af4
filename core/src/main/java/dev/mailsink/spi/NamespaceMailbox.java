package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.NamespaceRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One namespace of a mailbox (see {@link Mailbox#namespace(String)}): a filtered view of the one
 * store, by {@link CapturedMessage#namespace()}. Nothing is copied; waits, listeners and recipient
 * views are scoped to the namespace.
 */
public final class NamespaceMailbox implements InboxStore {
  private final InboxStore store;
  private final String name;

  /**
   * A view of {@code store} for the namespace {@code name}.
   *
   * @throws IllegalArgumentException if the name is blank or contains spaces or {@code @}
   */
  public NamespaceMailbox(InboxStore store, String name) {
    this.store = Objects.requireNonNull(store, "store");
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

  private boolean inNamespace(CapturedMessage m) {
    return m.namespace().filter(name::equals).isPresent();
  }

  @Override
  public List<CapturedMessage> messages(Order order) {
    List<CapturedMessage> result = new ArrayList<>();
    for (CapturedMessage m : store.messages(order)) {
      if (inNamespace(m)) {
        result.add(m);
      }
    }
    return result;
  }

  @Override
  public List<CapturedMessage> find(Predicate<? super CapturedMessage> filter) {
    Objects.requireNonNull(filter, "filter");
    return store.find(m -> inNamespace(m) && filter.test(m));
  }

  @Override
  public Optional<CapturedMessage> findById(long id) {
    return store.findById(id).filter(this::inNamespace);
  }

  @Override
  public Optional<CapturedMessage> latest() {
    List<CapturedMessage> newest = messages(Order.NEWEST_FIRST);
    return newest.isEmpty() ? Optional.empty() : Optional.of(newest.get(0));
  }

  @Override
  public int count() {
    return find(m -> true).size();
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
          m -> inNamespace(m) && filter.test(m),
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
  public Subscription subscribe(MailboxListener listener) {
    Objects.requireNonNull(listener, "listener");
    return store.subscribe(
        new MailboxListener() {
          @Override
          public void received(CapturedMessage message) {
            if (inNamespace(message)) {
              listener.received(message);
            }
          }

          @Override
          public void deleted(CapturedMessage message) {
            if (inNamespace(message)) {
              listener.deleted(message);
            }
          }

          @Override
          public void cleared() {
            listener.cleared();
          }
        });
  }

  @Override
  public long evictedCount() {
    return store.evictedCount();
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
