package dev.mailsink.internal.relay;

import dev.mailsink.CapturedMessage;
import dev.mailsink.relay.RelayAttempt;
import dev.mailsink.relay.Release;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The changing state of one release. Changed by the relay's threads through its store (which holds
 * the lock); the message is dropped once the release is done, so done releases hold no bytes.
 */
final class ReleaseRecord {
  final long id;
  final long messageId;
  final String namespace; // the message's, or null
  final List<String> recipients;
  final String trigger;
  final Instant requestedAt;
  final CompletableFuture<Release> done = new CompletableFuture<>();

  // guarded by the store's lock
  CapturedMessage message;
  List<String> remaining;
  Release.Status status = Release.Status.PENDING;
  final List<RelayAttempt> attempts = new ArrayList<>();
  Instant nextAttemptAt;
  String detail = "waiting for the first attempt";

  ReleaseRecord(long id, CapturedMessage message, List<String> recipients, String trigger) {
    this.id = id;
    this.messageId = message.id();
    this.namespace = message.namespace().orElse(null);
    this.message = message;
    this.recipients = List.copyOf(recipients);
    this.remaining = this.recipients;
    this.trigger = trigger;
    this.requestedAt = Instant.now();
  }

  /** Whether the release is in the namespace {@code name}; every release is in {@code null}. */
  boolean isIn(String name) {
    return name == null || name.equals(namespace);
  }

  Release snapshot() {
    return new Release(
        id,
        messageId,
        namespace,
        recipients,
        trigger,
        requestedAt,
        status,
        attempts,
        status == Release.Status.PENDING ? nextAttemptAt : null,
        detail);
  }
}
