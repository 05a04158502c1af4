package dev.mailsink.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.internal.session.SessionStore;
import dev.mailsink.session.Transcript;
import dev.mailsink.session.TranscriptEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorder's reading of the bytes, fed directly, split at every possible place. */
class TranscriptRecorderTest {
  private static final byte[] DATA_REPLY =
      "354 End data with <CR><LF>.<CR><LF>\r\n".getBytes(StandardCharsets.US_ASCII);

  private static Transcript feed(String body, int split) {
    SessionStore store = new SessionStore(10, 1 << 20);
    TranscriptRecorder r =
        new TranscriptRecorder(store.open("S", "127.0.0.1", 1, 25), new Shutdown());
    byte[] data = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
    r.received(data, 0, data.length);
    r.sending(DATA_REPLY, 0, DATA_REPLY.length);
    byte[] rest = (body + "NOOP\r\n").getBytes(StandardCharsets.US_ASCII);
    // as the server does: it reads until a chunk holds the terminator, then says where it ended
    r.received(rest, 0, split);
    if (split >= body.length()) {
      r.endOfData(body.length());
      r.received(rest, split, rest.length - split);
    } else {
      r.received(rest, split, rest.length - split);
      r.endOfData(body.length());
    }
    r.closed();
    return store.findById("S").orElseThrow();
  }

  @Test
  void theEndOfDataIsFoundWhereverTheChunksSplitIt() {
    List<String> bodies =
        List.of(
            ".\r\n",
            "x\r\n.\r\n",
            "Subject: a\r\n\r\n..stuffed\r\n.\r\n",
            "line\r\n\r\n.x\r\n\r\r\n.\r\n",
            "a".repeat(37) + "\r\n.." + "b".repeat(11) + "\r\n.\r\n",
            "no dots.\r\n.\rnot yet\r\n.\r\n");
    for (String body : bodies) {
      int content = body.length() - 3;
      for (int split = 0; split <= body.length() + 6; split++) {
        Transcript t = feed(body, split);
        assertThat(t.entries(TranscriptEntry.Kind.DATA))
            .as("body %s split at %d", body.replace("\r\n", "\\r\\n"), split)
            .extracting(TranscriptEntry::text)
            .containsExactly(content + " bytes");
        assertThat(t.commands()).as("split at %d", split).containsExactly("DATA", "NOOP");
      }
    }
  }

  @Test
  void contentIsNeverReadAsCommands() {
    SessionStore store = new SessionStore(10, 1 << 20);
    TranscriptRecorder r =
        new TranscriptRecorder(store.open("S", "127.0.0.1", 1, 25), new Shutdown());
    byte[] data = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
    r.received(data, 0, data.length);
    r.sending(DATA_REPLY, 0, DATA_REPLY.length);
    byte[] body = "QUIT\r\nMAIL FROM:<x@y>\r\n".getBytes(StandardCharsets.US_ASCII);
    r.received(body, 0, body.length);
    r.endOfInput();
    r.closed();
    Transcript t = store.findById("S").orElseThrow();
    assertThat(t.commands()).containsExactly("DATA");
    assertThat(t.endDetail()).contains("during DATA, after " + body.length + " bytes");
  }
}
