package dev.mailsink.web.internal.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRuleStatus;
import dev.mailsink.fault.FaultRules;
import dev.mailsink.json.FaultRuleJson;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/faults}: the sink's fault rules in the JSON model shared with the Java builder and
 * start-up configuration (core's {@link FaultRuleJson}). A listed rule adds {@code id}, {@code
 * matches}, {@code hits} and {@code active}; a rule whose {@code times} are used up stays listed,
 * inactive, until deleted.
 */
final class FaultsApi {
  private final FaultRules faults;

  FaultsApi(FaultRules faults) {
    this.faults = faults;
  }

  void list(HttpServerExchange exchange, Map<String, String> path) {
    Responses.bytes(
        exchange, 200, Responses.JSON, JsonModel.bytes(FaultRuleJson.toJson(faults.list())));
  }

  void get(HttpServerExchange exchange, Map<String, String> path) {
    FaultRuleStatus status = find(id(path.get("id")));
    Responses.bytes(exchange, 200, Responses.JSON, JsonModel.bytes(FaultRuleJson.toJson(status)));
  }

  void events(HttpServerExchange exchange, Map<String, String> path) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    faults.events().forEach(e -> array.add(FaultRuleJson.toJson(e)));
    Responses.bytes(exchange, 200, Responses.JSON, JsonModel.bytes(array));
  }

  /** Adds one rule (a JSON object) or several (an array); answers 201 with what was stored. */
  void add(HttpServerExchange exchange, Map<String, String> path) throws IOException {
    String body = Bodies.text(exchange, "the fault rule");
    List<FaultRule> rules;
    try {
      rules = FaultRuleJson.parseRules(body);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Invalid fault rule: " + e.getMessage());
    }
    List<Long> ids = new ArrayList<>();
    for (FaultRule rule : rules) {
      ids.add(faults.add(rule));
    }
    List<FaultRuleStatus> added = new ArrayList<>();
    for (FaultRuleStatus s : faults.list()) {
      if (ids.contains(s.id())) {
        added.add(s);
      }
    }
    boolean many = body.stripLeading().startsWith("[");
    exchange
        .getResponseHeaders()
        .put(Headers.LOCATION, "/api/v1/faults/" + ids.get(ids.size() - 1));
    Object json = many ? FaultRuleJson.toJson(added) : FaultRuleJson.toJson(added.get(0));
    Responses.bytes(exchange, 201, Responses.JSON, JsonModel.bytes(json));
  }

  void delete(HttpServerExchange exchange, Map<String, String> path) {
    long id = id(path.get("id"));
    if (!faults.remove(id)) {
      throw ApiException.notFound("No fault rule with id " + id);
    }
    Responses.noContent(exchange);
  }

  void reset(HttpServerExchange exchange, Map<String, String> path) {
    faults.reset();
    list(exchange, path);
  }

  void deleteAll(HttpServerExchange exchange, Map<String, String> path) {
    int count = faults.list().size();
    faults.clear();
    Responses.json(exchange, 200, new JsonModel.DeletedJson(count));
  }

  private FaultRuleStatus find(long id) {
    for (FaultRuleStatus s : faults.list()) {
      if (s.id() == id) {
        return s;
      }
    }
    throw ApiException.notFound("No fault rule with id " + id);
  }

  private static long id(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("A fault rule id is a number, was '" + text + "'");
    }
  }
}
