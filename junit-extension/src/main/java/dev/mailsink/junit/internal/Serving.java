package dev.mailsink.junit.internal;

import dev.mailsink.Mailbox;
import dev.mailsink.NamespaceRule;
import dev.mailsink.fault.FaultRules;

/**
 * What serves the tests below a JUnit context, as the extension keeps it in JUnit's store. Not API.
 *
 * @param registration the extension instance that set it up
 * @param contextId the unique id of the context it was set up in
 * @param handle the server, or null when it runs elsewhere
 * @param mailbox the server's root mailbox
 * @param faults the server's fault rules
 * @param rule the server's namespace rule
 * @param namespacePerTest whether each test gets a namespace
 */
public record Serving(
    Object registration,
    String contextId,
    SinkHandle handle,
    Mailbox mailbox,
    FaultRules faults,
    NamespaceRule rule,
    boolean namespacePerTest) {}
