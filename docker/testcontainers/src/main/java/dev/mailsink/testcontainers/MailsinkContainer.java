package dev.mailsink.testcontainers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.mailsink.AuthConfig;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Credentials;
import dev.mailsink.Mailbox;
import dev.mailsink.ReaderAuth;
import dev.mailsink.TlsMaterial;
import dev.mailsink.TlsMode;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.json.FaultRuleJson;
import dev.mailsink.relay.AutoRelayRule;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.Release;
import dev.mailsink.relay.ReleaseLog;
import dev.mailsink.session.SessionLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A Mailsink server in a Docker container, for integration tests: SMTP on {@link #SMTP_PORT}, the
 * web UI and JSON API on {@link #HTTP_PORT}, and the captured mail as the same {@link Mailbox} an
 * in-process {@code Mailsink} gives, so the same assertions work on both.
 *
 * <pre>{@code
 * @Container
 * static MailsinkContainer mailsink = new MailsinkContainer().withStartTls(TlsMode.OPTIONAL);
 *
 * @Test
 * void sendsWelcomeMail() {
 *   app.sendWelcomeMail(mailsink.getSmtpHost(), mailsink.getSmtpPort());
 *   CapturedMessage mail = mailsink.mailbox().await(1, Duration.ofSeconds(5)).get(0);
 * }
 * }</pre>
 *
 * <p>Configure it before {@link #start()}; each {@code with...} method sets one of the server's
 * {@code MAILSINK_*} environment variables. The container is ready when {@code /readyz} answers.
 */
public class MailsinkContainer extends GenericContainer<MailsinkContainer> {

  /** The version of this library, and so the tag of the default image. */
  public static final String VERSION = loadVersion();

  /** The image this class is made for; other tags of it are accepted. */
  public static final DockerImageName DEFAULT_IMAGE_NAME =
      DockerImageName.parse("mailsink/mailsink");

  /** The SMTP port inside the container. */
  public static final int SMTP_PORT = 1025;

  /** The port of the web UI and the JSON API inside the container. */
  public static final int HTTP_PORT = 8025;

  private static final String RELAY_TRUST_FILE = "/tmp/mailsink-relay-trust.pem";

  /** The implicit-TLS (SMTPS) port inside the container, open after {@link #withSmtps()}. */
  public static final int SMTPS_PORT = 1465;

  /**
   * The POP3 port inside the container (STLS offered); read the mapped one with {@link
   * #getPop3Port()}.
   */
  public static final int POP3_PORT = 1110;

  /** The IMAP port inside the container; read the mapped one with {@link #getImapPort()}. */
  public static final int IMAP_PORT = 1143;

  /** The implicit-TLS POP3 port inside the container, open after {@link #withReaderTls()}. */
  public static final int POP3S_PORT = 1995;

  /** The implicit-TLS IMAP port inside the container, open after {@link #withReaderTls()}. */
  public static final int IMAPS_PORT = 1993;

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private String uiUser;
  private String uiPassword;
  private volatile MailsinkClient client;

  /**
   * A container of the image whose tag is this library's version, {@code mailsink/mailsink:} {@link
   * #VERSION}.
   */
  public MailsinkContainer() {
    this(DEFAULT_IMAGE_NAME.withTag(VERSION));
  }

  /**
   * A container of the given image, e.g. {@code "mailsink/mailsink:0.1.0"}.
   *
   * @throws IllegalStateException if the image is not a {@code mailsink/mailsink} image (declare
   *     another name compatible with {@code DockerImageName.asCompatibleSubstituteFor})
   */
  public MailsinkContainer(String image) {
    this(DockerImageName.parse(image));
  }

  /**
   * A container of the given image.
   *
   * @throws IllegalStateException if the image is not compatible with {@link #DEFAULT_IMAGE_NAME}
   */
  public MailsinkContainer(DockerImageName image) {
    super(image);
    image.assertCompatibleWith(DEFAULT_IMAGE_NAME);
    withExposedPorts(SMTP_PORT, HTTP_PORT, POP3_PORT, IMAP_PORT);
    waitingFor(
        Wait.forHttp("/readyz")
            .forPort(HTTP_PORT)
            .forStatusCode(200)
            .withStartupTimeout(STARTUP_TIMEOUT));
  }

  // --- configuration ----------------------------------------------------------------------------

  /**
   * Offers STARTTLS on the SMTP port ({@code MAILSINK_STARTTLS}). The certificate is generated at
   * start; trust it through {@link #tls()}.
   */
  public MailsinkContainer withStartTls(TlsMode mode) {
    Objects.requireNonNull(mode, "mode");
    return withEnv("MAILSINK_STARTTLS", mode.name().toLowerCase(Locale.ROOT));
  }

  /**
   * Opens the implicit-TLS port {@link #SMTPS_PORT} too ({@code MAILSINK_SMTPS_PORT}); read the
   * mapped port with {@link #getSmtpsPort()}.
   */
  public MailsinkContainer withSmtps() {
    addExposedPort(SMTPS_PORT);
    return withEnv("MAILSINK_SMTPS_PORT", Integer.toString(SMTPS_PORT));
  }

  /**
   * Opens the implicit-TLS reader ports {@link #POP3S_PORT} and {@link #IMAPS_PORT} too ({@code
   * MAILSINK_POP3S_PORT}, {@code MAILSINK_IMAPS_PORT}); read the mapped ports with {@link
   * #getPop3sPort()} and {@link #getImapsPort()}, trust the certificate through {@link #tls()}.
   */
  public MailsinkContainer withReaderTls() {
    addExposedPorts(POP3S_PORT, IMAPS_PORT);
    withEnv("MAILSINK_POP3S_PORT", Integer.toString(POP3S_PORT));
    return withEnv("MAILSINK_IMAPS_PORT", Integer.toString(IMAPS_PORT));
  }

  /**
   * Sets how POP3 and IMAP readers log in ({@code MAILSINK_READER_USERS}, {@code
   * MAILSINK_READER_CATCH_ALL}, {@code MAILSINK_READER_TLS_ONLY}). The passwords go into the
   * container's environment.
   *
   * @throws IllegalArgumentException if a user name or password holds a comma (the variable is a
   *     comma-separated list)
   */
  public MailsinkContainer withReaderAuth(ReaderAuth auth) {
    Objects.requireNonNull(auth, "auth");
    if (!auth.acceptsAnyPassword()) {
      withEnv(
          "MAILSINK_READER_USERS",
          commaList(
              auth.users().stream().map(c -> c.user() + ":" + c.password()).toList(),
              "reader user"));
    }
    auth.catchAll().ifPresent(login -> withEnv("MAILSINK_READER_CATCH_ALL", login));
    return withEnv("MAILSINK_READER_TLS_ONLY", Boolean.toString(auth.isTlsOnly()));
  }

  /**
   * Sets SMTP AUTH ({@code MAILSINK_AUTH}, {@code MAILSINK_USERS}, {@code MAILSINK_AUTH_TLS_ONLY}),
   * e.g. {@code AuthConfig.required(Credentials.of("app", "s3cret"))}.
   *
   * @throws IllegalArgumentException if a user name or password contains a comma, which the
   *     environment variable cannot carry
   */
  public MailsinkContainer withAuth(AuthConfig auth) {
    Objects.requireNonNull(auth, "auth");
    withEnv(
        "MAILSINK_AUTH", auth.isRequired() ? "required" : auth.isEnabled() ? "optional" : "off");
    for (Credentials c : auth.users()) {
      if (c.user().contains(",") || c.user().contains(":") || c.password().contains(",")) {
        throw new IllegalArgumentException(
            "user names must not contain ',' or ':' and passwords not ',' in a container's"
                + " MAILSINK_USERS; was user '"
                + c.user()
                + "'");
      }
    }
    // An empty variable counts as unset: any credentials are accepted.
    withEnv(
        "MAILSINK_USERS",
        auth.users().stream()
            .map(c -> c.user() + ":" + c.password())
            .collect(Collectors.joining(",")));
    return withEnv("MAILSINK_AUTH_TLS_ONLY", Boolean.toString(auth.isPlaintextOnlyAfterTls()));
  }

  /** Sets the host name in the SMTP greeting and the certificate ({@code MAILSINK_HOSTNAME}). */
  public MailsinkContainer withHostName(String hostName) {
    return withEnv("MAILSINK_HOSTNAME", Objects.requireNonNull(hostName, "hostName"));
  }

  /** Sets the largest accepted message in bytes ({@code MAILSINK_MAX_MESSAGE_SIZE}). */
  public MailsinkContainer withMaxMessageBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxMessageBytes must be > 0, was " + bytes);
    }
    return withEnv("MAILSINK_MAX_MESSAGE_SIZE", Long.toString(bytes));
  }

  /**
   * Installs fault rules at start ({@code MAILSINK_FAULTS}), active from the first connection.
   * Rules can also be added while the container runs, through {@link #faults()}.
   */
  public MailsinkContainer withFaults(FaultRule... rules) {
    Objects.requireNonNull(rules, "rules");
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (FaultRule rule : rules) {
      array.add(FaultRuleJson.toJson(Objects.requireNonNull(rule, "rule")));
    }
    return withEnv("MAILSINK_FAULTS", array.toString());
  }

  /**
   * Whether every SMTP session is recorded as a transcript ({@code MAILSINK_RECORD_SESSIONS}; on
   * unless set), readable with {@link #sessions()}.
   */
  public MailsinkContainer withRecordSessions(boolean record) {
    return withEnv("MAILSINK_RECORD_SESSIONS", Boolean.toString(record));
  }

  /**
   * Lets captured mail through to a real SMTP server ({@code MAILSINK_RELAY_*}): releases on demand
   * with {@link #release}, and the auto-relay rules. The password goes into the container's
   * environment ({@code MAILSINK_RELAY_PASSWORD}), where {@code docker inspect} shows it: use a
   * throw-away account. A trusted certificate is copied into the container. The retry policy is
   * passed as its number of attempts and first wait (the waits double, as by default).
   *
   * @throws IllegalArgumentException if the configuration cannot be expressed as the server's
   *     flags: more than one recipient rule or query rule, rules that redirect differently, or a
   *     pattern or address with a comma
   */
  public MailsinkContainer withRelay(RelayConfig relay) {
    Objects.requireNonNull(relay, "relay");
    withEnv("MAILSINK_RELAY_HOST", relay.host());
    withEnv("MAILSINK_RELAY_PORT", Integer.toString(relay.port()));
    withEnv("MAILSINK_RELAY_TLS", relay.tls().name().toLowerCase(Locale.ROOT));
    if (relay.trust().isInsecure()) {
      withEnv("MAILSINK_RELAY_TRUST", "insecure");
    } else if (!relay.trust().certificates().isEmpty()) {
      StringBuilder pem = new StringBuilder();
      relay
          .trust()
          .certificates()
          .forEach(c -> pem.append(TlsMaterial.trusting(c).certificatePem()));
      withCopyToContainer(
          Transferable.of(pem.toString().getBytes(StandardCharsets.US_ASCII)), RELAY_TRUST_FILE);
      withEnv("MAILSINK_RELAY_TRUST", RELAY_TRUST_FILE);
    }
    if (relay.credentials() != null) {
      withEnv("MAILSINK_RELAY_USER", relay.credentials().user());
      withEnv("MAILSINK_RELAY_PASSWORD", relay.credentials().password());
    }
    if (relay.envelopeSender() != null) {
      withEnv("MAILSINK_RELAY_FROM", relay.envelopeSender());
    }
    if (!relay.allowedRecipients().isEmpty()) {
      withEnv("MAILSINK_RELAY_ALLOW", commaList(relay.allowedRecipients(), "allowed recipient"));
    }
    List<String> redirect = null;
    boolean recipients = false;
    boolean query = false;
    for (AutoRelayRule rule : relay.autoRelay()) {
      if (redirect != null && !redirect.equals(rule.redirectAddresses())) {
        throw new IllegalArgumentException(
            "the server's flags give every auto-relay rule the same redirect (--relay-auto-to);"
                + " rules redirect differently: "
                + relay.autoRelay());
      }
      redirect = rule.redirectAddresses();
      if (!rule.recipientPatterns().isEmpty()) {
        if (recipients) {
          throw new IllegalArgumentException(
              "the server's flags take one recipient auto-relay rule; merge the patterns of "
                  + relay.autoRelay());
        }
        recipients = true;
        withEnv("MAILSINK_RELAY_AUTO", commaList(rule.recipientPatterns(), "auto-relay pattern"));
      } else {
        if (query) {
          throw new IllegalArgumentException(
              "the server's flags take one query auto-relay rule, not " + relay.autoRelay());
        }
        query = true;
        withEnv("MAILSINK_RELAY_AUTO_QUERY", rule.querySource());
      }
    }
    if (redirect != null && !redirect.isEmpty()) {
      withEnv("MAILSINK_RELAY_AUTO_TO", commaList(redirect, "redirect address"));
    }
    withEnv("MAILSINK_RELAY_ATTEMPTS", Integer.toString(relay.retry().maxAttempts()));
    if (!relay.retry().initialBackoff().isZero()) {
      withEnv("MAILSINK_RELAY_RETRY_DELAY", relay.retry().initialBackoff().toString());
    }
    return withEnv("MAILSINK_RELAY_TIMEOUT", relay.timeout().toString());
  }

  private static String commaList(List<String> values, String what) {
    for (String v : values) {
      if (v.indexOf(',') >= 0) {
        throw new IllegalArgumentException(
            "a " + what + " with a comma cannot be passed to the container: " + v);
      }
    }
    return String.join(",", values);
  }

  /**
   * Requires HTTP basic authentication for the web UI and the API ({@code MAILSINK_UI_AUTH}); this
   * container's {@link #client()} sends the credentials.
   */
  public MailsinkContainer withUiAuth(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    this.uiUser = user;
    this.uiPassword = password;
    return withEnv("MAILSINK_UI_AUTH", user + ":" + password);
  }

  // --- where it is ------------------------------------------------------------------------------

  /** The host to send SMTP to (the Docker host as seen from the test). */
  public String getSmtpHost() {
    return getHost();
  }

  /** The SMTP port on {@link #getSmtpHost()}, mapped to {@link #SMTP_PORT}. */
  public int getSmtpPort() {
    return getMappedPort(SMTP_PORT);
  }

  /** The POP3 port on {@link #getSmtpHost()}, mapped to {@link #POP3_PORT}. */
  public int getPop3Port() {
    return getMappedPort(POP3_PORT);
  }

  /** The IMAP port on {@link #getSmtpHost()}, mapped to {@link #IMAP_PORT}. */
  public int getImapPort() {
    return getMappedPort(IMAP_PORT);
  }

  /**
   * The implicit-TLS POP3 port on {@link #getSmtpHost()}, mapped to {@link #POP3S_PORT}.
   *
   * @throws IllegalStateException without {@link #withReaderTls()}
   */
  public int getPop3sPort() {
    if (!getExposedPorts().contains(POP3S_PORT)) {
      throw new IllegalStateException("getPop3sPort() needs withReaderTls() before start()");
    }
    return getMappedPort(POP3S_PORT);
  }

  /**
   * The implicit-TLS IMAP port on {@link #getSmtpHost()}, mapped to {@link #IMAPS_PORT}.
   *
   * @throws IllegalStateException without {@link #withReaderTls()}
   */
  public int getImapsPort() {
    if (!getExposedPorts().contains(IMAPS_PORT)) {
      throw new IllegalStateException("getImapsPort() needs withReaderTls() before start()");
    }
    return getMappedPort(IMAPS_PORT);
  }

  /**
   * The implicit-TLS port on {@link #getSmtpHost()}, mapped to {@link #SMTPS_PORT}.
   *
   * @throws IllegalStateException without {@link #withSmtps()}
   */
  public int getSmtpsPort() {
    if (!getExposedPorts().contains(SMTPS_PORT)) {
      throw new IllegalStateException("getSmtpsPort() needs withSmtps() before start()");
    }
    return getMappedPort(SMTPS_PORT);
  }

  /** The web UI's URL, e.g. {@code http://localhost:49153/}; open it in a browser to look. */
  public String getWebUrl() {
    return "http://" + hostForUrl() + ":" + getMappedPort(HTTP_PORT) + "/";
  }

  /** The JSON API's base URL, e.g. {@code http://localhost:49153/api/v1/}. */
  public String getApiUrl() {
    return getWebUrl() + "api/v1/";
  }

  private String hostForUrl() {
    String host = getHost();
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  // --- what it holds ----------------------------------------------------------------------------

  /**
   * A client of this container's JSON API (fault rules, certificate, info); made on first use after
   * start.
   *
   * @throws IllegalStateException if the container is not running
   */
  public MailsinkClient client() {
    if (!isRunning()) {
      throw new IllegalStateException(
          "client() called on a container that is not running; start() it first");
    }
    MailsinkClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          URI base = URI.create(getWebUrl());
          c =
              uiUser == null
                  ? MailsinkClient.connect(base)
                  : MailsinkClient.connect(base, uiUser, uiPassword);
          client = c;
        }
      }
    }
    return c;
  }

  /**
   * The captured mail, read over the JSON API: the same {@link Mailbox} interface as {@code
   * Mailsink.mailbox()}, so the same assertions apply.
   *
   * @throws IllegalStateException if the container is not running
   */
  public Mailbox mailbox() {
    return client().mailbox();
  }

  /**
   * The server's fault rules, over the JSON API: the same interface as {@code Mailsink.faults()}.
   *
   * @throws IllegalStateException if the container is not running
   */
  public FaultRules faults() {
    return client().faults();
  }

  /**
   * The transcripts of the container's SMTP sessions, over the JSON API: the same {@link
   * SessionLog} as {@code Mailsink.sessions()}, so {@code assertThat(container.sessions())} works.
   *
   * @throws IllegalStateException if the container is not running
   */
  public SessionLog sessions() {
    return client().sessions();
  }

  /**
   * The container's releases to its upstream, as {@code Mailsink.releases()}.
   *
   * @throws IllegalStateException if the container is not running
   */
  public ReleaseLog releases() {
    return client().releases();
  }

  /**
   * Releases a captured message to the upstream configured with {@link #withRelay}; see {@link
   * MailsinkClient#release}.
   *
   * @throws IllegalStateException if the container is not running
   */
  public CompletableFuture<Release> release(CapturedMessage message, String... recipients) {
    return client().release(message, recipients);
  }

  /**
   * What a client needs to trust the server's certificate: PEM text, a trust store, an {@code
   * SSLContext}.
   *
   * @throws IllegalStateException if the container is not running
   * @throws dev.mailsink.MailsinkException if TLS is off (neither STARTTLS nor SMTPS)
   */
  public TlsMaterial tls() {
    return TlsMaterial.fromPem(client().certificatePem());
  }

  @Override
  protected void containerIsStopped(InspectContainerResponse info) {
    client = null;
    super.containerIsStopped(info);
  }

  private static String loadVersion() {
    Properties p = new Properties();
    try (InputStream in = MailsinkContainer.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "latest");
  }
}
