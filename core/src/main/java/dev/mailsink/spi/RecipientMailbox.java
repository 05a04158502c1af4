package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One recipient's inbox within a mailbox: the messages whose envelope names the address, with
 * deletions of its own. Deleting a message from the inbox hides it there, while the other
 * recipients keep it; once every envelope recipient has deleted it, it is deleted from the mailbox
 * itself (with its {@code deleted} event), as a mail server drops a message that no inbox holds.
 */
public final class RecipientMailbox implements Mailbox {
  private final InboxStore store;
  private final String address;
  private final String key;

  /** A view of {@code store} for {@code address}. */
  public RecipientMailbox(InboxStore store, String address) {
    this.store = store;
    this.address = address;
    this.key = address.toLowerCase(Locale.ROOT);
  }

  private boolean inInbox(CapturedMessage m) {
    return m.envelope().hasRecipient(address) && !store.isHiddenFor(key, m.id());
  }

  @Override
  public List<CapturedMessage> messages(Order order) {
    List<CapturedMessage> result = new ArrayList<>();
    for (CapturedMessage m : store.messages(order)) {
      if (inInbox(m)) {
        result.add(m);
      }
    }
    return result;
  }

  @Override
  public List<CapturedMessage> find(Predicate<? super CapturedMessage> filter) {
    Objects.requireNonNull(filter, "filter");
    return store.find(m -> inInbox(m) && filter.test(m));
  }

  @Override
  public Optional<CapturedMessage> findById(long id) {
    return store.findById(id).filter(this::inInbox);
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
    Optional<CapturedMessage> m = findById(id);
    if (m.isEmpty()) {
      return false;
    }
    drop(m.get());
    return true;
  }

  @Override
  public int clear() {
    List<CapturedMessage> all = messages();
    for (CapturedMessage m : all) {
      drop(m);
    }
    return all.size();
  }

  private void drop(CapturedMessage m) {
    store.hideFor(key, m.id());
    for (String r : m.envelope().recipients()) {
      if (!store.isHiddenFor(r.toLowerCase(Locale.ROOT), m.id())) {
        return;
      }
    }
    store.delete(m.id());
  }

  @Override
  public List<CapturedMessage> await(int count, Duration timeout) {
    return store.awaitMatching(this::inInbox, "for <" + address + ">", count, timeout);
  }

  @Override
  public List<CapturedMessage> await(
      Predicate<? super CapturedMessage> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    return store.awaitMatching(
        m -> inInbox(m) && filter.test(m),
        "for <" + address + "> matching the filter",
        count,
        timeout);
  }

  @Override
  public Mailbox forRecipient(String other) {
    return store.forRecipient(other);
  }

  @Override
  public Mailbox namespace(String name) {
    return store.namespace(name);
  }

  @Override
  public Subscription subscribe(MailboxListener listener) {
    Objects.requireNonNull(listener, "listener");
    return store.subscribe(
        new MailboxListener() {
          @Override
          public void received(CapturedMessage message) {
            if (message.envelope().hasRecipient(address)) {
              listener.received(message);
            }
          }

          @Override
          public void deleted(CapturedMessage message) {
            if (message.envelope().hasRecipient(address)) {
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
  public String toString() {
    return "Mailbox{recipient=<" + address + ">}";
  }
}
