package dev.mailsink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.testing.TestMail;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ConcurrentClientsTest {

  /**
   * Sessions run on the thread that accepted their connection and a new thread waits for the next
   * one whenever none is left waiting; were that ever missed, a connection beyond the first few
   * would wait for a greeting that never comes while the others stay open.
   */
  @Test
  void fiftyConnectionsHeldOpenAtOnceAreEachGreeted() throws Exception {
    try (Mailsink sink = Mailsink.start()) {
      List<SmtpScript> open = new ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) {
          SmtpScript smtp = SmtpScript.connect(sink);
          open.add(smtp);
          smtp.expectCode(220);
        }
        assertThat(sink.openConnections()).isEqualTo(50);
        for (SmtpScript smtp : open) {
          smtp.send("NOOP").expectCode(250);
        }
      } finally {
        for (SmtpScript smtp : open) {
          smtp.close();
        }
      }
    }
  }

  @Test
  void anExecutorOfOneThreadServesConnectionsOneAfterAnother() throws Exception {
    MailsinkConfig config =
        MailsinkConfig.builder().connectionExecutor(() -> Executors.newFixedThreadPool(1)).build();
    Mailsink sink = Mailsink.start(config);
    try (sink) {
      for (int i = 0; i < 5; i++) {
        TestMail.send(sink.smtpHost(), sink.smtpPort(), "a@x.test", "b@y.test", "n" + i, "x");
      }
      assertThat(sink.mailbox().await(5, Duration.ofSeconds(10)))
          .extracting(CapturedMessage::subject)
          .containsExactly("n0", "n1", "n2", "n3", "n4");
    }
    assertThat(sink.isRunning()).isFalse();
  }

  @Test
  void hundredClientsTimesTwentyMessagesAreEachStoredExactlyOnce() throws Exception {
    int clients = 100;
    int perClient = 20;
    try (Mailsink sink = Mailsink.start()) {
      Session session = TestMail.session(sink.smtpHost(), sink.smtpPort());
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          int client = c;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perClient; i++) {
                      TestMail.send(
                          session,
                          "c" + client + "@x.test",
                          "r@y.test",
                          client + "/" + i,
                          "body " + i);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      List<CapturedMessage> all = sink.mailbox().await(clients * perClient, Duration.ofSeconds(30));
      assertThat(all).hasSize(clients * perClient);
      Set<String> subjects = new HashSet<>();
      Set<Long> ids = new HashSet<>();
      for (CapturedMessage m : all) {
        subjects.add(m.subject());
        ids.add(m.id());
      }
      assertThat(subjects).hasSize(clients * perClient);
      assertThat(ids).hasSize(clients * perClient);
    }
  }
}
