package dev.mailsink.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailsink.session.SessionEnd;
import dev.mailsink.session.Transcript;
import dev.mailsink.session.TranscriptEntry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-01-02T03:04:05.123456Z");

  private static Transcript transcript(List<String> namespaces) {
    return new Transcript(
        "s1",
        "127.0.0.1",
        40000,
        1025,
        START,
        START.plusSeconds(1),
        SessionEnd.QUIT,
        "",
        "client.test",
        null,
        null,
        null,
        null,
        List.of(1L, 2L),
        namespaces,
        List.of(
            new TranscriptEntry(START, TranscriptEntry.Kind.COMMAND, "EHLO client.test"),
            new TranscriptEntry(START.plusMillis(5), TranscriptEntry.Kind.REPLY, "250 Ok")),
        0);
  }

  private static Transcript roundTrip(Transcript t) throws Exception {
    String json = MAPPER.writeValueAsString(TranscriptJson.of(t));
    return MAPPER.readValue(json, TranscriptJson.class).toTranscript();
  }

  @Test
  void aTranscriptWithNamespacesSurvivesARoundTrip() throws Exception {
    Transcript t = transcript(List.of("zeta", "alpha"));

    assertThat(MAPPER.writeValueAsString(TranscriptJson.of(t)))
        .contains("\"namespaces\":[\"zeta\",\"alpha\"]");
    assertThat(roundTrip(t)).isEqualTo(t);
  }

  @Test
  void aTranscriptWithoutNamespacesWritesAnEmptyArrayAndSurvivesARoundTrip() throws Exception {
    Transcript t = transcript(List.of());

    assertThat(MAPPER.writeValueAsString(TranscriptJson.of(t))).contains("\"namespaces\":[]");
    assertThat(MAPPER.writeValueAsString(TranscriptJson.SummaryJson.of(t)))
        .contains("\"namespaces\":[]");
    assertThat(roundTrip(t)).isEqualTo(t);
  }

  @Test
  void aSummaryNamesTheNamespaces() throws Exception {
    assertThat(
            MAPPER.writeValueAsString(
                TranscriptJson.SummaryJson.of(transcript(List.of("zeta", "alpha")))))
        .contains("\"namespaces\":[\"zeta\",\"alpha\"]");
  }
}
