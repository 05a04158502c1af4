package dev.mailsink.testcontainers;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One recipient's inbox within a {@link RemoteMailbox}: the messages whose envelope names the
 * address. As in-process, deleting from it hides a message from this inbox only; the hiding is
 * remembered by this client (the server keeps the message for the other recipients).
 */
final class RemoteRecipientMailbox implements Mailbox {
  private final RemoteMailbox store;
  private final String address;

  RemoteRecipientMailbox(RemoteMailbox store, String address) {
    this.store = store;
    this.address = address;
  }

  private boolean inInbox(CapturedMessage m) {
    return m.envelope().hasRecipient(address) && !store.isHiddenFor(address, m.id());
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
    return messages(Order.OLDEST_FIRST).size();
  }

  @Override
  public boolean delete(long id) {
    if (findById(id).isEmpty()) {
      return false;
    }
    store.hideFor(address, id);
    return true;
  }

  @Override
  public int clear() {
    List<CapturedMessage> all = messages(Order.OLDEST_FIRST);
    for (CapturedMessage m : all) {
      store.hideFor(address, m.id());
    }
    return all.size();
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
    return "Mailbox{remote recipient=<" + address + ">}";
  }
}
