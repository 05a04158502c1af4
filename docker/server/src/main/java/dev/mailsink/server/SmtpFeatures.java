package dev.mailsink.server;

import dev.mailsink.AuthConfig;
import dev.mailsink.Credentials;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsIdentity;
import dev.mailsink.TlsMode;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.server.FlagValues.Mode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the TLS, AUTH and fault-rule flags to the core configuration, and describes the result
 * for the start-up banner.
 */
final class SmtpFeatures {
  private SmtpFeatures() {}

  /** Adds the TLS, AUTH and start-up fault-rule settings to {@code builder}. */
  static MailsinkConfig.Builder apply(ServerSettings settings, MailsinkConfig.Builder builder) {
    builder.startTls(TlsMode.valueOf(settings.starttls().name()));
    if (settings.smtpsPort() != null) {
      builder.smtpsPort(settings.smtpsPort());
    }
    if (settings.tlsKeystore() != null) {
      builder.tlsIdentity(
          TlsIdentity.pkcs12(
              settings.tlsKeystore(),
              settings.tlsKeystorePassword() == null ? "" : settings.tlsKeystorePassword()));
    } else if (settings.tlsCert() != null) {
      builder.tlsIdentity(TlsIdentity.pem(settings.tlsCert(), settings.tlsKey()));
    }
    Credentials[] users =
        settings.users().stream()
            .map(c -> Credentials.of(c.user(), c.password()))
            .toArray(Credentials[]::new);
    AuthConfig auth =
        switch (settings.auth()) {
          case OFF -> AuthConfig.off();
          case OPTIONAL -> AuthConfig.optional(users);
          case REQUIRED -> AuthConfig.required(users);
        };
    if (settings.authTlsOnly()) {
      auth = auth.plaintextOnlyAfterTls();
    }
    return builder.auth(auth).faultRules(settings.faultRules());
  }

  /** Lines for the banner about SMTPS, STARTTLS, AUTH and fault rules; empty when all are off. */
  static List<String> describe(Mailsink sink, ServerSettings settings, String host) {
    List<String> lines = new ArrayList<>();
    if (settings.smtpsPort() != null) {
      lines.add("SMTPS   smtps://" + host + ":" + sink.smtpsPort() + " (implicit TLS)");
    }
    if (sink.pop3Port() >= 0) {
      lines.add("POP3    pop3://" + host + ":" + sink.pop3Port() + " (STLS offered)");
    }
    if (sink.pop3sPort() >= 0) {
      lines.add("POP3S   pop3s://" + host + ":" + sink.pop3sPort() + " (implicit TLS)");
    }
    if (sink.imapPort() >= 0) {
      lines.add("IMAP    imap://" + host + ":" + sink.imapPort());
    }
    if (sink.imapsPort() >= 0) {
      lines.add("IMAPS   imaps://" + host + ":" + sink.imapsPort() + " (implicit TLS)");
    }
    if (settings.starttls() != Mode.OFF) {
      lines.add("TLS     STARTTLS " + settings.starttls());
    }
    if (settings.wantsTls()) {
      String subject = sink.tls().certificate().getSubjectX500Principal().getName();
      lines.add("        certificate " + subject + " (GET /api/v1/tls/certificate)");
    }
    if (settings.auth() != Mode.OFF) {
      lines.add(
          "AUTH    "
              + settings.auth()
              + (settings.users().isEmpty()
                  ? ", any credentials"
                  : ", " + settings.users().size() + " user(s)")
              + (settings.authTlsOnly() ? ", PLAIN/LOGIN only after TLS" : ""));
    }
    if (!settings.smtp().recordSessions()) {
      lines.add("Sessions not recorded (--record-sessions=false)");
    }
    RelayConfig relay = settings.smtp().relay();
    if (relay != null) {
      lines.add(
          "Relay   "
              + relay.upstream()
              + " ("
              + relay.tls().name().toLowerCase(java.util.Locale.ROOT)
              + (relay.credentials() == null ? "" : ", user " + relay.credentials().user())
              + "), allows "
              + (relay.allowedRecipients().isEmpty()
                  ? "nobody yet (--relay-allow)"
                  : relay.allowedRecipients())
              + (relay.autoRelay().isEmpty() ? "" : ", auto-relay " + relay.autoRelay()));
    }
    if (!settings.faultRules().isEmpty()) {
      lines.add(
          "Faults  "
              + settings.faultRules().size()
              + " rule(s) from --faults (GET /api/v1/faults lists them with their hits)");
    }
    return lines;
  }
}
