package dev.mailsink.server;

import dev.mailsink.MailsinkConfig;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.server.FlagValues.CpuScheduling;
import dev.mailsink.server.FlagValues.Credentials;
import dev.mailsink.server.FlagValues.LogLevel;
import dev.mailsink.server.FlagValues.Mode;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the command line asked for, checked: what {@link StandaloneServer} starts from.
 *
 * @param smtp the SMTP side (port, bind address, limits)
 * @param httpPort the port of the web UI and API; 0 for a free one
 * @param smtpsPort the implicit-TLS port, or {@code null} for none
 * @param starttls the STARTTLS mode
 * @param tlsCert a PEM certificate, or {@code null}
 * @param tlsKey the PEM key of {@code tlsCert}, or {@code null}
 * @param tlsKeystore a PKCS12 keystore, or {@code null}
 * @param tlsKeystorePassword the keystore's password, or {@code null}
 * @param auth the AUTH mode
 * @param authTlsOnly whether PLAIN and LOGIN are refused before TLS
 * @param users the accepted users; empty means any credentials
 * @param faultRules the fault rules to install at start; empty for none
 * @param uiAuth basic-auth credentials of the UI and API, or {@code null}
 * @param corsOrigins the browser origins allowed to call the API
 * @param logLevel the log level
 * @param cpuScheduling the CPU scheduling policy of the server's threads
 */
record ServerSettings(
    MailsinkConfig smtp,
    int httpPort,
    Integer smtpsPort,
    Mode starttls,
    Path tlsCert,
    Path tlsKey,
    Path tlsKeystore,
    String tlsKeystorePassword,
    Mode auth,
    boolean authTlsOnly,
    List<Credentials> users,
    List<FaultRule> faultRules,
    Credentials uiAuth,
    List<String> corsOrigins,
    LogLevel logLevel,
    CpuScheduling cpuScheduling) {

  /** Whether any TLS setting asks for TLS. */
  boolean wantsTls() {
    return starttls != Mode.OFF || smtpsPort != null;
  }

  @Override
  public String toString() {
    return "ServerSettings{smtp="
        + smtp
        + ", httpPort="
        + httpPort
        + ", smtpsPort="
        + smtpsPort
        + ", starttls="
        + starttls
        + ", auth="
        + auth
        + ", users="
        + users
        + ", uiAuth="
        + uiAuth
        + "}";
  }
}
