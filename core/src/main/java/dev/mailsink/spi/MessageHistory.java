package dev.mailsink.spi;

import dev.mailsink.CapturedMessage;
import dev.mailsink.session.Transcript;
import java.util.Optional;

/**
 * What a {@link CapturedMessage} learns about itself from the server that holds it: the transcript
 * of the session that delivered it. Mailbox implementations (the in-memory one, the remote client)
 * pass one to {@link CapturedMessage#of(long, java.time.Instant, dev.mailsink.Envelope, byte[],
 * MessageHistory)}; users of the API do not need it.
 *
 * <p>Implementations are thread-safe and answer with what is known at the time of the call.
 */
public interface MessageHistory {

  /** The history of a message built without a server: no transcript. */
  MessageHistory NONE = message -> Optional.empty();

  /** The transcript of the session that delivered {@code message}, if it is still retained. */
  Optional<Transcript> transcript(CapturedMessage message);
}
