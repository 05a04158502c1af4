package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseLog;
import dev.mailsink.session.SessionLog;
import dev.mailsink.session.Transcript;
import dev.mailsink.testing.TestMail;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The session and release logs' namespace views, over real SMTP sessions (Jakarta Mail). */
@Timeout(30)
class NamespaceLogsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static CapturedMessage send(Mailsink sink, String to, String subject) {
    TestMail.message()
        .from("app@x.test")
        .to(to)
        .subject(subject)
        .text("body")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    return sink.mailbox().find(m -> m.subject().equals(subject)).get(0);
  }

  private static List<String> endedIds(SessionLog log) {
    return log.find(t -> !t.isOpen()).stream().map(Transcript::id).toList();
  }

  @Test
  void aSessionBelongsToEachNamespaceItStoredMailInAndOnlyThose() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      sink.faults()
          .add(
              FaultRule.on(SmtpStage.RCPT)
                  .when(Match.recipient("nobody+ns1@example.com"))
                  .reply(550, "5.1.1 No such user")
                  .times(1));
      String one = send(sink, "alice+ns1@example.com", "one").envelope().sessionId();
      String two = send(sink, "bob+ns2@example.com", "two").envelope().sessionId();
      String none = send(sink, "carol@example.com", "none").envelope().sessionId();
      assertThatThrownBy(
              () ->
                  TestMail.message()
                      .from("app@x.test")
                      .to("nobody+ns1@example.com")
                      .subject("refused")
                      .text("body")
                      .sendTo(sink.smtpHost(), sink.smtpPort()))
          .isInstanceOf(RuntimeException.class);
      TestMail.sendAll(
          sink.smtpHost(),
          sink.smtpPort(),
          List.of(
              TestMail.message()
                  .from("app@x.test")
                  .to("dan+ns1@example.com")
                  .subject("both-1")
                  .text("b"),
              TestMail.message()
                  .from("app@x.test")
                  .to("dan+ns3@example.com")
                  .subject("both-3")
                  .text("b")));
      String both =
          sink.mailbox().find(m -> m.subject().equals("both-3")).get(0).envelope().sessionId();
      List<Transcript> all = sink.sessions().await(t -> !t.isOpen(), 5, WAIT);
      String refused =
          all.stream().filter(t -> t.messageIds().isEmpty()).findFirst().orElseThrow().id();

      assertThat(endedIds(sink.sessions().namespace("ns1"))).containsExactly(one, both);
      assertThat(endedIds(sink.sessions().namespace("NS2"))).containsExactly(two);
      assertThat(endedIds(sink.sessions().namespace("ns3"))).containsExactly(both);
      assertThat(sink.sessions().namespace("ns4").sessions()).isEmpty();
      assertThat(endedIds(sink.sessions())).containsExactly(one, two, none, refused, both);
      assertThat(sink.sessions().namespace("ns1").findById(two)).isEmpty();
      assertThat(sink.sessions().namespace("ns1").findById(refused)).isEmpty();
      assertThat(sink.sessions().namespace("ns2").findById(two)).isPresent();
      assertThat(sink.sessions().namespace("ns3").findById(both).orElseThrow().messageIds())
          .hasSize(2);
      assertThat(sink.sessions().namespace("ns1").namespace("ns2").sessions())
          .extracting(Transcript::id)
          .containsExactly(two);
    }
  }

  @Test
  void aTranscriptNamesTheNamespacesItsSessionStoredMailInInTheOrderItFirstDid() {
    try (Mailsink sink = Mailsink.start()) {
      TestMail.sendAll(
          sink.smtpHost(),
          sink.smtpPort(),
          List.of(
              TestMail.message()
                  .from("app@x.test")
                  .to("a+zeta@example.com")
                  .subject("z1")
                  .text("b"),
              TestMail.message().from("app@x.test").to("a@example.com").subject("root").text("b"),
              TestMail.message()
                  .from("app@x.test")
                  .to("a+alpha@example.com")
                  .subject("a")
                  .text("b"),
              TestMail.message()
                  .from("app@x.test")
                  .to("a+Zeta@example.com")
                  .subject("z2")
                  .text("b")));
      String mixed =
          sink.mailbox().find(m -> m.subject().equals("z2")).get(0).envelope().sessionId();
      String root = send(sink, "carol@example.com", "only-root").envelope().sessionId();
      sink.sessions().await(t -> !t.isOpen(), 2, WAIT);

      Transcript t = sink.sessions().findById(mixed).orElseThrow();
      assertThat(t.namespaces()).containsExactly("zeta", "alpha");
      assertThat(t.messageIds()).hasSize(4);
      assertThat(t.summary()).endsWith(" in namespaces [zeta, alpha]");
      assertThat(sink.sessions().namespace("alpha").findById(mixed).orElseThrow().namespaces())
          .containsExactly("zeta", "alpha");
      assertThat(sink.sessions().findById(root).orElseThrow().namespaces()).isEmpty();
    }
  }

  @Test
  void aTranscriptOfASessionThatStoredNothingNamesNoNamespace() {
    try (Mailsink sink = Mailsink.start()) {
      sink.faults().add(FaultRule.on(SmtpStage.RCPT).reply(550, "5.1.1 No such user").times(1));
      assertThatThrownBy(() -> send(sink, "x+ns1@example.com", "refused"))
          .isInstanceOf(RuntimeException.class);

      assertThat(sink.sessions().await(t -> !t.isOpen(), 1, WAIT).get(0).namespaces()).isEmpty();
    }
  }

  @Test
  void awaitInANamespaceIgnoresOtherNamespacesAndFailsListingItsOwnSessions() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      SessionLog a = sink.sessions().namespace("a");
      CompletableFuture<List<Transcript>> waiting =
          CompletableFuture.supplyAsync(() -> a.await(t -> !t.isOpen(), 1, WAIT));
      String other = send(sink, "x+b@example.com", "other").envelope().sessionId();
      sink.sessions().await(t -> t.id().equals(other) && !t.isOpen(), 1, WAIT);
      assertThat(waiting).isNotDone();

      String mine = send(sink, "x+a@example.com", "mine").envelope().sessionId();

      assertThat(waiting.get(5, TimeUnit.SECONDS)).extracting(Transcript::id).containsExactly(mine);
      assertThatThrownBy(() -> a.await(t -> true, 2, Duration.ofMillis(100)))
          .isInstanceOf(MailsinkAssertionError.class)
          .hasMessageContaining("2 sessions in namespace a")
          .hasMessageContaining("1 matched of 1 session")
          .hasMessageContaining(mine)
          .hasMessageNotContaining(other);
    }
  }

  @Test
  void clearingANamespaceForgetsOnlyItsEndedSessions() {
    try (Mailsink sink = Mailsink.start()) {
      send(sink, "x+a@example.com", "a1");
      send(sink, "x+a@example.com", "a2");
      String b = send(sink, "x+b@example.com", "b").envelope().sessionId();
      String root = send(sink, "x@example.com", "root").envelope().sessionId();
      sink.sessions().await(t -> !t.isOpen(), 4, WAIT);

      assertThat(sink.sessions().namespace("a").clear()).isEqualTo(2);

      assertThat(sink.sessions().namespace("a").sessions()).isEmpty();
      assertThat(endedIds(sink.sessions())).containsExactly(b, root);
    }
  }

  @Test
  void aReleaseBelongsToItsMessagesNamespaceEvenAfterTheMessageIsDeleted() throws Exception {
    try (Mailsink upstream = Mailsink.start();
        Mailsink sink =
            Mailsink.start(
                MailsinkConfig.builder()
                    .relay(
                        RelayConfig.builder(upstream.smtpHost(), upstream.smtpPort())
                            .tls(RelayTls.NONE)
                            .allowedRecipients("*@y.test")
                            .build())
                    .build())) {
      CapturedMessage one = send(sink, "bob+ns1@y.test", "one");
      CapturedMessage two = send(sink, "bob+ns2@y.test", "two");
      CapturedMessage root = send(sink, "bob@y.test", "root");
      Release r1 = sink.release(one, "me@y.test").get(5, TimeUnit.SECONDS);
      Release r2 = sink.release(two, "me@y.test").get(5, TimeUnit.SECONDS);
      Release r3 = sink.release(root, "me@y.test").get(5, TimeUnit.SECONDS);
      assertThat(r1.namespace()).isEqualTo("ns1");
      assertThat(r1.summary()).contains("of message #" + one.id() + " in namespace ns1 to");
      assertThat(r3.namespace()).isNull();
      sink.mailbox().delete(one.id());
      ReleaseLog ns1 = sink.releases().namespace("ns1");

      assertThat(ns1.releases()).extracting(Release::id).containsExactly(r1.id());
      assertThat(sink.releases().namespace("ns2").releases())
          .extracting(Release::id)
          .containsExactly(r2.id());
      assertThat(sink.releases().releases())
          .extracting(Release::id)
          .containsExactly(r1.id(), r2.id(), r3.id());
      assertThat(ns1.findById(r1.id()).orElseThrow().namespace()).isEqualTo("ns1");
      assertThat(sink.releases().findById(r2.id()).orElseThrow().namespace()).isEqualTo("ns2");
      assertThat(ns1.findById(r2.id())).isEmpty();
      assertThat(ns1.forMessage(two.id())).isEmpty();
      assertThat(ns1.forMessage(one.id())).extracting(Release::id).containsExactly(r1.id());
      assertThat(ns1.awaitDone(r1.id(), WAIT).status()).isEqualTo(Release.Status.DELIVERED);
      assertThatThrownBy(() -> ns1.awaitDone(r2.id(), WAIT))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessageContaining("in namespace ns1");
    }
  }

  @Test
  void namesNoNamespaceCanHaveAreRefused() {
    try (Mailsink sink = Mailsink.start()) {
      assertThatThrownBy(() -> sink.sessions().namespace("a b"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> sink.releases().namespace("x@y"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> sink.releases().namespace(" "))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
