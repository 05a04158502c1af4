package dev.mailsink.testcontainers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.fault.FaultEvent;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRuleStatus;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.json.FaultRuleJson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link FaultRules} of a Mailsink server, over {@code /api/v1/faults}: the same interface as
 * {@code Mailsink.faults()}, in the JSON model that core's codec writes and reads.
 */
final class RemoteFaultRules implements FaultRules {
  private final MailsinkClient client;

  RemoteFaultRules(MailsinkClient client) {
    this.client = client;
  }

  @Override
  public long add(FaultRule rule) {
    Objects.requireNonNull(rule, "rule");
    HttpResponse<String> r =
        client.send(
            client
                .request("api/v1/faults")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        FaultRuleJson.toJson(rule).toString(), StandardCharsets.UTF_8)),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() == 400) {
      throw new IllegalArgumentException(
          "the server refused the fault rule: " + MailsinkClient.message(r));
    }
    MailsinkClient.expectSuccess(r, "POST /api/v1/faults");
    return MailsinkClient.parse(r.body(), "POST /api/v1/faults").path("id").asLong();
  }

  @Override
  public boolean remove(long id) {
    HttpResponse<String> r =
        client.send(
            client.request("api/v1/faults/" + id).DELETE(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 404) {
      return false;
    }
    MailsinkClient.expectSuccess(r, "DELETE /api/v1/faults/" + id);
    return true;
  }

  @Override
  public void clear() {
    HttpResponse<String> r =
        client.send(client.request("api/v1/faults").DELETE(), HttpResponse.BodyHandlers.ofString());
    MailsinkClient.expectSuccess(r, "DELETE /api/v1/faults");
  }

  @Override
  public void reset() {
    HttpResponse<String> r =
        client.send(
            client.request("api/v1/faults/reset").POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.ofString());
    MailsinkClient.expectSuccess(r, "POST /api/v1/faults/reset");
  }

  @Override
  public List<FaultRuleStatus> list() {
    List<FaultRuleStatus> list = new ArrayList<>();
    for (JsonNode node : getArray("api/v1/faults")) {
      list.add(FaultRuleJson.parseStatus(node));
    }
    return list;
  }

  @Override
  public List<FaultEvent> events() {
    List<FaultEvent> list = new ArrayList<>();
    for (JsonNode node : getArray("api/v1/faults/events")) {
      list.add(FaultRuleJson.parseEvent(node));
    }
    return list;
  }

  private JsonNode getArray(String relative) {
    HttpResponse<String> r = client.getString(relative);
    MailsinkClient.expectSuccess(r, "GET /" + relative);
    return MailsinkClient.parse(r.body(), "GET /" + relative);
  }

  @Override
  public String toString() {
    return "FaultRules{remote=" + client.baseUri() + "}";
  }
}
