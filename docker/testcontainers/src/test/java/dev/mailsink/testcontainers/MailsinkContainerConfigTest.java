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
    assertThat(container().getExposedPorts()).containsExactly(1025, 8025);
    assertThat(container().withSmtps().getExposedPorts()).containsExactly(1025, 8025, 1465);
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
}
