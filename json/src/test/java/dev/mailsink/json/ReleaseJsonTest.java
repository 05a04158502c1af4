package dev.mailsink.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailsink.relay.RelayAttempt;
import dev.mailsink.relay.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");

  private static Release release(String namespace) {
    return new Release(
        7,
        42,
        namespace,
        List.of("bob@y.test", "eve@y.test"),
        "manual",
        AT,
        Release.Status.PARTIALLY_DELIVERED,
        List.of(
            new RelayAttempt(
                1,
                AT.plusMillis(1),
                Duration.ofMillis(250),
                "127.0.0.1:2525",
                List.of("bob@y.test", "eve@y.test"),
                RelayAttempt.Result.PARTIALLY_DELIVERED,
                250,
                "250 2.0.0 Ok",
                List.of(new RelayAttempt.Refusal("eve@y.test", 550, "550 5.1.1 No such user")))),
        null,
        "delivered to 1 of 2");
  }

  private static Release roundTrip(Release r) throws Exception {
    String json = MAPPER.writeValueAsString(ReleaseJson.of(r));
    return MAPPER.readValue(json, ReleaseJson.class).toRelease();
  }

  @Test
  void aReleaseOfANamespacedMessageSurvivesARoundTrip() throws Exception {
    Release r = release("ns1");

    assertThat(MAPPER.writeValueAsString(ReleaseJson.of(r))).contains("\"namespace\":\"ns1\"");
    assertThat(roundTrip(r)).isEqualTo(r);
  }

  @Test
  void aReleaseOfAMessageInNoNamespaceWritesNullAndSurvivesARoundTrip() throws Exception {
    Release r = release(null);

    assertThat(MAPPER.writeValueAsString(ReleaseJson.of(r))).contains("\"namespace\":null");
    assertThat(roundTrip(r)).isEqualTo(r);
  }
}
