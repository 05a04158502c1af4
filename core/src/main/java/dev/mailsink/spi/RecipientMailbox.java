package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import java.time.Duration;
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
public final class RecipientMailbox extends FilteredMailbox {
  private final String address;
  private final String key;

  /** A view of {@code store} for {@code address}. */
  public RecipientMailbox(InboxStore store, String address) {
    super(store);
    this.address = address;
    this.key = address.toLowerCase(Locale.ROOT);
  }

  @Override
  boolean holds(CapturedMessage m) {
    return m.envelope().hasRecipient(address) && !store.isHiddenFor(key, m.id());
  }

  // a deletion is announced to the recipient's listeners even when only their inbox hid it
  @Override
  boolean notifies(CapturedMessage m) {
    return m.envelope().hasRecipient(address);
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
    return store.awaitMatching(this::holds, "for <" + address + ">", count, timeout);
  }

  @Override
  public List<CapturedMessage> await(
      Predicate<? super CapturedMessage> filter, int count, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    return store.awaitMatching(
        m -> holds(m) && filter.test(m),
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
  public String toString() {
    return "Mailbox{recipient=<" + address + ">}";
  }
}
