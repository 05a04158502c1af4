package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.testing.TestMail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MailboxTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private Mailsink sink;

  @BeforeEach
  void start() {
    sink = Mailsink.start();
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  @Test
  void listsInArrivalOrderEitherWay() throws Exception {
    for (int i = 1; i <= 3; i++) {
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "m" + i, "x");
    }
    assertThat(sink.mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("m1", "m2", "m3");
    assertThat(sink.mailbox().messages(Mailbox.Order.NEWEST_FIRST))
        .extracting(CapturedMessage::subject)
        .containsExactly("m3", "m2", "m1");
    assertThat(sink.mailbox().latest())
        .hasValueSatisfying(m -> assertThat(m.subject()).isEqualTo("m3"));
    List<CapturedMessage> all = sink.mailbox().messages();
    assertThat(all.get(0).id()).isLessThan(all.get(1).id());
    assertThat(all.get(1).id()).isLessThan(all.get(2).id());
  }

  @Test
  void findCountDeleteAndClear() throws Exception {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "keep", "x");
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "drop", "x");
    Mailbox mailbox = sink.mailbox();
    CapturedMessage drop = mailbox.find(m -> m.subject().equals("drop")).get(0);
    assertThat(mailbox.count()).isEqualTo(2);
    assertThat(mailbox.delete(drop.id())).isTrue();
    assertThat(mailbox.delete(drop.id())).isFalse();
    assertThat(mailbox.findById(drop.id())).isEmpty();
    assertThat(mailbox.messages()).extracting(CapturedMessage::subject).containsExactly("keep");
    assertThat(mailbox.clear()).isEqualTo(1);
    assertThat(mailbox.count()).isZero();
  }

  @Test
  void awaitReturnsAtOnceWhenAlreadySatisfied() throws Exception {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "here", "x");
    assertThat(sink.mailbox().await(1, Duration.ZERO)).hasSize(1);
    assertThat(sink.mailbox().await(0, Duration.ZERO)).hasSize(1);
  }

  @Test
  void awaitWakesOnArrival() throws Exception {
    CompletableFuture<List<CapturedMessage>> waiting =
        CompletableFuture.supplyAsync(
            () ->
                sink.mailbox().await(m -> m.subject().equals("wanted"), 1, Duration.ofSeconds(20)));
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "other", "x");
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "wanted", "x");
    assertThat(waiting.get(10, TimeUnit.SECONDS))
        .extracting(CapturedMessage::subject)
        .containsExactly("wanted");
  }

  @Test
  void awaitTimeoutListsWhatArrived() throws Exception {
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "shop@x.test", "alice@y.test", "Hi", "x");
    assertThatThrownBy(() -> sink.mailbox().await(2, Duration.ofMillis(100)))
        .isInstanceOf(MailsinkAssertionError.class)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Expected 2 messages within PT0.1S but received 1:")
        .hasMessageContaining("from=<shop@x.test> to=[<alice@y.test>] subject=\"Hi\"");
    assertThatThrownBy(() -> sink.mailbox().await(m -> false, 1, Duration.ofMillis(50)))
        .isInstanceOf(MailsinkAssertionError.class)
        .hasMessageContaining("0 matched of 1 received");
  }

  @Test
  void awaitRestoresTheInterruptFlag() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              started.countDown();
              try {
                sink.mailbox().await(1, Duration.ofSeconds(20));
                outcome.complete(null);
              } catch (MailsinkException e) {
                outcome.complete(
                    Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost"));
              }
            });
    waiter.start();
    started.await();
    waiter.interrupt();
    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(MailsinkException.class);
  }

  @Test
  void badAwaitArgumentsAreRefused() {
    assertThatThrownBy(() -> sink.mailbox().await(-1, WAIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0, was -1");
    assertThatThrownBy(() -> sink.mailbox().await(1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must not be negative");
  }

  @Test
  void recipientInboxHasItsOwnDeletions() throws Exception {
    TestMail.send(
        sink.smtpHost(), sink.smtpPort(), "a@x.test", "alice@y.test, bob@y.test", "both", "x");
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "bob@y.test", "bob only", "x");
    Mailbox alice = sink.mailbox().forRecipient("alice@y.test");
    Mailbox bob = sink.mailbox().forRecipient("BOB@Y.TEST");
    assertThat(alice.messages()).extracting(CapturedMessage::subject).containsExactly("both");
    assertThat(bob.messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("both", "bob only");

    assertThat(bob.delete(alice.messages().get(0).id())).isTrue();
    assertThat(bob.messages()).extracting(CapturedMessage::subject).containsExactly("bob only");
    assertThat(alice.count()).isEqualTo(1);
    assertThat(sink.mailbox().count()).isEqualTo(2);

    assertThat(alice.clear()).isEqualTo(1);
    assertThat(alice.count()).isZero();
    assertThat(bob.count()).isEqualTo(1);
    // no inbox holds "both" any more, so the mailbox dropped it
    assertThat(sink.mailbox().messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("bob only");
  }

  @Test
  void aMessageDeletedFromItsOnlyRecipientsInboxIsDeletedWithItsEvent() throws Exception {
    BlockingQueue<String> deleted = new LinkedBlockingQueue<>();
    sink.mailbox()
        .subscribe(
            new MailboxListener() {
              @Override
              public void deleted(CapturedMessage message) {
                deleted.add(message.subject());
              }
            });
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "carol@y.test", "for carol", "x");
    Mailbox carol = sink.mailbox().forRecipient("carol@y.test");

    assertThat(carol.delete(carol.latest().orElseThrow().id())).isTrue();

    assertThat(sink.mailbox().count()).isZero();
    assertThat(deleted.poll(5, TimeUnit.SECONDS)).isEqualTo("for carol");
  }

  @Test
  void recipientInboxAwaitsOnlyItsMail() throws Exception {
    CompletableFuture<List<CapturedMessage>> waiting =
        CompletableFuture.supplyAsync(
            () -> sink.mailbox().forRecipient("carol@y.test").await(1, Duration.ofSeconds(20)));
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "bob@y.test", "not for carol", "x");
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "carol@y.test", "for carol", "x");
    assertThat(waiting.get(10, TimeUnit.SECONDS))
        .extracting(CapturedMessage::subject)
        .containsExactly("for carol");
  }

  @Test
  void listenersHearArrivalsDeletionsAndClears() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Mailbox.Subscription subscription =
        sink.mailbox()
            .subscribe(
                new MailboxListener() {
                  @Override
                  public void received(CapturedMessage message) {
                    heard.add("received " + message.subject());
                    events.add("received");
                  }

                  @Override
                  public void deleted(CapturedMessage message) {
                    heard.add("deleted " + message.subject());
                    events.add("deleted");
                  }

                  @Override
                  public void cleared() {
                    heard.add("cleared");
                    events.add("cleared");
                  }
                });
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "one", "x");
    sink.mailbox().delete(sink.mailbox().latest().orElseThrow().id());
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "two", "x");
    sink.mailbox().clear();
    for (int i = 0; i < 4; i++) {
      assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull();
    }
    subscription.close();
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "unheard", "x");
    assertThat(heard).containsExactly("received one", "deleted one", "received two", "cleared");
  }

  @Test
  void aBlockedListenerDelaysNoClientAndStillHearsEveryMessageInOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    sink.mailbox()
        .subscribe(
            new MailboxListener() {
              @Override
              public void received(CapturedMessage message) {
                threads.add(Thread.currentThread().getName());
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                heard.add(message.subject());
              }
            });
    // each send returns on the 250, which must not wait for the listener
    for (int i = 1; i <= 3; i++) {
      TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "m" + i, "x");
    }
    assertThat(sink.mailbox().count()).isEqualTo(3);
    assertThat(heard).isEmpty();

    release.countDown();
    assertThat(List.of(poll(heard), poll(heard), poll(heard))).containsExactly("m1", "m2", "m3");
    assertThat(threads).allMatch(name -> name.startsWith("mailsink-listener-"));
  }

  @Test
  void aListenerMayChangeTheMailboxFromItsCallback() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    sink.mailbox()
        .subscribe(
            new MailboxListener() {
              @Override
              public void received(CapturedMessage message) {
                sink.mailbox().delete(message.id());
              }

              @Override
              public void deleted(CapturedMessage message) {
                heard.add("deleted " + message.subject());
              }
            });
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "short-lived", "x");
    assertThat(poll(heard)).isEqualTo("deleted short-lived");
    assertThat(sink.mailbox().count()).isZero();
  }

  private static String poll(BlockingQueue<String> queue) throws InterruptedException {
    String item = queue.poll(5, TimeUnit.SECONDS);
    assertThat(item).as("an event within 5 s").isNotNull();
    return item;
  }

  @Test
  void failingListenerDoesNotLoseTheMessage() throws Exception {
    sink.mailbox()
        .subscribe(
            new MailboxListener() {
              @Override
              public void received(CapturedMessage message) {
                throw new IllegalStateException("listener bug");
              }
            });
    TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "still stored", "x");
    assertThat(sink.mailbox().await(1, WAIT)).hasSize(1);
  }

  @Test
  void oldestAreEvictedBeyondTheMessageCount() throws Exception {
    try (Mailsink small = Mailsink.start(MailsinkConfig.builder().retainedMessages(3).build())) {
      for (int i = 1; i <= 5; i++) {
        TestMail.send(small.smtpHost(), small.smtpPort(), "a@x.test", "b@y.test", "m" + i, "x");
      }
      assertThat(small.mailbox().messages())
          .extracting(CapturedMessage::subject)
          .containsExactly("m3", "m4", "m5");
      assertThat(small.mailbox().evictedCount()).isEqualTo(2);
    }
  }

  @Test
  void oldestAreEvictedBeyondTheByteTotal() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().maxMessageBytes(4_000).retainedBytes(10_000).build();
    try (Mailsink small = Mailsink.start(config)) {
      BlockingQueue<String> evicted = new LinkedBlockingQueue<>();
      small
          .mailbox()
          .subscribe(
              new MailboxListener() {
                @Override
                public void deleted(CapturedMessage message) {
                  evicted.add(message.subject());
                }
              });
      for (int i = 1; i <= 6; i++) {
        TestMail.send(
            small.smtpHost(), small.smtpPort(), "a@x.test", "b@y.test", "m" + i, "x".repeat(2_500));
      }
      List<CapturedMessage> kept = small.mailbox().messages();
      assertThat(kept.stream().mapToLong(CapturedMessage::size).sum()).isLessThanOrEqualTo(10_000);
      assertThat(kept)
          .extracting(CapturedMessage::subject)
          .endsWith("m6")
          .doesNotContain("m1", "m2");
      assertThat(small.mailbox().evictedCount()).isEqualTo(6 - kept.size());
      List<String> heard = new ArrayList<>();
      for (int i = 0; i < 6 - kept.size(); i++) {
        heard.add(poll(evicted));
      }
      assertThat(heard).startsWith("m1", "m2");
    }
  }
}
