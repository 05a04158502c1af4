package dev.mailsink.server;

import dev.mailsink.MailsinkConfig;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.json.FaultRuleJson;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.server.FlagValues.CpuScheduling;
import dev.mailsink.server.FlagValues.Credentials;
import dev.mailsink.server.FlagValues.LogLevel;
import dev.mailsink.server.FlagValues.Mode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code mailsink} command: its flags, their defaults and the checks across flags. Each flag
 * {@code --some-flag} can also be set as the environment variable {@code MAILSINK_SOME_FLAG} (see
 * {@link EnvironmentDefaults}); a flag given on the command line wins.
 */
@Command(
    name = "mailsink",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfo.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    headerHeading = "%n",
    header = "A fake SMTP server for developers: captures every message, delivers none.",
    synopsisHeading = "%nUsage: ",
    optionListHeading = "%nOptions:%n",
    footerHeading = "%n",
    footer = {
      "Every flag --some-flag can also be set as the environment variable MAILSINK_SOME_FLAG;"
          + " a flag on the command line wins.",
      "Exit codes: 0 stopped normally, 1 could not start or run, 2 wrong flag or value,"
          + " 143 stopped by SIGTERM.",
      "Example: mailsink --smtp-port 2525 --http-port 8080 --starttls optional"
    })
final class ServerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--smtp-port",
      paramLabel = "PORT",
      defaultValue = "1025",
      converter = FlagValues.Port.class,
      description =
          "SMTP port; 0 picks a free port. Default: ${DEFAULT-VALUE}. Env: MAILSINK_SMTP_PORT.")
  int smtpPort;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "8025",
      converter = FlagValues.Port.class,
      description =
          "Port of the web UI and the JSON API; 0 picks a free port."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_HTTP_PORT.")
  int httpPort;

  @Option(
      names = "--smtps-port",
      paramLabel = "PORT",
      converter = FlagValues.OptionalPort.class,
      description =
          "Port for SMTP over implicit TLS (like 465); off unless set. Env: MAILSINK_SMTPS_PORT.")
  Integer smtpsPort;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      converter = FlagValues.BindAddress.class,
      description =
          "Address to listen on; 0.0.0.0 for every interface (the Docker image's setting)."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_BIND.")
  InetAddress bind;

  @Option(
      names = "--hostname",
      paramLabel = "NAME",
      defaultValue = "localhost",
      converter = FlagValues.HostName.class,
      description =
          "Name announced in the SMTP greeting and put in the TLS certificate."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_HOSTNAME.")
  String hostname;

  @Option(
      names = "--starttls",
      paramLabel = "MODE",
      defaultValue = "off",
      description =
          "STARTTLS: off, optional (offered) or required (MAIL before STARTTLS gets 530)."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_STARTTLS.")
  Mode starttls;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "PEM certificate (chain) for TLS, with --tls-key; a self-signed one is made when"
              + " neither this nor --tls-keystore is set. Env: MAILSINK_TLS_CERT.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM private key (PKCS#8) of --tls-cert. Env: MAILSINK_TLS_KEY.")
  Path tlsKey;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description = "PKCS12 keystore with the TLS key and certificate. Env: MAILSINK_TLS_KEYSTORE.")
  Path tlsKeystore;

  @Option(
      names = "--tls-keystore-password",
      paramLabel = "PASSWORD",
      description =
          "Password of --tls-keystore (prefer the environment variable)."
              + " Env: MAILSINK_TLS_KEYSTORE_PASSWORD.")
  String tlsKeystorePassword;

  @Option(
      names = "--auth",
      paramLabel = "MODE",
      defaultValue = "off",
      description =
          "SMTP AUTH: off (not offered), optional or required; with --users only those users"
              + " get in, without it any credentials do. Default: ${DEFAULT-VALUE}."
              + " Env: MAILSINK_AUTH.")
  Mode auth;

  @Option(
      names = "--auth-tls-only",
      paramLabel = "true|false",
      arity = "0..1",
      defaultValue = "false",
      description =
          "Refuse the plaintext mechanisms PLAIN and LOGIN before TLS (538 5.7.11)."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_AUTH_TLS_ONLY.")
  boolean authTlsOnly;

  @Option(
      names = "--users",
      paramLabel = "USER:PASS",
      split = ",",
      converter = FlagValues.SingleCredentials.class,
      description = "The users AUTH accepts, e.g. app:s3cret,bob:hunter2. Env: MAILSINK_USERS.")
  List<Credentials> users;

  @Option(
      names = "--pop3-port",
      paramLabel = "PORT",
      defaultValue = "1110",
      converter = FlagValues.OptionalPort.class,
      description =
          "POP3 port for mail clients reading the captured mail (STLS offered); 0 picks a free"
              + " port, off turns it off. Default: ${DEFAULT-VALUE}. Env: MAILSINK_POP3_PORT.")
  Integer pop3Port;

  @Option(
      names = "--pop3s-port",
      paramLabel = "PORT",
      converter = FlagValues.OptionalPort.class,
      description =
          "Port for POP3 over implicit TLS (like 995); off unless set. Env: MAILSINK_POP3S_PORT.")
  Integer pop3sPort;

  @Option(
      names = "--imap-port",
      paramLabel = "PORT",
      defaultValue = "1143",
      converter = FlagValues.OptionalPort.class,
      description =
          "IMAP port for mail clients reading the captured mail; 0 picks a free port, off turns"
              + " it off. Default: ${DEFAULT-VALUE}. Env: MAILSINK_IMAP_PORT.")
  Integer imapPort;

  @Option(
      names = "--imaps-port",
      paramLabel = "PORT",
      converter = FlagValues.OptionalPort.class,
      description =
          "Port for IMAP over implicit TLS (like 993); off unless set. Env: MAILSINK_IMAPS_PORT.")
  Integer imapsPort;

  @Option(
      names = "--reader-users",
      paramLabel = "USER:PASS",
      split = ",",
      converter = FlagValues.SingleCredentials.class,
      description =
          "The POP3/IMAP logins accepted (the user is the recipient address whose inbox opens),"
              + " e.g. alice@example.com:s3cret; any password when unset. Env: MAILSINK_READER_USERS.")
  List<Credentials> readerUsers;

  @Option(
      names = "--reader-catch-all",
      paramLabel = "LOGIN",
      description =
          "A POP3/IMAP login name that sees every message, e.g. all; none unless set."
              + " Env: MAILSINK_READER_CATCH_ALL.")
  String readerCatchAll;

  @Option(
      names = "--reader-tls-only",
      paramLabel = "true|false",
      arity = "0..1",
      defaultValue = "false",
      description =
          "Refuse POP3/IMAP plain-text logins without TLS (STLS/STARTTLS or the implicit-TLS"
              + " ports). Default: ${DEFAULT-VALUE}. Env: MAILSINK_READER_TLS_ONLY.")
  boolean readerTlsOnly;

  @Option(
      names = "--max-message-size",
      paramLabel = "SIZE",
      defaultValue = "25MB",
      converter = FlagValues.ByteSize.class,
      description =
          "Largest message accepted (announced as SIZE; larger ones get 552), e.g. 10MB."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_MAX_MESSAGE_SIZE.")
  long maxMessageSize;

  @Option(
      names = "--max-messages",
      paramLabel = "N",
      defaultValue = "10000",
      converter = FlagValues.PositiveInt.class,
      description =
          "Messages kept in memory; the oldest are dropped beyond it."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_MAX_MESSAGES.")
  int maxMessages;

  @Option(
      names = "--max-bytes",
      paramLabel = "SIZE",
      defaultValue = "512MB",
      converter = FlagValues.ByteSize.class,
      description =
          "Total size of the messages kept in memory; the oldest are dropped beyond it."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_MAX_BYTES.")
  long maxBytes;

  @Option(
      names = "--max-recipients",
      paramLabel = "N",
      defaultValue = "1000",
      converter = FlagValues.PositiveInt.class,
      description =
          "Recipients accepted in one message; later RCPT commands get 452."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_MAX_RECIPIENTS.")
  int maxRecipients;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "1000",
      converter = FlagValues.PositiveInt.class,
      description =
          "Concurrent SMTP connections; later ones get 421."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_MAX_CONNECTIONS.")
  int maxConnections;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = FlagValues.PositiveDuration.class,
      description =
          "How long an SMTP connection may stay silent, e.g. 30s or 5m."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_IDLE_TIMEOUT.")
  Duration idleTimeout;

  @Option(
      names = "--record-sessions",
      paramLabel = "true|false",
      arity = "0..1",
      defaultValue = "true",
      description =
          "Record every SMTP session as a transcript (GET /api/v1/sessions, the Session tab)."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_RECORD_SESSIONS.")
  boolean recordSessions;

  @Option(
      names = "--max-sessions",
      paramLabel = "N",
      defaultValue = "1000",
      converter = FlagValues.PositiveInt.class,
      description =
          "Session transcripts kept; the oldest ended ones are dropped beyond it."
              + " Default: ${DEFAULT-VALUE}. Env: MAILSINK_MAX_SESSIONS.")
  int maxSessions;

  @Option(
      names = "--max-session-bytes",
      paramLabel = "SIZE",
      defaultValue = "32MB",
      converter = FlagValues.ByteSize.class,
      description =
          "Total size of the session transcripts kept. Default: ${DEFAULT-VALUE}."
              + " Env: MAILSINK_MAX_SESSION_BYTES.")
  long maxSessionBytes;

  @Mixin RelayFlags relay;

  @Option(
      names = "--faults",
      paramLabel = "FILE|JSON",
      description =
          "Fault rules to install at start: a JSON file, or the JSON itself (an array of rules"
              + " as POST /api/v1/faults takes them). Env: MAILSINK_FAULTS.")
  String faults;

  @Option(
      names = "--ui-auth",
      paramLabel = "USER:PASS",
      converter = FlagValues.SingleCredentials.class,
      description =
          "Require HTTP basic auth for the web UI and the API (not for /livez and /readyz)."
              + " Env: MAILSINK_UI_AUTH.")
  Credentials uiAuth;

  @Option(
      names = "--cors",
      paramLabel = "ORIGIN",
      split = ",",
      description =
          "Browser origins allowed to call the API, e.g. http://localhost:3000, or *; none unless"
              + " set. Env: MAILSINK_CORS.")
  List<String> cors;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "info",
      description =
          "error, warn, info, debug or trace. Default: ${DEFAULT-VALUE}. Env: MAILSINK_LOG_LEVEL.")
  LogLevel logLevel;

  @Option(
      names = "--cpu-scheduling",
      paramLabel = "POLICY",
      defaultValue = "batch",
      description =
          "batch: on Linux the server's threads run under SCHED_BATCH, so that a session woken by"
              + " its client does not preempt the senders running beside it (faster ingest, less"
              + " CPU); normal: the system's default policy. Default: ${DEFAULT-VALUE}."
              + " Env: MAILSINK_CPU_SCHEDULING.")
  CpuScheduling cpuScheduling;

  @Option(
      names = "--healthcheck",
      description =
          "Instead of starting, ask the server on --http-port whether it is ready; exit 0 if so,"
              + " 1 if not (the Docker image's HEALTHCHECK).")
  boolean healthcheck;

  @Option(
      names = "--self-test",
      description =
          "Instead of serving, start on free ports, send one message to itself over SMTP, read it"
              + " back over the API, stop, and exit 0 if all of that worked.")
  boolean selfTest;

  /** The flags that are actions rather than settings, and so have no environment variable. */
  static final List<String> FLAGS_WITHOUT_ENV =
      List.of("--help", "--version", "--healthcheck", "--self-test");

  @Override
  public Integer call() {
    if (healthcheck) {
      return Healthcheck.run(this, out(), err());
    }
    ServerSettings settings = settings();
    if (selfTest) {
      return SelfTest.run(settings, out(), err());
    }
    return StandaloneServer.runUntilStopped(settings, out(), err());
  }

  /**
   * Checks the flags against each other and gathers them into settings.
   *
   * @throws ParameterException when flags contradict each other or a file cannot be read
   */
  ServerSettings settings() {
    checkTls();
    checkAuth();
    List<FaultRule> faultRules = readFaults();
    MailsinkConfig smtp;
    try {
      smtp =
          MailsinkConfig.builder()
              .bindAddress(bind)
              .smtpPort(smtpPort)
              .hostName(hostname)
              .maxMessageBytes(maxMessageSize)
              .retainedMessages(maxMessages)
              .retainedBytes(maxBytes)
              .maxRecipients(maxRecipients)
              .maxConnections(maxConnections)
              .idleTimeout(idleTimeout)
              .recordSessions(recordSessions)
              .retainedSessions(maxSessions)
              .retainedSessionBytes(maxSessionBytes)
              .pop3Port(pop3Port == null ? -1 : pop3Port)
              .pop3sPort(pop3sPort == null ? -1 : pop3sPort)
              .imapPort(imapPort == null ? -1 : imapPort)
              .imapsPort(imapsPort == null ? -1 : imapsPort)
              .readerAuth(readerAuth())
              .build();
    } catch (IllegalArgumentException e) {
      throw usage(flagWords(e.getMessage()));
    }
    RelayConfig relayConfig = relay.config(this::usage);
    if (relayConfig != null) {
      smtp = smtp.toBuilder().relay(relayConfig).build();
    }
    if (smtpsPort != null && smtpsPort != 0 && (smtpsPort == smtpPort || smtpsPort == httpPort)) {
      throw usage("--smtps-port " + smtpsPort + " is also used by another flag; give each its own");
    }
    for (Integer reader : new Integer[] {pop3Port, pop3sPort, imapPort, imapsPort}) {
      if (reader != null && reader != 0 && reader == httpPort) {
        throw usage(
            "the POP3/IMAP port " + reader + " is also --http-port; give each its own port");
      }
    }
    if (smtpPort != 0 && smtpPort == httpPort) {
      throw usage("--smtp-port and --http-port are both " + smtpPort + "; give each its own port");
    }
    return new ServerSettings(
        smtp,
        httpPort,
        smtpsPort,
        starttls,
        tlsCert,
        tlsKey,
        tlsKeystore,
        tlsKeystorePassword,
        auth,
        authTlsOnly,
        users == null ? List.of() : List.copyOf(users),
        faultRules,
        uiAuth,
        cors == null ? List.of() : List.copyOf(cors),
        logLevel,
        cpuScheduling);
  }

  private dev.mailsink.ReaderAuth readerAuth() {
    dev.mailsink.ReaderAuth result =
        readerUsers == null || readerUsers.isEmpty()
            ? dev.mailsink.ReaderAuth.anyPassword()
            : dev.mailsink.ReaderAuth.users(
                readerUsers.stream()
                    .map(c -> dev.mailsink.Credentials.of(c.user(), c.password()))
                    .toList());
    if (readerCatchAll != null && !readerCatchAll.isBlank()) {
      result = result.withCatchAll(readerCatchAll.strip());
    }
    return readerTlsOnly ? result.tlsOnly() : result;
  }

  private void checkTls() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw usage(
          tlsCert == null
              ? "--tls-key needs --tls-cert (the certificate that goes with the key)"
              : "--tls-cert needs --tls-key (the private key of the certificate)");
    }
    if (tlsKeystore != null && tlsCert != null) {
      throw usage("give either --tls-keystore or --tls-cert with --tls-key, not both");
    }
    if (tlsKeystorePassword != null && tlsKeystore == null) {
      throw usage("--tls-keystore-password is set but --tls-keystore is not");
    }
    requireReadable("--tls-cert", tlsCert);
    requireReadable("--tls-key", tlsKey);
    requireReadable("--tls-keystore", tlsKeystore);
  }

  private void checkAuth() {
    if (users == null || users.isEmpty()) {
      return;
    }
    if (auth == Mode.OFF) {
      throw usage("--users is set but --auth is off; add --auth required (or optional)");
    }
    Set<String> seen = new HashSet<>();
    for (Credentials c : users) {
      if (!seen.add(c.user())) {
        throw usage("--users names '" + c.user() + "' twice; list each user once");
      }
    }
  }

  private List<FaultRule> readFaults() {
    if (faults == null || faults.isBlank()) {
      return List.of();
    }
    String value = faults.strip();
    String json;
    String source;
    if (value.startsWith("[") || value.startsWith("{")) {
      json = value;
      source = "--faults";
    } else {
      Path file = Path.of(value);
      requireReadable("--faults", file);
      try {
        json = Files.readString(file);
      } catch (IOException | RuntimeException e) {
        throw usage("--faults: cannot read " + file + ": " + e.getMessage());
      }
      source = "--faults " + file;
    }
    try {
      return List.copyOf(FaultRuleJson.parseRules(json));
    } catch (IllegalArgumentException e) {
      throw usage(
          source
              + ": "
              + e.getMessage()
              + " (a rule looks like {\"stage\":\"RCPT\",\"match\":{\"recipient\":"
              + "\"bob@example.com\"},\"action\":{\"type\":\"reply\",\"code\":550,"
              + "\"text\":\"5.1.1 No such user\"},\"times\":1})");
    }
  }

  private void requireReadable(String flag, Path file) {
    if (file != null && !Files.isReadable(file)) {
      throw usage(
          flag
              + ": no readable file at "
              + file.toAbsolutePath()
              + (Files.exists(file) ? " (check its permissions)" : " (check the path)"));
    }
  }

  /** Rewrites a core validation message from builder names to flag names. */
  private static String flagWords(String message) {
    return message
        .replace("smtpPort", "--smtp-port")
        .replace("pop3sPort", "--pop3s-port")
        .replace("pop3Port", "--pop3-port")
        .replace("imapsPort", "--imaps-port")
        .replace("imapPort", "--imap-port")
        .replace("hostName", "--hostname")
        .replace("maxMessageBytes", "--max-message-size")
        .replace("retainedMessages", "--max-messages")
        .replace("retainedBytes", "--max-bytes")
        .replace("maxRecipients", "--max-recipients")
        .replace("maxConnections", "--max-connections")
        .replace("idleTimeout", "--idle-timeout")
        .replace("retainedSessionBytes", "--max-session-bytes")
        .replace("retainedSessions", "--max-sessions");
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
