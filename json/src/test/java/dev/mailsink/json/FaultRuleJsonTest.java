package dev.mailsink.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.fault.FaultAction;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRuleStatus;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultRuleJsonTest {

  @Test
  void parsesTheRuleFromTheDesignDocument() {
    List<FaultRule> rules =
        FaultRuleJson.parseRules(
            "{\"stage\": \"RCPT\", \"match\": {\"recipient\": \"bob@example.com\"},"
                + " \"action\": {\"type\": \"reply\", \"code\": 550, \"text\": \"5.1.1 No such user\"}, \"times\": 1}");
    assertThat(rules)
        .containsExactly(
            FaultRule.on(SmtpStage.RCPT)
                .when(Match.recipient("bob@example.com"))
                .reply(550, "5.1.1 No such user")
                .times(1));
  }

  @Test
  void everyActionSurvivesARoundTrip() {
    List<FaultRule> rules =
        List.of(
            FaultRule.on(SmtpStage.DATA).delayThenReply(Duration.ofMillis(1500), 451, "4.3.2 Busy"),
            FaultRule.on(SmtpStage.MAIL).delay(Duration.ofSeconds(2)).every(3),
            FaultRule.on(SmtpStage.RCPT).disconnect().after(2),
            FaultRule.on(SmtpStage.QUIT).stall(),
            FaultRule.on(SmtpStage.CONNECT).slowLink(1024),
            FaultRule.on(SmtpStage.RCPT).greylist(Duration.ofSeconds(1)),
            FaultRule.on(SmtpStage.END_OF_DATA)
                .when(Match.subject("*spam*").andSender("*@x.test"))
                .action(new FaultAction.RateLimit(10, Duration.ofMinutes(1), 421, false)),
            FaultRule.on(SmtpStage.STARTTLS).tlsFailure().probability(0.25, 7L));
    for (FaultRule rule : rules) {
      String json = FaultRuleJson.toJson(rule).toString();
      assertThat(FaultRuleJson.parseRules(json)).as(json).containsExactly(rule);
    }
  }

  @Test
  void statusCarriesIdAndCounters() {
    FaultRuleStatus status =
        new FaultRuleStatus(3, FaultRule.on(SmtpStage.MAIL).reply(451, "4.3.0 x"), 5, 2, true);
    var json = FaultRuleJson.toJson(status);
    assertThat(json.get("id").asLong()).isEqualTo(3);
    assertThat(json.get("hits").asLong()).isEqualTo(2);
    assertThat(FaultRuleJson.parseStatus(json)).isEqualTo(status);
  }

  @Test
  void durationsAcceptIsoAndUnits() {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(FaultRuleJson.duration(mapper.valueToTree("PT5S"), "d"))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(FaultRuleJson.duration(mapper.valueToTree("500ms"), "d"))
        .isEqualTo(Duration.ofMillis(500));
    assertThat(FaultRuleJson.duration(mapper.valueToTree("2m"), "d"))
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void badInputSaysWhatIsWrong() {
    assertThatThrownBy(
            () ->
                FaultRuleJson.parseRules(
                    "{\"stage\":\"LUNCH\",\"action\":{\"type\":\"disconnect\"}}"))
        .hasMessageStartingWith("stage must be one of [CONNECT, EHLO");
    assertThatThrownBy(() -> FaultRuleJson.parseRules("{\"stage\":\"RCPT\"}"))
        .hasMessage("missing field 'action'");
    assertThatThrownBy(
            () ->
                FaultRuleJson.parseRules("{\"stage\":\"RCPT\",\"action\":{\"type\":\"explode\"}}"))
        .hasMessageContaining("action.type must be one of");
    assertThatThrownBy(
            () ->
                FaultRuleJson.parseRules(
                    "{\"stage\":\"RCPT\",\"action\":{\"type\":\"reply\",\"code\":250,\"text\":\"x\"}}"))
        .hasMessage("reply code must be 400-599 (an error), was 250");
    assertThatThrownBy(
            () ->
                FaultRuleJson.parseRules(
                    "{\"stage\":\"RCPT\",\"colour\":1,\"action\":{\"type\":\"stall\"}}"))
        .hasMessageStartingWith("unknown field 'colour' in rule");
    assertThatThrownBy(
            () ->
                FaultRuleJson.parseRules(
                    "[{\"stage\":\"RCPT\",\"action\":{\"type\":\"delay\",\"duration\":\"soon\"}}]"))
        .hasMessageStartingWith("rule 0: action.duration must be an ISO-8601 duration");
    assertThatThrownBy(() -> FaultRuleJson.parseRules("{not json"))
        .hasMessageStartingWith("not valid JSON");
  }
}
