package dev.mailsink.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailsink.fault.FaultAction;
import dev.mailsink.fault.FaultEvent;
import dev.mailsink.fault.FaultRule;
import dev.mailsink.fault.FaultRuleStatus;
import dev.mailsink.fault.Match;
import dev.mailsink.fault.SmtpStage;
import dev.mailsink.syntax.DurationSyntax;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON form of fault rules, shared by the JSON API, start-up configuration and the remote
 * client. Parsing is strict: an unknown field or a wrong value is an {@link
 * IllegalArgumentException} naming the field and what is allowed.
 *
 * <pre>{@code
 * {"stage": "RCPT", "match": {"recipient": "bob@example.com"},
 *  "action": {"type": "reply", "code": 550, "text": "5.1.1 No such user"}, "times": 1}
 * }</pre>
 *
 * <p>This is the contract of the {@code /api/v1/faults} endpoints: the server (JSON API, start-up
 * configuration) and the remote client read and write rules with this one codec. Thread-safe.
 */
public final class FaultRuleJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> RULE_FIELDS =
      Set.of(
          "id",
          "hits",
          "matches",
          "active",
          "stage",
          "match",
          "action",
          "times",
          "every",
          "after",
          "probability",
          "seed");
  private static final Set<String> MATCH_FIELDS =
      Set.of(
          "sender",
          "recipient",
          "authUser",
          "clientAddress",
          "headerName",
          "headerValue",
          "subject",
          "minSize");

  private FaultRuleJson() {}

  /** Parses one rule, or a JSON array of rules, from text. */
  public static List<FaultRule> parseRules(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new IllegalArgumentException(
          "no JSON given; expected a fault rule object or an array of them");
    }
    List<FaultRule> rules = new ArrayList<>();
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        try {
          rules.add(parse(node.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("rule " + i + ": " + e.getMessage(), e);
        }
      }
    } else {
      rules.add(parse(node));
    }
    return rules;
  }

  /** Parses one rule from a JSON object. */
  public static FaultRule parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("a fault rule must be a JSON object");
    }
    checkFields(node, RULE_FIELDS, "rule");
    SmtpStage stage = stage(required(node, "stage"));
    Match match =
        node.has("match") && !node.get("match").isNull() ? match(node.get("match")) : Match.any();
    FaultAction action = action(required(node, "action"));
    Integer times =
        node.has("times") && !node.get("times").isNull() ? intField(node, "times") : null;
    int every = node.has("every") ? intField(node, "every") : 1;
    int after = node.has("after") ? intField(node, "after") : 0;
    double probability = 1.0;
    if (node.has("probability")) {
      if (!node.get("probability").isNumber()) {
        throw new IllegalArgumentException("probability must be a number between 0 and 1");
      }
      probability = node.get("probability").asDouble();
    }
    Long seed = null;
    if (node.has("seed") && !node.get("seed").isNull()) {
      if (!node.get("seed").isIntegralNumber()) {
        throw new IllegalArgumentException("seed must be an integer");
      }
      seed = node.get("seed").asLong();
    }
    return new FaultRule(stage, match, action, times, every, after, probability, seed);
  }

  private static SmtpStage stage(JsonNode node) {
    String value = node.asText();
    try {
      return SmtpStage.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "stage must be one of " + List.of(SmtpStage.values()) + ", was '" + value + "'");
    }
  }

  private static Match match(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "match must be an object such as {\"recipient\": \"bob@example.com\"}");
    }
    checkFields(node, MATCH_FIELDS, "match");
    Long minSize = null;
    if (node.has("minSize")) {
      if (!node.get("minSize").isIntegralNumber()) {
        throw new IllegalArgumentException("match.minSize must be a whole number of bytes");
      }
      minSize = node.get("minSize").asLong();
    }
    return new Match(
        text(node, "sender"),
        text(node, "recipient"),
        text(node, "authUser"),
        text(node, "clientAddress"),
        text(node, "headerName"),
        text(node, "headerValue"),
        text(node, "subject"),
        minSize);
  }

  private static FaultAction action(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("action must be an object with a \"type\"");
    }
    String type = required(node, "type").asText();
    switch (type) {
      case "reply" -> {
        checkFields(node, Set.of("type", "code", "text", "delay"), "action");
        Duration delay =
            node.has("delay") ? duration(node.get("delay"), "action.delay") : Duration.ZERO;
        return new FaultAction.Reply(
            intField(node, "code"), required(node, "text").asText(), delay);
      }
      case "delay" -> {
        checkFields(node, Set.of("type", "duration"), "action");
        return new FaultAction.Delay(duration(required(node, "duration"), "action.duration"));
      }
      case "disconnect" -> {
        checkFields(node, Set.of("type"), "action");
        return new FaultAction.Disconnect();
      }
      case "stall" -> {
        checkFields(node, Set.of("type"), "action");
        return new FaultAction.Stall();
      }
      case "slowLink" -> {
        checkFields(node, Set.of("type", "bytesPerSecond"), "action");
        return new FaultAction.SlowLink(required(node, "bytesPerSecond").asLong());
      }
      case "greylist" -> {
        checkFields(node, Set.of("type", "retryAfter"), "action");
        return new FaultAction.Greylist(
            duration(required(node, "retryAfter"), "action.retryAfter"));
      }
      case "rateLimit" -> {
        checkFields(node, Set.of("type", "messages", "per", "code", "perClient"), "action");
        return new FaultAction.RateLimit(
            intField(node, "messages"),
            duration(required(node, "per"), "action.per"),
            node.has("code") ? intField(node, "code") : 451,
            !node.has("perClient") || node.get("perClient").asBoolean());
      }
      case "tlsFailure" -> {
        checkFields(node, Set.of("type"), "action");
        return new FaultAction.TlsFailure();
      }
      default ->
          throw new IllegalArgumentException(
              "action.type must be one of reply, delay, disconnect, stall, slowLink, greylist, rateLimit, tlsFailure; was '"
                  + type
                  + "'");
    }
  }

  /**
   * Reads a duration field as {@link DurationSyntax} defines it.
   *
   * @throws IllegalArgumentException naming the field, the value and the accepted forms
   */
  public static Duration duration(JsonNode node, String field) {
    return DurationSyntax.parse(
        field, node.isTextual() || node.isNumber() ? node.asText() : node.toString());
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static int intField(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(field + " must be a whole number, was " + value);
    }
    return value.asInt();
  }

  private static void checkFields(JsonNode node, Set<String> allowed, String where) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '"
                + name
                + "' in "
                + where
                + "; allowed: "
                + new java.util.TreeSet<>(allowed));
      }
    }
  }

  /** The JSON object of a rule, in the form {@link #parse} reads. */
  public static ObjectNode toJson(FaultRule rule) {
    ObjectNode node = NODES.objectNode();
    node.put("stage", rule.stage().name());
    ObjectNode match = node.putObject("match");
    Match m = rule.match();
    putIfSet(match, "sender", m.sender());
    putIfSet(match, "recipient", m.recipient());
    putIfSet(match, "authUser", m.authUser());
    putIfSet(match, "clientAddress", m.clientAddress());
    putIfSet(match, "headerName", m.headerName());
    putIfSet(match, "headerValue", m.headerValue());
    putIfSet(match, "subject", m.subject());
    if (m.minSize() != null) {
      match.put("minSize", m.minSize());
    }
    node.set("action", toJson(rule.action()));
    if (rule.times() != null) {
      node.put("times", rule.times());
    }
    if (rule.every() != 1) {
      node.put("every", rule.every());
    }
    if (rule.after() != 0) {
      node.put("after", rule.after());
    }
    if (rule.probability() < 1) {
      node.put("probability", rule.probability());
    }
    if (rule.seed() != null) {
      node.put("seed", rule.seed());
    }
    return node;
  }

  /** The JSON object of an action. */
  public static ObjectNode toJson(FaultAction action) {
    ObjectNode node = NODES.objectNode();
    if (action instanceof FaultAction.Reply r) {
      node.put("type", "reply").put("code", r.code()).put("text", r.text());
      if (!r.delay().isZero()) {
        node.put("delay", r.delay().toString());
      }
    } else if (action instanceof FaultAction.Delay d) {
      node.put("type", "delay").put("duration", d.duration().toString());
    } else if (action instanceof FaultAction.Disconnect) {
      node.put("type", "disconnect");
    } else if (action instanceof FaultAction.Stall) {
      node.put("type", "stall");
    } else if (action instanceof FaultAction.SlowLink s) {
      node.put("type", "slowLink").put("bytesPerSecond", s.bytesPerSecond());
    } else if (action instanceof FaultAction.Greylist g) {
      node.put("type", "greylist").put("retryAfter", g.retryAfter().toString());
    } else if (action instanceof FaultAction.RateLimit l) {
      node.put("type", "rateLimit")
          .put("messages", l.messages())
          .put("per", l.per().toString())
          .put("code", l.code())
          .put("perClient", l.perClient());
    } else if (action instanceof FaultAction.TlsFailure) {
      node.put("type", "tlsFailure");
    }
    return node;
  }

  /**
   * The JSON object of an installed rule: the rule plus {@code id}, {@code hits}, {@code matches},
   * {@code active}.
   */
  public static ObjectNode toJson(FaultRuleStatus status) {
    ObjectNode node = NODES.objectNode();
    node.put("id", status.id());
    node.setAll(toJson(status.rule()));
    node.put("matches", status.matches());
    node.put("hits", status.hits());
    node.put("active", status.active());
    return node;
  }

  /** The JSON object of a fault that fired. */
  public static ObjectNode toJson(FaultEvent event) {
    ObjectNode node = NODES.objectNode();
    node.put("ruleId", event.ruleId());
    node.put("stage", event.stage().name());
    node.put("sessionId", event.sessionId());
    node.put("clientAddress", event.clientAddress());
    node.put("at", event.at().toString());
    node.put("outcome", event.outcome());
    return node;
  }

  /** A JSON array of installed rules. */
  public static ArrayNode toJson(List<FaultRuleStatus> statuses) {
    ArrayNode array = NODES.arrayNode();
    for (FaultRuleStatus s : statuses) {
      array.add(toJson(s));
    }
    return array;
  }

  /** Parses the status form written by {@link #toJson(FaultRuleStatus)} (for remote clients). */
  public static FaultRuleStatus parseStatus(JsonNode node) {
    ObjectNode rule = node.deepCopy();
    long id = rule.path("id").asLong();
    long matches = rule.path("matches").asLong();
    long hits = rule.path("hits").asLong();
    boolean active = rule.path("active").asBoolean(true);
    return new FaultRuleStatus(id, parse(rule), matches, hits, active);
  }

  /** Parses the event form written by {@link #toJson(FaultEvent)} (for remote clients). */
  public static FaultEvent parseEvent(JsonNode node) {
    return new FaultEvent(
        node.path("ruleId").asLong(),
        SmtpStage.valueOf(node.path("stage").asText()),
        node.path("sessionId").asText(),
        node.path("clientAddress").asText(),
        java.time.Instant.parse(node.path("at").asText()),
        node.path("outcome").asText());
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
