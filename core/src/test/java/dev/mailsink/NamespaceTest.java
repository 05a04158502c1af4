package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.testing.TestMail;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NamespaceTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static void send(Mailsink sink, String to, String subject) {
    TestMail.message()
        .from("app@example.com")
        .to(to)
        .subject(subject)
        .text("body")
        .sendTo(sink.smtpHost(), sink.smtpPort());
  }

  @Test
  void subAddressTagPutsMessagesInTheirNamespaceAndRootSeesAll() {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      send(sink, "alice+ns1@example.com", "one");
      send(sink, "bob+NS2@example.com", "two");
      send(sink, "carol@example.com", "root only");
      Mailbox ns1 = sink.mailbox().namespace("ns1");
      Mailbox ns2 = sink.mailbox().namespace("Ns2");

      assertThat(sink.mailbox().count()).isEqualTo(3);
      assertThat(ns1.messages()).extracting(CapturedMessage::subject).containsExactly("one");
      assertThat(ns2.messages()).extracting(CapturedMessage::subject).containsExactly("two");
      assertThat(ns1.count()).isEqualTo(1);
      assertThat(ns1.latest().orElseThrow().namespace()).contains("ns1");
      assertThat(sink.mailbox().latest().orElseThrow().namespace()).isEmpty();
      long twoId = ns2.latest().orElseThrow().id();
      assertThat(ns1.findById(twoId)).isEmpty();
      assertThat(ns1.delete(twoId)).isFalse();
      assertThat(sink.mailbox().namespace("nothing").count()).isZero();
    }
  }

  @Test
  void clearAndDeleteStayInTheNamespace() {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      send(sink, "alice+a@example.com", "a1");
      send(sink, "alice+a@example.com", "a2");
      send(sink, "alice+b@example.com", "b1");
      Mailbox a = sink.mailbox().namespace("a");

      assertThat(a.clear()).isEqualTo(2);
      assertThat(a.count()).isZero();
      assertThat(sink.mailbox().namespace("b").count()).isEqualTo(1);
      assertThat(sink.mailbox().count()).isEqualTo(1);
    }
  }

  @Test
  void awaitWaitsForTheNamespaceOnlyAndFailsListingItsOwnMail() throws Exception {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      Mailbox a = sink.mailbox().namespace("a");
      CompletableFuture<List<CapturedMessage>> waiting =
          CompletableFuture.supplyAsync(() -> a.await(1, WAIT));
      send(sink, "x+b@example.com", "other namespace");
      send(sink, "x+a@example.com", "mine");
      assertThat(waiting.get(5, TimeUnit.SECONDS))
          .extracting(CapturedMessage::subject)
          .containsExactly("mine");

      assertThatThrownBy(() -> a.await(2, Duration.ofMillis(100)))
          .isInstanceOf(MailsinkAssertionError.class)
          .hasMessageContaining("in namespace a")
          .hasMessageContaining("1 matched of 1 received")
          .hasMessageContaining("mine")
          .hasMessageNotContaining("other namespace");
    }
  }

  @Test
  void listenersHearTheirNamespaceOnly() throws Exception {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      List<String> heard = new CopyOnWriteArrayList<>();
      CountDownLatch two = new CountDownLatch(2);
      try (Mailbox.Subscription s =
          sink.mailbox()
              .namespace("a")
              .subscribe(
                  new MailboxListener() {
                    @Override
                    public void received(CapturedMessage message) {
                      heard.add(message.subject());
                      two.countDown();
                    }
                  })) {
        send(sink, "x+a@example.com", "first");
        send(sink, "x+b@example.com", "not mine");
        send(sink, "x+a@example.com", "second");
        assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(heard).containsExactly("first", "second");
    }
  }

  @Test
  void recipientViewsInsideANamespaceAreScoped() {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      send(sink, "alice+a@example.com", "alice in a");
      send(sink, "alice+b@example.com", "alice in b");
      Mailbox aliceInA = sink.mailbox().namespace("a").forRecipient("alice+a@example.com");
      assertThat(aliceInA.messages())
          .extracting(CapturedMessage::subject)
          .containsExactly("alice in a");
      assertThat(sink.mailbox().namespace("b").forRecipient("alice+a@example.com").count())
          .isZero();
    }
  }

  @Test
  void otherRulesChooseTheNamespace() throws Exception {
    try (Mailsink sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .namespaceRule(NamespaceRule.recipientSubdomain("example.test"))
                .build())) {
      send(sink, "alice@ns42.example.test", "by domain");
      send(sink, "alice+tag@example.test", "no subdomain");
      assertThat(sink.mailbox().namespace("ns42").messages())
          .extracting(CapturedMessage::subject)
          .containsExactly("by domain");
      assertThat(NamespaceRule.recipientSubdomain("example.test").address("ns42", "bob", "x"))
          .isEqualTo("bob@ns42.example.test");
    }
    try (Mailsink sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .namespaceRule(NamespaceRule.header("X-Mailsink-Namespace"))
                .build())) {
      TestMail.message()
          .from("app@example.com")
          .to("alice@example.com")
          .subject("by header")
          .text("t")
          .header("X-Mailsink-Namespace", "T7")
          .sendTo(sink.smtpHost(), sink.smtpPort());
      send(sink, "alice+t7@example.com", "sub-address ignored");
      assertThat(sink.mailbox().namespace("t7").messages())
          .extracting(CapturedMessage::subject)
          .containsExactly("by header");
    }
    try (Mailsink sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .namespaceRule(NamespaceRule.authUser())
                .auth(AuthConfig.optional(Credentials.of("tenant1", "pw")))
                .build())) {
      TestMail.message()
          .from("app@example.com")
          .to("alice@example.com")
          .subject("by auth user")
          .text("t")
          .auth("tenant1", "pw")
          .sendTo(sink.smtpHost(), sink.smtpPort());
      send(sink, "alice@example.com", "anonymous");
      assertThat(sink.mailbox().namespace("tenant1").messages())
          .extracting(CapturedMessage::subject)
          .containsExactly("by auth user");
    }
  }

  @Test
  void subAddressSeparatorIsConfigurable() {
    try (Mailsink sink =
        Mailsink.start(
            MailsinkConfig.builder().namespaceRule(NamespaceRule.subAddress("--")).build())) {
      send(sink, "alice--n1@example.com", "dash");
      send(sink, "alice+n1@example.com", "plus");
      assertThat(sink.mailbox().namespace("n1").messages())
          .extracting(CapturedMessage::subject)
          .containsExactly("dash");
    }
  }

  @Test
  void badNamesAndSeparatorsAreRefused() {
    try (Mailsink sink = Mailsink.start(MailsinkConfig.defaults())) {
      assertThatThrownBy(() -> sink.mailbox().namespace(" "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("namespace name");
      assertThatThrownBy(() -> sink.mailbox().namespace("a b"))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> NamespaceRule.subAddress("@"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("separator");
  }
}
