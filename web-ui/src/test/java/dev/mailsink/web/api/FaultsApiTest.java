package dev.mailsink.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.Mailsink;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import dev.mailsink.web.support.WebSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class FaultsApiTest {
  private static final String JSON = "application/json";
  private static final String BOB_550 =
      "{\"stage\":\"RCPT\",\"match\":{\"recipient\":\"bob@example.com\"},"
          + "\"action\":{\"type\":\"reply\",\"code\":550,\"text\":\"5.1.1 No such user\"},\"times\":1}";

  @RegisterExtension static final WebSink web = new WebSink();

  @BeforeEach
  void noRules() {
    web.sink().faults().clear();
  }

  @Test
  void resetGoesBackToTheStartUpRulesWithFreshCounters() {
    dev.mailsink.fault.FaultRule startUp =
        dev.mailsink.fault.FaultRule.on(dev.mailsink.fault.SmtpStage.MAIL)
            .reply(451, "4.3.0 Warming up")
            .times(1);
    try (Mailsink configured =
            Mailsink.start(dev.mailsink.MailsinkConfig.builder().faultRules(startUp).build());
        MailsinkWebServer configuredWeb = MailsinkWebServer.start(configured)) {
      HttpApi configuredApi = new HttpApi(configuredWeb.url());
      configuredApi.post("/api/v1/faults", JSON, BOB_550);
      assertThat(configuredApi.get("/api/v1/faults").json()).hasSize(2);

      Response reset = configuredApi.post("/api/v1/faults/reset", JSON, "");

      assertThat(reset.status()).isEqualTo(200);
      assertThat(reset.json()).hasSize(1);
      assertThat(reset.json().get(0).get("action").get("text").asText())
          .isEqualTo("4.3.0 Warming up");
      assertThat(reset.json().get(0).get("hits").asLong()).isZero();
    }
  }

  @Test
  void anAddedRuleIsListedWithItsIdAndCounters() {
    Response added = web.api().post("/api/v1/faults", JSON, BOB_550);

    assertThat(added.status()).isEqualTo(201);
    JsonNode rule = added.json();
    assertThat(rule.get("id").asLong()).isPositive();
    assertThat(rule.get("stage").asText()).isEqualTo("RCPT");
    assertThat(rule.get("action").get("code").asInt()).isEqualTo(550);
    assertThat(rule.get("hits").asLong()).isZero();
    assertThat(rule.get("active").asBoolean()).isTrue();
    assertThat(added.header("Location")).isEqualTo("/api/v1/faults/" + rule.get("id").asLong());
    JsonNode list = web.api().get("/api/v1/faults").json();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("id")).isEqualTo(rule.get("id"));
  }

  @Test
  void aRuleThatFiredShowsItsHitsAndTurnsInactiveWhenUsedUp() {
    long id = web.api().post("/api/v1/faults", JSON, BOB_550).json().get("id").asLong();

    assertThatThrownBy(
            () ->
                TestMail.message()
                    .to("bob@example.com")
                    .subject("x")
                    .text("x")
                    .sendTo(web.sink().smtpHost(), web.sink().smtpPort()))
        .hasMessageContaining("550");
    TestMail.message()
        .to("bob@example.com")
        .subject("second try")
        .text("x")
        .sendTo(web.sink().smtpHost(), web.sink().smtpPort());

    JsonNode rule = web.api().get("/api/v1/faults/" + id).json();
    assertThat(rule.get("hits").asLong()).isEqualTo(1);
    assertThat(rule.get("active").asBoolean()).isFalse();
    assertThat(web.sink().mailbox().count()).isEqualTo(1);
    JsonNode events = web.api().get("/api/v1/faults/events").json();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("ruleId").asLong()).isEqualTo(id);
    assertThat(events.get(0).get("outcome").asText()).contains("550");
  }

  @Test
  void anArrayAddsSeveralRulesInOrder() {
    Response added =
        web.api()
            .post(
                "/api/v1/faults",
                JSON,
                "["
                    + BOB_550
                    + ",{\"stage\":\"MAIL\",\"action\":{\"type\":\"delay\",\"duration\":\"1s\"}}]");

    assertThat(added.status()).isEqualTo(201);
    assertThat(added.json()).hasSize(2);
    assertThat(added.json().get(1).get("action").get("type").asText()).isEqualTo("delay");
    assertThat(web.sink().faults().list()).hasSize(2);
  }

  @Test
  void anInvalidRuleIs400NamingTheProblem() {
    Response r =
        web.api()
            .post("/api/v1/faults", JSON, "{\"stage\":\"RCPT\",\"action\":{\"type\":\"explode\"}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("bad_request");
    assertThat(r.json().get("message").asText())
        .startsWith("Invalid fault rule: action.type must be one of");
    assertThat(web.sink().faults().list()).isEmpty();
  }

  @Test
  void unknownFieldsAndBadJsonAre400() {
    assertThat(
            web.api()
                .post("/api/v1/faults", JSON, "{\"stage\":\"RCPT\",\"colour\":1}")
                .json()
                .get("message")
                .asText())
        .contains("unknown field 'colour'");
    assertThat(web.api().post("/api/v1/faults", JSON, "{not json").status()).isEqualTo(400);
    assertThat(web.api().post("/api/v1/faults", JSON, "").status()).isEqualTo(400);
  }

  @Test
  void aRuleMustBeSentAsJson() {
    Response r = web.api().post("/api/v1/faults", "text/plain", BOB_550);

    assertThat(r.status()).isEqualTo(415);
    assertThat(r.json().get("error").asText()).isEqualTo("unsupported_media_type");
    assertThat(web.sink().faults().list()).isEmpty();
  }

  @Test
  void aCrossOriginPostIsRefused() {
    Response r = web.api().post("/api/v1/faults", JSON, BOB_550, "Origin", "http://evil.test");

    assertThat(r.status()).isEqualTo(403);
    assertThat(web.sink().faults().list()).isEmpty();
  }

  @Test
  void unknownRuleIs404AndANonNumericIdIs400() {
    assertThat(web.api().get("/api/v1/faults/999").status()).isEqualTo(404);
    assertThat(web.api().delete("/api/v1/faults/999").status()).isEqualTo(404);
    assertThat(web.api().get("/api/v1/faults/abc").status()).isEqualTo(400);
  }

  @Test
  void deletingARuleRemovesIt() {
    long id = web.api().post("/api/v1/faults", JSON, BOB_550).json().get("id").asLong();

    Response r = web.api().delete("/api/v1/faults/" + id);

    assertThat(r.status()).isEqualTo(204);
    assertThat(web.api().get("/api/v1/faults").json()).isEmpty();
  }

  @Test
  void deletingAllRulesSaysHowMany() {
    web.api().post("/api/v1/faults", JSON, BOB_550);
    web.api().post("/api/v1/faults", JSON, BOB_550);

    Response r = web.api().delete("/api/v1/faults");

    assertThat(r.json().get("deleted").asInt()).isEqualTo(2);
    assertThat(web.sink().faults().list()).isEmpty();
  }

  @Test
  void aListedRuleCanBePostedBackAsIs() {
    JsonNode listed = web.api().post("/api/v1/faults", JSON, BOB_550).json();

    Response again = web.api().post("/api/v1/faults", JSON, listed.toString());

    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().get("id")).isNotEqualTo(listed.get("id"));
  }
}
