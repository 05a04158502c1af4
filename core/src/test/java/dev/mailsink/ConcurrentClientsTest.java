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
