package dev.mailsink.server;

import dev.mailsink.Credentials;
import dev.mailsink.relay.AutoRelayRule;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.RelayTrust;
import dev.mailsink.relay.RetryPolicy;
import dev.mailsink.syntax.QuerySyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The flags of the upstream server that captured mail may be released to ({@code --relay-*}).
 * Nothing is relayed without {@code --relay-host}; nothing is sent to a recipient outside {@code
 * --relay-allow}. The password is never printed.
 */
final class RelayFlags {

  /** How the relay connects, as written on the command line. */
  enum Tls {
    NONE,
    STARTTLS,
    IMPLICIT;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Option(
      names = "--relay-host",
      paramLabel = "HOST",
      description =
          "Upstream SMTP server that captured messages may be released to (Release in the UI,"
              + " POST /api/v1/messages/{id}/release); no relay unless set."
              + " Env: MAILSINK_RELAY_HOST.")
  String host;

  @Option(
      names = "--relay-port",
      paramLabel = "PORT",
      converter = FlagValues.OptionalPort.class,
      description =
          "Upstream port. Default: 587 with --relay-tls starttls, 465 with implicit, 25 with none."
              + " Env: MAILSINK_RELAY_PORT.")
  Integer port;

  @Option(
      names = "--relay-tls",
      paramLabel = "MODE",
      defaultValue = "starttls",
      description =
          "none, starttls (required: nothing is sent in clear) or implicit (SMTPS)."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_RELAY_TLS.")
  Tls tls;

  @Option(
      names = "--relay-trust",
      paramLabel = "system|insecure|FILE",
      defaultValue = "system",
      description =
          "Upstream certificates trusted: the system's, a PEM certificate or a PKCS12/JKS trust"
              + " store file, or insecure (any certificate, for test upstreams only)."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_RELAY_TRUST.")
  String trust;

  @Option(
      names = "--relay-trust-password",
      paramLabel = "PASSWORD",
      description = "Password of a --relay-trust store file. Env: MAILSINK_RELAY_TRUST_PASSWORD.")
  String trustPassword;

  @Option(
      names = "--relay-user",
      paramLabel = "USER",
      description = "AUTH user at the upstream. Env: MAILSINK_RELAY_USER.")
  String user;

  @Option(
      names = "--relay-password",
      paramLabel = "PASSWORD",
      description =
          "AUTH password at the upstream (prefer the environment variable or"
              + " --relay-password-file); never printed. Env: MAILSINK_RELAY_PASSWORD.")
  String password;

  @Option(
      names = "--relay-password-file",
      paramLabel = "FILE",
      description =
          "File holding the AUTH password (its first line), e.g. a Docker secret."
              + " Env: MAILSINK_RELAY_PASSWORD_FILE.")
  Path passwordFile;

  @Option(
      names = "--relay-from",
      paramLabel = "ADDRESS",
      description =
          "Envelope sender (MAIL FROM) of every release instead of the message's own, e.g. the"
              + " address the upstream account may send as. Env: MAILSINK_RELAY_FROM.")
  String from;

  @Option(
      names = "--relay-allow",
      paramLabel = "PATTERN",
      split = ",",
      description =
          "Allow list: the recipients a release may go to, with * and ? wildcards, e.g."
              + " *@example.com,me@gmail.com; nothing is allowed unless set."
              + " Env: MAILSINK_RELAY_ALLOW.")
  List<String> allow;

  @Option(
      names = "--relay-auto",
      paramLabel = "PATTERN",
      split = ",",
      description =
          "Auto-relay every captured message to its recipients that match these patterns (and"
              + " the allow list); the captured copy stays. Env: MAILSINK_RELAY_AUTO.")
  List<String> auto;

  @Option(
      names = "--relay-auto-query",
      paramLabel = "Q",
      description =
          "Auto-relay the captured messages that match this query (the q language, e.g."
              + " subject:invoice) to their recipients. Env: MAILSINK_RELAY_AUTO_QUERY.")
  String autoQuery;

  @Option(
      names = "--relay-auto-to",
      paramLabel = "ADDRESS",
      split = ",",
      description =
          "Auto-relay to these addresses instead of the messages' recipients."
              + " Env: MAILSINK_RELAY_AUTO_TO.")
  List<String> autoTo;

  @Option(
      names = "--relay-attempts",
      paramLabel = "N",
      defaultValue = "4",
      converter = FlagValues.PositiveInt.class,
      description =
          "Attempts per release in all; 4xx replies and broken connections are retried, 5xx"
              + " are final. Default: ${DEFAULT-VALUE}. Env: MAILSINK_RELAY_ATTEMPTS.")
  int attempts;

  @Option(
      names = "--relay-retry-delay",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = FlagValues.PositiveDuration.class,
      description =
          "Wait before the first retry; it doubles after each. Default: ${DEFAULT-VALUE}."
              + " Env: MAILSINK_RELAY_RETRY_DELAY.")
  Duration retryDelay;

  @Option(
      names = "--relay-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = FlagValues.PositiveDuration.class,
      description =
          "Connect, read and write timeout towards the upstream. Default: ${DEFAULT-VALUE}."
              + " Env: MAILSINK_RELAY_TIMEOUT.")
  Duration timeout;

  /**
   * The relay these flags describe, or null without {@code --relay-host}.
   *
   * @param usage makes the exception for a wrong combination of flags
   */
  RelayConfig config(Function<String, RuntimeException> usage) {
    if (host == null || host.isBlank()) {
      List<String> orphans = new ArrayList<>();
      addIf(orphans, port != null, "--relay-port");
      addIf(orphans, user != null, "--relay-user");
      addIf(orphans, password != null || passwordFile != null, "--relay-password");
      addIf(orphans, from != null, "--relay-from");
      addIf(orphans, allow != null && !allow.isEmpty(), "--relay-allow");
      addIf(orphans, auto != null || autoQuery != null || autoTo != null, "--relay-auto");
      if (!orphans.isEmpty()) {
        throw usage.apply(
            String.join(", ", orphans) + " set but --relay-host is not; add --relay-host HOST");
      }
      return null;
    }
    RelayTls mode = RelayTls.valueOf(tls.name());
    int p =
        port != null
            ? port
            : mode == RelayTls.STARTTLS ? 587 : mode == RelayTls.IMPLICIT ? 465 : 25;
    if (p == 0) {
      throw usage.apply("--relay-port must be a port from 1 to 65535, was 0");
    }
    RelayConfig.Builder b =
        RelayConfig.builder(host, p)
            .tls(mode)
            .trust(trust(usage))
            .retry(RetryPolicy.of(attempts, retryDelay))
            .timeout(timeout);
    String secret = password(usage);
    if (user != null) {
      if (secret == null) {
        throw usage.apply(
            "--relay-user needs a password: set MAILSINK_RELAY_PASSWORD or --relay-password-file");
      }
      b.credentials(Credentials.of(user, secret));
    } else if (secret != null) {
      throw usage.apply("a relay password is set but --relay-user is not; add --relay-user USER");
    }
    if (from != null) {
      b.envelopeSender(from);
    }
    if (allow != null) {
      b.allowedRecipients(allow.stream().filter(a -> !a.isBlank()).toList());
    }
    List<AutoRelayRule> rules = new ArrayList<>();
    try {
      if (auto != null && !auto.isEmpty()) {
        rules.add(AutoRelayRule.recipients(auto.toArray(String[]::new)));
      }
      if (autoQuery != null && !autoQuery.isBlank()) {
        rules.add(AutoRelayRule.query(autoQuery));
      }
    } catch (QuerySyntaxException e) {
      throw usage.apply("--relay-auto-query: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw usage.apply("--relay-auto: " + e.getMessage());
    }
    if (autoTo != null && !autoTo.isEmpty()) {
      if (rules.isEmpty()) {
        throw usage.apply("--relay-auto-to needs --relay-auto or --relay-auto-query");
      }
      String[] to = autoTo.toArray(String[]::new);
      rules.replaceAll(r -> r.redirectTo(to));
    }
    b.autoRelay(rules);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw usage.apply(
          e.getMessage()
              .replace("allowedRecipients(...)", "--relay-allow")
              .replace("maxPendingReleases", "--relay-max-pending")
              .replace("envelopeSender", "--relay-from")
              .replace("relay port", "--relay-port")
              .replace("relay host", "--relay-host")
              .replace("relay timeout", "--relay-timeout"));
    }
  }

  private static void addIf(List<String> list, boolean condition, String flag) {
    if (condition) {
      list.add(flag);
    }
  }

  private String password(Function<String, RuntimeException> usage) {
    if (password != null && passwordFile != null) {
      throw usage.apply("give either --relay-password or --relay-password-file, not both");
    }
    if (passwordFile == null) {
      return password;
    }
    try {
      String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      String first = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
      if (first.isEmpty()) {
        throw usage.apply("--relay-password-file " + passwordFile + " is empty");
      }
      return first;
    } catch (IOException e) {
      throw usage.apply(
          "--relay-password-file: cannot read " + passwordFile.toAbsolutePath() + ": " + e);
    }
  }

  private RelayTrust trust(Function<String, RuntimeException> usage) {
    String t = trust.strip();
    if (t.equalsIgnoreCase("system")) {
      return RelayTrust.system();
    }
    if (t.equalsIgnoreCase("insecure")) {
      return RelayTrust.insecure();
    }
    Path file = Path.of(t);
    if (!Files.isReadable(file)) {
      throw usage.apply(
          "--relay-trust: no readable file at "
              + file.toAbsolutePath()
              + "; give system, insecure, a PEM certificate or a PKCS12/JKS trust store");
    }
    try {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      if (text.contains("-----BEGIN")) {
        return RelayTrust.pem(text);
      }
      KeyStore store =
          KeyStore.getInstance(
              file.toFile(), trustPassword == null ? null : trustPassword.toCharArray());
      return RelayTrust.trustStore(store);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw usage.apply(
          "--relay-trust "
              + file
              + " is neither a PEM certificate nor a readable trust store: "
              + e.getMessage());
    }
  }
}
