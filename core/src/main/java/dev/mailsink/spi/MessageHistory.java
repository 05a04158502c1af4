package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.relay.Release;
import dev.mailsink.session.Transcript;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link CapturedMessage} learns about itself from the server that holds it: the transcript
 * of the session that delivered it and its releases to the upstream server. Mailbox implementations
 * (the in-memory one, the remote client) pass one to {@link CapturedMessage#of(long,
 * java.time.Instant, dev.mailsink.Envelope, byte[], MessageHistory)}; users of the API do not need
 * it.
 *
 * <p>Implementations are thread-safe and answer with what is known at the time of the call.
 */
public interface MessageHistory {

  /** The history of a message built without a server: no transcript, no releases. */
  MessageHistory NONE =
      new MessageHistory() {
        @Override
        public Optional<Transcript> transcript(CapturedMessage message) {
          return Optional.empty();
        }

        @Override
        public List<Release> releases(CapturedMessage message) {
          return List.of();
        }
      };

  /** The transcript of the session that delivered {@code message}, if it is still retained. */
  Optional<Transcript> transcript(CapturedMessage message);

  /** The releases of {@code message} to the upstream server, oldest first; empty when none. */
  List<Release> releases(CapturedMessage message);
}
