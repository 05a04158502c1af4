package dev.mailsink.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Envelope;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.spi.MessageHistory;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listeners hear the changes in the order they were made, also when different threads make them,
 * and only the changes made after they subscribed.
 */
@Timeout(60)
class ListenerOrderTest {
  private static final byte[] RAW =
      "Subject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

  private static CapturedMessage store(InMemoryMailbox mailbox) {
    Envelope envelope =
        new Envelope("a@x.test", List.of("b@y.test"), "c", "127.0.0.1", 1, "s", null, null, null);
    return mailbox.store(envelope, RAW.clone());
  }

  @Test
  void aDeletionRightAfterAnArrivalOnAnotherThreadIsHeardAfterTheArrival() throws Exception {
    InMemoryMailbox mailbox = new InMemoryMailbox(100_000, 1L << 30, MessageHistory.NONE);
    int messages = 3_000;
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch allDeleted = new CountDownLatch(messages);
    mailbox.subscribe(
        new MailboxListener() {
          @Override
          public void received(CapturedMessage message) {
            events.add("+" + message.id());
          }

          @Override
          public void deleted(CapturedMessage message) {
            events.add("-" + message.id());
            allDeleted.countDown();
          }
        });
    // the deleter removes each message the moment it is visible, racing the storing thread's events
    CompletableFuture<Void> deleter =
        CompletableFuture.runAsync(
            () -> {
              int deleted = 0;
              while (deleted < messages) {
                for (CapturedMessage m : mailbox.messages()) {
                  if (mailbox.delete(m.id())) {
                    deleted++;
                  }
                }
              }
            });
    for (int i = 0; i < messages; i++) {
      store(mailbox);
    }
    deleter.get(30, TimeUnit.SECONDS);
    assertThat(allDeleted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(events).hasSize(2 * messages);
    Set<String> arrived = new HashSet<>();
    for (String event : events) {
      if (event.startsWith("+")) {
        arrived.add(event.substring(1));
      } else {
        assertThat(arrived)
            .as("the arrival of message %s heard before its deletion", event)
            .contains(event.substring(1));
      }
    }
  }

  @Test
  void aListenerNeverHearsOfAMessageThatWasVisibleBeforeItSubscribed() throws Exception {
    InMemoryMailbox mailbox = new InMemoryMailbox(1_000, 1L << 30, MessageHistory.NONE);
    AtomicBoolean running = new AtomicBoolean(true);
    CompletableFuture<Void> storing =
        CompletableFuture.runAsync(
            () -> {
              while (running.get()) {
                store(mailbox);
              }
            });
    try {
      for (int round = 0; round < 300; round++) {
        long visibleBefore = mailbox.latest().map(CapturedMessage::id).orElse(0L);
        List<Long> heard = new CopyOnWriteArrayList<>();
        CountDownLatch heardOne = new CountDownLatch(1);
        Mailbox.Subscription subscription =
            mailbox.subscribe(
                new MailboxListener() {
                  @Override
                  public void received(CapturedMessage message) {
                    heard.add(message.id());
                    heardOne.countDown();
                  }
                });
        assertThat(heardOne.await(10, TimeUnit.SECONDS)).isTrue();
        subscription.close();
        assertThat(heard).as("round %d", round).allMatch(id -> id > visibleBefore);
      }
    } finally {
      running.set(false);
      storing.get(10, TimeUnit.SECONDS);
    }
  }
}
