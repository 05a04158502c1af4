package dev.mailsink.internal.smtp;

import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsMode;
import dev.mailsink.internal.fault.FaultEngine;
import dev.mailsink.internal.store.InMemoryMailbox;
import javax.net.ssl.SSLContext;

/** What the commands of every listener of one server share. */
record SmtpContext(
    MailsinkConfig config,
    InMemoryMailbox mailbox,
    FaultEngine faults,
    SSLContext tls,
    Shutdown shutdown,
    SessionRegistry sessions) {

  boolean startTlsOffered() {
    return config.startTls() != TlsMode.OFF && tls != null;
  }

  boolean tlsRequired() {
    return config.startTls() == TlsMode.REQUIRED;
  }
}
