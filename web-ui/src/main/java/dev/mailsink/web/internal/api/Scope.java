package dev.mailsink.web.internal.api;

import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import dev.mailsink.relay.ReleaseLog;
import dev.mailsink.session.SessionLog;
import dev.mailsink.spi.NamespaceMailbox;
import io.undertow.server.HttpServerExchange;

/**
 * What a request reads and changes: the whole mailbox, or one namespace of it ({@code
 * ?namespace=name}, through {@link Mailbox#namespace(String)}), and so the session and release logs
 * or their views of that namespace.
 *
 * @param namespace the namespace's name in lower case, or {@code null} for the whole mailbox
 * @param mailbox the mailbox or the namespace's view of it
 * @param view the namespace's view, or {@code null} for the whole mailbox
 */
record Scope(String namespace, Mailbox mailbox, NamespaceMailbox view) {

  static Scope root(Mailbox root) {
    return new Scope(null, root, null);
  }

  /** The scope a request names; a name no namespace can have is a 400. */
  static Scope of(HttpServerExchange exchange, Mailbox root) {
    String name = Params.query(exchange, "namespace");
    if (name == null || name.isBlank()) {
      return root(root);
    }
    NamespaceMailbox view;
    try {
      // the in-memory mailbox's namespaces are NamespaceMailbox views
      view = (NamespaceMailbox) root.namespace(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    return new Scope(view.name(), view, view);
  }

  /** The session log, or the namespace's view of it. */
  SessionLog sessions(SessionLog root) {
    return view == null ? root : root.namespace(namespace);
  }

  /** The release log, or the namespace's view of it. */
  ReleaseLog releases(ReleaseLog root) {
    return view == null ? root : root.namespace(namespace);
  }

  boolean isRoot() {
    return view == null;
  }

  /** Whether the message is (or, once deleted, was) in this scope. */
  boolean holds(CapturedMessage m) {
    return view == null || view.contains(m);
  }

  /** {@code ""} or {@code " in namespace ns42"}, for messages. */
  String where() {
    return view == null ? "" : " in namespace " + namespace;
  }
}
