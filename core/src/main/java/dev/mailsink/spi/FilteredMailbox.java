package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The read side shared by the views of one store ({@link NamespaceMailbox}, {@link
 * RecipientMailbox}): every read filters the store's messages by {@link #holds}; nothing is copied.
 * The views differ in how they delete, wait and describe themselves.
 */
abstract class FilteredMailbox implements Mailbox {
  final InboxStore store;

  FilteredMailbox(InboxStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Whether the view shows the message now. */
  abstract boolean holds(CapturedMessage m);

  /** Whether a listener of the view hears of the message's arrival or deletion. */
  abstract boolean notifies(CapturedMessage m);

  @Override
  public final List<CapturedMessage> messages(Order order) {
    List<CapturedMessage> result = new ArrayList<>();
    for (CapturedMessage m : store.messages(order)) {
      if (holds(m)) {
        result.add(m);
      }
    }
    return result;
  }

  @Override
  public final List<CapturedMessage> find(Predicate<? super CapturedMessage> filter) {
    Objects.requireNonNull(filter, "filter");
    return store.find(m -> holds(m) && filter.test(m));
  }

  @Override
  public final Optional<CapturedMessage> findById(long id) {
    return store.findById(id).filter(this::holds);
  }

  @Override
  public final Optional<CapturedMessage> latest() {
    List<CapturedMessage> newest = messages(Order.NEWEST_FIRST);
    return newest.isEmpty() ? Optional.empty() : Optional.of(newest.get(0));
  }

  @Override
  public final int count() {
    return find(m -> true).size();
  }

  @Override
  public final Subscription subscribe(MailboxListener listener) {
    Objects.requireNonNull(listener, "listener");
    return store.subscribe(
        new MailboxListener() {
          @Override
          public void received(CapturedMessage message) {
            if (notifies(message)) {
              listener.received(message);
            }
          }

          @Override
          public void deleted(CapturedMessage message) {
            if (notifies(message)) {
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
  public final long evictedCount() {
    return store.evictedCount();
  }
}
