package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.AuthConfig;
import dev.mailsink.Credentials;
import dev.mailsink.TlsMode;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.json.FaultRuleJson;
import org.junit.jupiter.api.Test;

/** What each {@code with...} method tells the server, checked without starting a container. */
class MailsinkContainerConfigTest {

  private static MailsinkContainer container() {
    return new MailsinkContainer("mailsink/mailsink:test");
  }

  @Test
  void exposesSmtpAndHttpAndAddsSmtpsOnlyWhenAsked() {
    assertThat(container().getExposedPorts()).containsExactly(1025, 8025, 1110, 1143);
    assertThat(container().withSmtps().getExposedPorts())
        .containsExactly(1025, 8025, 1110, 1143, 1465);
    assertThat(container().withReaderTls().getExposedPorts())
        .containsExactly(1025, 8025, 1110, 1143, 1995, 1993);
    assertThat(container().withSmtps().getEnvMap()).containsEntry("MAILSINK_SMTPS_PORT", "1465");
  }

  @Test
  void tlsAndAuthBecomeTheServersEnvironmentVariables() {
    MailsinkContainer c =
        container()
            .withStartTls(TlsMode.REQUIRED)
            .withAuth(
                AuthConfig.required(Credentials.of("app", "s3:cret"), Credentials.of("bob", "pw"))
                    .plaintextOnlyAfterTls());

    assertThat(c.getEnvMap())
        .containsEntry("MAILSINK_STARTTLS", "required")
        .containsEntry("MAILSINK_AUTH", "required")
        .containsEntry("MAILSINK_USERS", "app:s3:cret,bob:pw")
        .containsEntry("MAILSINK_AUTH_TLS_ONLY", "true");
  }

  @Test
  void readerAuthBecomesTheServersReaderVariables() {
    MailsinkContainer c =
        container()
            .withReaderAuth(
                dev.mailsink.ReaderAuth.users(Credentials.of("alice@x.test", "pw"))
                    .withCatchAll("all")
                    .tlsOnly());

    assertThat(c.getEnvMap())
        .containsEntry("MAILSINK_READER_USERS", "alice@x.test:pw")
        .containsEntry("MAILSINK_READER_CATCH_ALL", "all")
        .containsEntry("MAILSINK_READER_TLS_ONLY", "true");
  }

  @Test
  void authWithoutUsersAcceptsAnyCredentials() {
    assertThat(container().withAuth(AuthConfig.optional()).getEnvMap())
        .containsEntry("MAILSINK_AUTH", "optional")
        .containsEntry("MAILSINK_USERS", "");
  }

  @Test
  void aPasswordWithACommaCannotTravelInTheEnvironment() {
    assertThatThrownBy(
            () -> container().withAuth(AuthConfig.required(Credentials.of("app", "a,b"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAILSINK_USERS");
  }

  @Test
  void startUpFaultRulesTravelAsTheJsonTheServerParses() {
    FaultRule rule =
        FaultRule.on(SmtpStage.RCPT)
            .when(Match.recipient("bob@example.com"))
            .reply(550, "5.1.1 No such user")
            .times(2);

    String json = container().withFaults(rule).getEnvMap().get("MAILSINK_FAULTS");

    assertThat(FaultRuleJson.parseRules(json)).containsExactly(rule);
  }

  @Test
  void accessorsNeedARunningContainer() {
    assertThatThrownBy(() -> container().mailbox())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("start() it first");
  }

  @Test
  void aRelayBecomesTheServersRelayVariables() {
    var env =
        container()
            .withRelay(
                dev.mailsink.relay.RelayConfig.builder("smtp.example.com", 587)
                    .credentials(dev.mailsink.Credentials.of("me", "pw"))
                    .envelopeSender("bounces@example.com")
                    .allowedRecipients("*@example.com", "me@gmail.test")
                    .autoRelay(
                        dev.mailsink.relay.AutoRelayRule.recipients("qa-*@example.com"),
                        dev.mailsink.relay.AutoRelayRule.query("subject:invoice"))
                    .retry(dev.mailsink.relay.RetryPolicy.of(2, java.time.Duration.ofSeconds(3)))
                    .build())
            .withRecordSessions(false)
            .getEnvMap();
    assertThat(env)
        .containsEntry("MAILSINK_RELAY_HOST", "smtp.example.com")
        .containsEntry("MAILSINK_RELAY_PORT", "587")
        .containsEntry("MAILSINK_RELAY_TLS", "starttls")
        .containsEntry("MAILSINK_RELAY_USER", "me")
        .containsEntry("MAILSINK_RELAY_PASSWORD", "pw")
        .containsEntry("MAILSINK_RELAY_FROM", "bounces@example.com")
        .containsEntry("MAILSINK_RELAY_ALLOW", "*@example.com,me@gmail.test")
        .containsEntry("MAILSINK_RELAY_AUTO", "qa-*@example.com")
        .containsEntry("MAILSINK_RELAY_AUTO_QUERY", "subject:invoice")
        .containsEntry("MAILSINK_RELAY_ATTEMPTS", "2")
        .containsEntry("MAILSINK_RELAY_RETRY_DELAY", "PT3S")
        .containsEntry("MAILSINK_RECORD_SESSIONS", "false")
        .doesNotContainKey("MAILSINK_RELAY_TRUST");
  }

  @Test
  void relayRulesTheFlagsCannotSayAreRefused() {
    var twoRecipientRules =
        dev.mailsink.relay.RelayConfig.builder("h", 25)
            .allowedRecipients("*")
            .autoRelay(
                dev.mailsink.relay.AutoRelayRule.recipients("a@x.test"),
                dev.mailsink.relay.AutoRelayRule.recipients("b@x.test"))
            .build();
    assertThatThrownBy(() -> container().withRelay(twoRecipientRules))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one recipient auto-relay rule");
  }
}
