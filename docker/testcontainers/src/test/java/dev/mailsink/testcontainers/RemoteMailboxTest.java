package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.MailboxListener;
import dev.mailsink.MailsinkAssertionError;
import dev.mailsink.MailsinkException;
import dev.mailsink.testing.TestMail;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The remote {@link Mailbox} against a real server: the standalone jar as a process, over real SMTP
 * and real HTTP. No Docker needed; the container tests repeat the essentials in Docker.
 */
@Timeout(60)
class RemoteMailboxTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ServerJarProcess server;
  private static MailsinkClient client;
  private static Mailbox mailbox;

  @BeforeAll
  static void startServer() throws InterruptedException {
    server = ServerJarProcess.start();
    client = MailsinkClient.connect(server.webUri());
    mailbox = client.mailbox();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void emptyTheMailbox() {
    mailbox.clear();
  }

  private static TestMail mail() {
    return TestMail.via(server.smtpHost(), server.smtpPort());
  }

  @Test
  void namespaceViewsSeeTheirOwnMailOnlyAndTheMessageKnowsItsNamespace() throws Exception {
    mail().subject("in a").text("t").to("alice+a@example.com").send();
    mail().subject("in b").text("t").to("alice+b@example.com").send();
    mail().subject("root only").text("t").to("alice@example.com").send();
    Mailbox a = mailbox.namespace("a");

    assertThat(a.await(1, WAIT)).extracting(CapturedMessage::subject).containsExactly("in a");
    assertThat(a.latest().orElseThrow().namespace()).contains("a");
    assertThat(mailbox.await(3, WAIT)).hasSize(3);
    assertThat(a.clear()).isEqualTo(1);
    assertThat(mailbox.namespace("b").count()).isEqualTo(1);
    assertThat(mailbox.count()).isEqualTo(2);
  }

  @Test
  void aNamespaceFindsCountsAndListsOnlyItsOwnMailNewestFirstOrOldestFirst() throws Exception {
    mail().subject("a1").text("t").to("alice+a@example.com").send();
    mail().subject("b1").text("t").to("alice+b@example.com").send();
    mail().subject("a2").text("t").to("bob+A@example.com").send();
    Mailbox a = mailbox.namespace("A");
    long b1 = mailbox.find(m -> m.subject().equals("b1")).get(0).id();

    assertThat(a.messages()).extracting(CapturedMessage::subject).containsExactly("a1", "a2");
    assertThat(a.messages(Mailbox.Order.NEWEST_FIRST))
        .extracting(CapturedMessage::subject)
        .containsExactly("a2", "a1");
    assertThat(a.find(m -> m.subject().endsWith("2")))
        .extracting(CapturedMessage::subject)
        .containsExactly("a2");
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.latest()).hasValueSatisfying(m -> assertThat(m.subject()).isEqualTo("a2"));
    assertThat(a.findById(b1)).isEmpty();
    assertThat(mailbox.namespace("b").findById(b1)).isPresent();
    assertThat(mailbox.namespace("nobody").latest()).isEmpty();
    assertThat(a).hasToString("Mailbox{remote=" + server.webUri() + ", namespace=a}");
  }

  @Test
  void aNamespaceDeletesAndClearsOnlyItsOwnMail() throws Exception {
    mail().subject("a1").text("t").to("alice+a@example.com").send();
    mail().subject("a2").text("t").to("alice+a@example.com").send();
    mail().subject("b1").text("t").to("alice+b@example.com").send();
    Mailbox a = mailbox.namespace("a");
    long a1 = a.messages().get(0).id();
    long b1 = mailbox.namespace("b").messages().get(0).id();

    assertThat(a.delete(b1)).isFalse();
    assertThat(a.delete(a1)).isTrue();
    assertThat(a.delete(a1)).isFalse();
    assertThat(a.clear()).isEqualTo(1);
    assertThat(mailbox.messages()).extracting(CapturedMessage::subject).containsExactly("b1");
  }

  @Test
  void aNamespacesAwaitWakesOnItsOwnMailOnly() throws Exception {
    Mailbox a = mailbox.namespace("a");
    CompletableFuture<List<CapturedMessage>> waiting =
        CompletableFuture.supplyAsync(() -> a.await(2, WAIT));
    CompletableFuture<List<CapturedMessage>> filtered =
        CompletableFuture.supplyAsync(() -> a.await(m -> m.subject().startsWith("mine"), 2, WAIT));

    mail().subject("other 1").text("t").to("alice+b@example.com").send();
    mail().subject("mine 1").text("t").to("alice+a@example.com").send();
    mail().subject("other 2").text("t").to("alice@example.com").send();
    mail().subject("mine 2").text("t").to("alice+a@example.com").send();

    assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .extracting(CapturedMessage::subject)
        .containsExactly("mine 1", "mine 2");
    assertThat(filtered.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .extracting(CapturedMessage::subject)
        .containsExactly("mine 1", "mine 2");
  }

  @Test
  void aNamespacesAwaitThatTimesOutSaysWhichNamespaceInTheSameWordsAsInProcess() throws Exception {
    mail().subject("other").text("t").to("alice+b@example.com").send();
    mail().subject("mine").text("t").to("alice+a@example.com").send();
    Mailbox a = mailbox.namespace("a");

    assertThatThrownBy(() -> a.await(2, Duration.ofMillis(300)))
        .isInstanceOf(MailsinkAssertionError.class)
        .hasMessageStartingWith(
            "Expected 2 messages in namespace a within PT0.3S but 1 matched of 1 received:");
    assertThatThrownBy(() -> a.await(m -> m.subject().equals("x"), 1, Duration.ofMillis(300)))
        .isInstanceOf(MailsinkAssertionError.class)
        .hasMessageStartingWith(
            "Expected 1 message in namespace a matching the filter within PT0.3S but 0 matched of"
                + " 1 received:");
  }

  @Test
  void aRecipientsInboxWithinANamespaceHoldsOnlyThatNamespacesMail() throws Exception {
    mail().subject("in a").text("t").to("carol+a@example.com", "dave+a@example.com").send();
    mail().subject("in b").text("t").to("erin+b@example.com", "carol+a@example.com").send();
    Mailbox carol = mailbox.namespace("a").forRecipient("carol+a@example.com");
    Mailbox dave = mailbox.namespace("a").forRecipient("dave+a@example.com");

    assertThat(carol.messages()).extracting(CapturedMessage::subject).containsExactly("in a");
    assertThat(mailbox.forRecipient("carol+a@example.com").count()).isEqualTo(2);
    assertThat(dave.clear()).isEqualTo(1);
    assertThat(dave.count()).isZero();
    assertThat(carol.count()).isEqualTo(1);
  }

  @Test
  void aNamespacesListenersHearOnlyOfItsOwnMail() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    Mailbox a = mailbox.namespace("a");
    try (Mailbox.Subscription ignored = a.subscribe(recording(heard))) {
      mail().subject("other").text("t").to("alice+b@example.com").send();
      mail().subject("mine").text("t").to("alice+a@example.com").send();
      String first = heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if ("cleared".equals(first)) {
        // the clear before this test reaches the server's event loop after the subscription
        first = heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      assertThat(first).isEqualTo("received mine");

      mailbox.delete(mailbox.namespace("b").latest().orElseThrow().id());
      a.delete(a.latest().orElseThrow().id());
      assertThat(heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("deleted mine");

      mailbox.clear();
      assertThat(heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("cleared");
    }
  }

  @Test
  void aNameNoNamespaceCanHaveIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> mailbox.namespace("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace name must be");
  }

  @Test
  void buildsMessagesFromTheRawBytesWithTheEnvelopeIncludingBcc() throws Exception {
    mail()
        .subject("Your order ✓")
        .text("Thanks for your order")
        .html("<p>Thanks</p>")
        .to("alice@example.com")
        .bcc("audit@example.com")
        .send();

    CapturedMessage m = mailbox.await(1, WAIT).get(0);

    assertThat(m.subject()).isEqualTo("Your order ✓");
    assertThat(m.text()).hasValue("Thanks for your order");
    assertThat(m.html()).hasValueSatisfying(h -> assertThat(h).contains("<p>Thanks</p>"));
    assertThat(m.envelope().sender()).isEqualTo("shop@example.com");
    assertThat(m.envelope().recipients()).containsExactly("alice@example.com", "audit@example.com");
    assertThat(m.envelope().heloName()).isEqualTo("client.test");
    assertThat(m.envelope().clientAddress()).isEqualTo("127.0.0.1");
    assertThat(m.id()).isPositive();
  }

  @Test
  void listsOldestFirstOrNewestFirst() throws Exception {
    mail().subject("first").send();
    mail().subject("second").send();

    assertThat(mailbox.messages())
        .extracting(CapturedMessage::subject)
        .containsExactly("first", "second");
    assertThat(mailbox.messages(Mailbox.Order.NEWEST_FIRST))
        .extracting(CapturedMessage::subject)
        .containsExactly("second", "first");
    assertThat(mailbox.latest())
        .hasValueSatisfying(m -> assertThat(m.subject()).isEqualTo("second"));
    assertThat(mailbox.count()).isEqualTo(2);
  }

  @Test
  void findsByIdAndByPredicate() throws Exception {
    mail().subject("keep").send();
    mail().subject("other").send();
    long id = mailbox.find(m -> m.subject().equals("keep")).get(0).id();

    assertThat(mailbox.findById(id))
        .hasValueSatisfying(m -> assertThat(m.subject()).isEqualTo("keep"));
    assertThat(mailbox.findById(id + 1000)).isEmpty();
  }

  @Test
  void deletesOneMessageOnceAndClearsTheRest() throws Exception {
    mail().subject("one").send();
    mail().subject("two").send();
    mail().subject("three").send();
    long id = mailbox.messages().get(0).id();

    assertThat(mailbox.delete(id)).isTrue();
    assertThat(mailbox.delete(id)).isFalse();
    assertThat(mailbox.findById(id)).isEmpty();
    assertThat(mailbox.clear()).isEqualTo(2);
    assertThat(mailbox.count()).isZero();
    assertThat(mailbox.latest()).isEmpty();
  }

  @Test
  void awaitReturnsAsSoonAsTheMailArrives() throws Exception {
    CompletableFuture<List<CapturedMessage>> waiting =
        CompletableFuture.supplyAsync(() -> mailbox.await(1, WAIT));
    assertThat(waiting).isNotDone();

    mail().subject("arrives").send();

    assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .extracting(CapturedMessage::subject)
        .containsExactly("arrives");
  }

  @Test
  void awaitWithAFilterWakesOnEachArrivalUntilOneMatches() throws Exception {
    CompletableFuture<List<CapturedMessage>> waiting =
        CompletableFuture.supplyAsync(
            () -> mailbox.await(m -> m.subject().equals("second"), 1, WAIT));

    mail().subject("first").send();
    mail().subject("second").send();

    assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .extracting(CapturedMessage::subject)
        .containsExactly("second");
  }

  @Test
  void awaitThatTimesOutSaysWhatArrivedInTheSameWordsAsInProcess() throws Exception {
    mail().subject("only one").send();

    assertThatThrownBy(() -> mailbox.await(2, Duration.ofMillis(500)))
        .isInstanceOf(MailsinkAssertionError.class)
        .hasMessageStartingWith("Expected 2 messages within PT0.5S but received 1:")
        .hasMessageContaining(
            "from=<shop@example.com> to=[<customer@example.com>] subject=\"only one\"");
  }

  @Test
  void aFilteredAwaitThatTimesOutCountsMatchesAndArrivals() throws Exception {
    mail().subject("not it").send();

    assertThatThrownBy(
            () -> mailbox.await(m -> m.subject().equals("it"), 1, Duration.ofMillis(300)))
        .isInstanceOf(MailsinkAssertionError.class)
        .hasMessageStartingWith(
            "Expected 1 message matching the filter within PT0.3S but 0 matched of 1 received:");
  }

  @Test
  void aRecipientsInboxHoldsItsMailAndDeletesOnlyFromItself() throws Exception {
    mail().subject("to both").to("alice@example.com").to("bob@example.com").send();
    mail().subject("to bob").to("bob@example.com").send();
    Mailbox alice = mailbox.forRecipient("Alice@EXAMPLE.com".replace("Alice", "alice"));
    Mailbox bob = mailbox.forRecipient("bob@example.com");

    assertThat(alice.messages()).extracting(CapturedMessage::subject).containsExactly("to both");
    assertThat(bob.count()).isEqualTo(2);
    assertThat(alice.clear()).isEqualTo(1);
    assertThat(alice.count()).isZero();
    assertThat(bob.count()).isEqualTo(2);
    assertThat(mailbox.count()).isEqualTo(2);
  }

  @Test
  void aRecipientsAwaitIgnoresMailForOthers() throws Exception {
    Mailbox carol = mailbox.forRecipient("carol@example.com");
    CompletableFuture<List<CapturedMessage>> waiting =
        CompletableFuture.supplyAsync(() -> carol.await(1, WAIT));

    mail().subject("for dave").to("dave@example.com").send();
    mail().subject("for carol").to("carol@example.com").send();

    assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .extracting(CapturedMessage::subject)
        .containsExactly("for carol");
  }

  /** A listener that writes what it hears into {@code heard}. */
  private static MailboxListener recording(BlockingQueue<String> heard) {
    return new MailboxListener() {
      @Override
      public void received(CapturedMessage message) {
        heard.add("received " + message.subject());
      }

      @Override
      public void deleted(CapturedMessage message) {
        heard.add("deleted " + message.subject());
      }

      @Override
      public void cleared() {
        heard.add("cleared");
      }
    };
  }

  @Test
  void listenersHearArrivalsDeletionsAndClears() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    try (Mailbox.Subscription ignored = mailbox.subscribe(recording(heard))) {
      mail().subject("news").send();
      assertThat(heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("received news");

      mailbox.delete(mailbox.latest().orElseThrow().id());
      assertThat(heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("deleted news");

      mailbox.clear();
      assertThat(heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("cleared");
    }
  }

  @Test
  void attachmentsAreParsedOnTheClientFromTheSameBytes() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
    mail().subject("with logo").attach("logo.png", "image/png", png).send();

    CapturedMessage m = mailbox.await(1, WAIT).get(0);

    assertThat(m.attachments()).hasSize(1);
    assertThat(m.attachment("logo.png"))
        .hasValueSatisfying(a -> assertThat(a.content()).isEqualTo(png));
  }

  @Test
  void evictedCountReportsWhatTheServerDropped() throws Exception {
    try (ServerJarProcess small = ServerJarProcess.start("--max-messages=2")) {
      Mailbox remote = MailsinkClient.connect(small.webUri()).mailbox();
      for (String s : List.of("a", "b", "c")) {
        TestMail.via(small.smtpHost(), small.smtpPort()).subject(s).send();
      }

      assertThat(remote.messages()).extracting(CapturedMessage::subject).containsExactly("b", "c");
      assertThat(remote.evictedCount()).isEqualTo(1);
    }
  }

  @Test
  void aServerWithUiAuthNeedsTheCredentials() throws Exception {
    try (ServerJarProcess locked = ServerJarProcess.start("--ui-auth=admin:letmein")) {
      URI web = locked.webUri();

      assertThatThrownBy(() -> MailsinkClient.connect(web).mailbox().count())
          .isInstanceOf(MailsinkException.class)
          .hasMessageContaining("401")
          .hasMessageContaining("MailsinkClient.connect(uri, user, password)");
      assertThat(MailsinkClient.connect(web, "admin", "letmein").mailbox().count()).isZero();
    }
  }

  @Test
  void anUnreachableServerIsReportedWithItsAddress() {
    MailsinkClient nowhere = MailsinkClient.connect(URI.create("http://127.0.0.1:9/"));

    assertThatThrownBy(() -> nowhere.mailbox().count())
        .isInstanceOf(MailsinkException.class)
        .hasMessageContaining("Cannot reach the Mailsink server at http://127.0.0.1:9/");
  }

  @Test
  void aBaseUriMustBeAbsoluteHttp() {
    assertThatThrownBy(() -> MailsinkClient.connect(URI.create("localhost:8025")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("such as http://localhost:8025/");
  }
}
