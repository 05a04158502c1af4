package dev.mailsink.web.internal.api;

import static dev.mailsink.web.support.HttpApi.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Credentials;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.relay.AutoRelayRule;
import dev.mailsink.relay.RelayConfig;
import dev.mailsink.relay.RelayTls;
import dev.mailsink.relay.RetryPolicy;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.WebConfig;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import dev.mailsink.web.support.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps {@code openapi.json} true: every routed API path is described and every described path is
 * routed, and real responses have exactly the fields (names, types, nullability) it lists.
 */
@Timeout(30)
class OpenApiContractTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode openapi;
  static Mailsink upstream;
  static Mailsink sink;
  static MailsinkWebServer web;
  static HttpApi api;

  @BeforeAll
  static void start() throws IOException {
    try (InputStream in =
        OpenApiContractTest.class.getResourceAsStream("/dev/mailsink/web/api/openapi.json")) {
      openapi = MAPPER.readTree(in);
    }
    upstream = Mailsink.start();
    sink =
        Mailsink.start(
            MailsinkConfig.builder()
                .relay(
                    RelayConfig.builder(upstream.smtpHost(), upstream.smtpPort())
                        .tls(RelayTls.NONE)
                        .credentials(Credentials.of("relay", "pw"))
                        .allowedRecipients("*@example.com")
                        .autoRelay(AutoRelayRule.recipients("auto@example.com"))
                        .retry(RetryPolicy.none())
                        .build())
                .build());
    web = MailsinkWebServer.start(sink);
    api = new HttpApi(web.url());
    TestMail.message()
        .from("Shop <shop@x.test>")
        .to("alice@example.com")
        .cc("boss@corp.test")
        .bcc("audit@x.test")
        .subject("Contract")
        .text("text body")
        .html("<p>html body</p>")
        .attach("a.txt", "text/plain", "attached".getBytes(StandardCharsets.UTF_8))
        .sendTo(sink.smtpHost(), sink.smtpPort());
  }

  @AfterAll
  static void stop() {
    web.close();
    sink.close();
    upstream.close();
  }

  @Test
  void everyRoutedApiPathIsDescribedAndEveryDescribedPathIsRouted() {
    List<String> routed;
    try (Mailsink own = Mailsink.start();
        WebApp app = new WebApp(own, new WebSettings("test", null, null, List.of(), true))) {
      routed = app.apiRoutes();
    }
    TreeSet<String> described = new TreeSet<>();
    for (Map.Entry<String, JsonNode> p : openapi.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : p.getValue().properties()) {
        if (!operation.getKey().equals("parameters")) {
          described.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey());
        }
      }
    }

    assertThat(new TreeSet<>(routed)).isEqualTo(described);
  }

  @Test
  void everyDescribedObjectRequiresAllItsPropertiesAndAllowsNoOthers() {
    List<String> problems = new ArrayList<>();
    // The fault rule model leaves out fields equal to their default (like core's JSON codec), so
    // its schemas list optional fields; every other shape always has every field.
    openapi
        .get("components")
        .get("schemas")
        .properties()
        .forEach(
            e -> {
              if (!e.getKey().startsWith("Fault")) {
                collectLooseObjects(e.getValue(), "#/components/schemas/" + e.getKey(), problems);
              }
            });

    assertThat(problems).isEmpty();
  }

  private static void collectLooseObjects(JsonNode node, String where, List<String> problems) {
    if (node.isObject()) {
      if (node.has("properties")) {
        TreeSet<String> props = new TreeSet<>();
        node.get("properties").fieldNames().forEachRemaining(props::add);
        TreeSet<String> required = new TreeSet<>();
        node.path("required").forEach(r -> required.add(r.asText()));
        if (!props.equals(required)) {
          problems.add(where + ": required " + required + " != properties " + props);
        }
        if (!node.path("additionalProperties").isBoolean()
            || node.get("additionalProperties").asBoolean()) {
          problems.add(where + ": additionalProperties must be false");
        }
      }
      node.properties()
          .forEach(e -> collectLooseObjects(e.getValue(), where + "/" + e.getKey(), problems));
    }
  }

  private static Response check(
      String method, String url, String template, int status, String... headers) {
    Response r = api.send(method, url, headers);
    assertThat(r.status()).as(method + " " + url + " -> " + r).isEqualTo(status);
    JsonNode response =
        openapi
            .get("paths")
            .get(template)
            .get(method.toLowerCase(Locale.ROOT))
            .get("responses")
            .get(Integer.toString(status));
    assertThat(response)
        .as("openapi describes " + status + " for " + method + " " + template)
        .isNotNull();
    JsonNode content = response.get("content");
    if (content == null) {
      assertThat(r.bytes()).as("no body for " + status).isEmpty();
      return r;
    }
    String documentedType = content.fieldNames().next();
    if (documentedType.equals("application/json")) {
      assertThat(r.header("Content-Type")).startsWith("application/json");
      List<String> problems = new ArrayList<>();
      validate(r.json(), content.get(documentedType).get("schema"), "$", problems);
      assertThat(problems).as(method + " " + url).isEmpty();
    } else if (!documentedType.equals("application/octet-stream")) {
      assertThat(r.header("Content-Type")).startsWith(documentedType);
    }
    return r;
  }

  @Test
  void messageResponsesMatchTheirSchemas() {
    long id = sink.mailbox().latest().orElseThrow().id();
    check("GET", "/api/v1/messages", "/api/v1/messages", 200);
    check("GET", "/api/v1/messages?q=" + enc("to:"), "/api/v1/messages", 400);
    check("GET", "/api/v1/messages/" + id, "/api/v1/messages/{id}", 200);
    check("GET", "/api/v1/messages/latest", "/api/v1/messages/{id}", 200);
    check("GET", "/api/v1/messages/999999", "/api/v1/messages/{id}", 404);
    check("GET", "/api/v1/messages/x", "/api/v1/messages/{id}", 400);
    check("GET", "/api/v1/messages/" + id + "/raw", "/api/v1/messages/{id}/raw", 200);
    check("GET", "/api/v1/messages/" + id + "/html", "/api/v1/messages/{id}/html", 200);
    check("GET", "/api/v1/messages/" + id + "/text", "/api/v1/messages/{id}/text", 200);
    check(
        "GET",
        "/api/v1/messages/" + id + "/attachments/0",
        "/api/v1/messages/{id}/attachments/{index}",
        200);
    check(
        "GET",
        "/api/v1/messages/" + id + "/attachments/9",
        "/api/v1/messages/{id}/attachments/{index}",
        404);
  }

  @Test
  void releaseResponsesMatchTheirSchemas() {
    long id = sink.mailbox().latest().orElseThrow().id();
    String template = "/api/v1/messages/{id}/release";
    Response posted =
        api.post(
            "/api/v1/messages/" + id + "/release",
            "application/json",
            "{\"to\":[\"copy@example.com\"]}");
    validateResponse(posted, "post", template, 202);
    long release = posted.json().get("id").asLong();
    check(
        "GET",
        "/api/v1/releases/" + release + "/await?timeout=10s",
        "/api/v1/releases/{id}/await",
        200);
    validateResponse(
        api.post(
            "/api/v1/messages/" + id + "/release",
            "application/json",
            "{\"to\":[\"x@evil.test\"]}"),
        "post",
        template,
        403);
    validateResponse(
        api.post("/api/v1/messages/" + id + "/release", "application/json", "{}"),
        "post",
        template,
        400);
    check("GET", "/api/v1/messages/" + id + "/releases", "/api/v1/messages/{id}/releases", 200);
    check("GET", "/api/v1/messages/" + id, "/api/v1/messages/{id}", 200);
    check("GET", "/api/v1/releases", "/api/v1/releases", 200);
    check("GET", "/api/v1/releases/" + release, "/api/v1/releases/{id}", 200);
    check("GET", "/api/v1/releases/424242", "/api/v1/releases/{id}", 404);
    check("GET", "/api/v1/releases/x", "/api/v1/releases/{id}", 400);
    check("GET", "/api/v1/releases/424242/await", "/api/v1/releases/{id}/await", 404);
    try (Mailsink plain = Mailsink.start();
        MailsinkWebServer plainWeb = MailsinkWebServer.start(plain)) {
      TestMail.message().to("a@example.com").text("x").sendTo(plain.smtpHost(), plain.smtpPort());
      long plainId = plain.mailbox().await(1, Duration.ofSeconds(5)).get(0).id();
      validateResponse(
          new HttpApi(plainWeb.url())
              .post(
                  "/api/v1/messages/" + plainId + "/release",
                  "application/json",
                  "{\"to\":[\"a@example.com\"]}"),
          "post",
          template,
          409);
      Response info = new HttpApi(plainWeb.url()).get("/api/v1/info");
      List<String> problems = new ArrayList<>();
      validate(info.json(), openapi.at("/components/schemas/Info"), "$", problems);
      assertThat(problems).isEmpty();
    }
  }

  @Test
  void sessionResponsesMatchTheirSchemas() {
    CapturedMessage m = sink.mailbox().latest().orElseThrow();
    sink.sessions()
        .await(t -> t.messageIds().contains(m.id()) && !t.isOpen(), 1, Duration.ofSeconds(5));
    String session = HttpApi.enc(m.envelope().sessionId());
    check("GET", "/api/v1/sessions", "/api/v1/sessions", 200);
    check("GET", "/api/v1/sessions?limit=x", "/api/v1/sessions", 400);
    check("GET", "/api/v1/sessions/" + session, "/api/v1/sessions/{id}", 200);
    check("GET", "/api/v1/sessions/NO-SUCH", "/api/v1/sessions/{id}", 404);
    check(
        "GET",
        "/api/v1/messages/" + m.id() + "/transcript",
        "/api/v1/messages/{id}/transcript",
        200);
    check("GET", "/api/v1/messages/999999/transcript", "/api/v1/messages/{id}/transcript", 404);
    check("GET", "/api/v1/sessions/await?after=0&timeout=1s", "/api/v1/sessions/await", 200);
    long version = api.get("/api/v1/sessions").json().get("version").asLong();
    check(
        "GET",
        "/api/v1/sessions/await?after=" + (version + 1000) + "&timeout=50ms",
        "/api/v1/sessions/await",
        408);
    check("GET", "/api/v1/sessions/await?after=soon", "/api/v1/sessions/await", 400);
    check("DELETE", "/api/v1/sessions", "/api/v1/sessions", 200);
  }

  @Test
  void namespacedLogResponsesMatchTheirSchemas() throws Exception {
    TestMail.message()
        .to("alice+logs@example.com")
        .subject("logged")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    CapturedMessage m = sink.mailbox().find(x -> x.subject().equals("logged")).get(0);
    try {
      sink.sessions()
          .await(t -> t.messageIds().contains(m.id()) && !t.isOpen(), 1, Duration.ofSeconds(5));
      long release = sink.release(m, "copy@example.com").get(10, TimeUnit.SECONDS).id();
      String session = enc(m.envelope().sessionId());
      Response sessions = check("GET", "/api/v1/sessions?namespace=logs", "/api/v1/sessions", 200);
      assertThat(sessions.json().at("/sessions/0/namespaces/0").asText()).isEqualTo("logs");
      Response one =
          check(
              "GET",
              "/api/v1/sessions/" + session + "?namespace=logs",
              "/api/v1/sessions/{id}",
              200);
      assertThat(one.json().at("/namespaces/0").asText()).isEqualTo("logs");
      Response releases = check("GET", "/api/v1/releases?namespace=logs", "/api/v1/releases", 200);
      assertThat(releases.json().at("/releases/0/namespace").asText()).isEqualTo("logs");
      check("GET", "/api/v1/releases/" + release, "/api/v1/releases/{id}", 200);
      checkNamespacedLogRefusals();
    } finally {
      // the other tests read the latest message, which is the one with an attachment
      sink.mailbox().delete(m.id());
    }
  }

  private static void checkNamespacedLogRefusals() {
    String bad = "namespace=" + enc("a b");
    long version = api.get("/api/v1/sessions").json().get("version").asLong();
    check("GET", "/api/v1/releases?" + bad, "/api/v1/releases", 400);
    check("GET", "/api/v1/releases/1?" + bad, "/api/v1/releases/{id}", 400);
    check("GET", "/api/v1/releases/1/await?" + bad, "/api/v1/releases/{id}/await", 400);
    check("GET", "/api/v1/sessions?namespace=logs", "/api/v1/sessions", 200);
    check("GET", "/api/v1/sessions?" + bad, "/api/v1/sessions", 400);
    check("GET", "/api/v1/sessions/x?" + bad, "/api/v1/sessions/{id}", 400);
    check(
        "GET",
        "/api/v1/sessions/await?namespace=nothing-here&after=" + version + "&timeout=50ms",
        "/api/v1/sessions/await",
        408);
    check("GET", "/api/v1/sessions/await?" + bad, "/api/v1/sessions/await", 400);
    check("DELETE", "/api/v1/sessions?namespace=logs", "/api/v1/sessions", 200);
    check("DELETE", "/api/v1/sessions?" + bad, "/api/v1/sessions", 400);
  }

  private static void validateResponse(Response r, String method, String template, int status) {
    assertThat(r.status()).as(method + " " + template + " -> " + r).isEqualTo(status);
    JsonNode schema =
        openapi
            .get("paths")
            .get(template)
            .get(method)
            .get("responses")
            .get(Integer.toString(status))
            .get("content")
            .get("application/json")
            .get("schema");
    List<String> problems = new ArrayList<>();
    validate(r.json(), schema, "$", problems);
    assertThat(problems).as(method + " " + template).isEmpty();
  }

  @Test
  void awaitResponsesMatchTheirSchemas() {
    String template = "/api/v1/messages/await";
    check("GET", template + "?count=1&timeout=1s", template, 200);
    check("GET", template + "?count=5&timeout=100ms", template, 408);
    check("GET", template + "?timeout=soon", template, 400);
  }

  @Test
  void namespaceResponsesMatchTheirSchemas() {
    TestMail.message()
        .to("alice+contract@example.com")
        .subject("in a namespace")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());

    check("GET", "/api/v1/namespaces", "/api/v1/namespaces", 200);
    check("GET", "/api/v1/messages?namespace=contract", "/api/v1/messages", 200);
    check("GET", "/api/v1/messages/latest?namespace=contract", "/api/v1/messages/{id}", 200);
    check("GET", "/api/v1/messages/latest?namespace=empty", "/api/v1/messages/{id}", 404);
    check("GET", "/api/v1/messages?namespace=" + enc("a b"), "/api/v1/messages", 400);
    check("GET", "/api/v1/events?namespace=" + enc("a@b"), "/api/v1/events", 400);
    check(
        "GET",
        "/api/v1/messages/await?namespace=contract&timeout=1s",
        "/api/v1/messages/await",
        200);
  }

  @Test
  void deleteResponsesMatchTheirSchemas() {
    TestMail.message()
        .to("gone@example.com")
        .subject("to delete")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    TestMail.message()
        .to("gone@example.com")
        .subject("to delete")
        .text("x")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    long id = sink.mailbox().latest().orElseThrow().id();

    check("DELETE", "/api/v1/messages/" + id, "/api/v1/messages/{id}", 204);
    check("DELETE", "/api/v1/messages/" + id, "/api/v1/messages/{id}", 404);
    check("DELETE", "/api/v1/messages?q=" + enc("to:gone@example.com"), "/api/v1/messages", 200);
  }

  @Test
  void serverResponsesMatchTheirSchemas() {
    check("GET", "/api/v1/info", "/api/v1/info", 200);
    check("GET", "/api/v1/tls/certificate", "/api/v1/tls/certificate", 404);
    check("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", 200);
    check("GET", "/livez", "/livez", 200);
    check("GET", "/readyz", "/readyz", 200);
  }

  @Test
  void faultResponsesMatchTheirSchemas() {
    String rule =
        "{\"stage\":\"RCPT\",\"match\":{\"recipient\":\"*@nowhere.test\"},"
            + "\"action\":{\"type\":\"reply\",\"code\":550,\"text\":\"5.1.1 No\"},\"times\":2}";
    Response added = api.post("/api/v1/faults", "application/json", rule);
    assertThat(added.status()).isEqualTo(201);
    List<String> problems = new ArrayList<>();
    validate(added.json(), openapi.at("/components/schemas/FaultRule"), "$", problems);
    assertThat(problems).isEmpty();
    long id = added.json().get("id").asLong();
    try {
      TestMail.message().to("x@nowhere.test").text("x").sendTo(sink.smtpHost(), sink.smtpPort());
    } catch (IllegalStateException expected) {
      // the rule answered 550
    }

    check("GET", "/api/v1/faults", "/api/v1/faults", 200);
    check("GET", "/api/v1/faults/events", "/api/v1/faults/events", 200);
    check("GET", "/api/v1/faults/" + id, "/api/v1/faults/{id}", 200);
    check("GET", "/api/v1/faults/77777", "/api/v1/faults/{id}", 404);
    check("GET", "/api/v1/faults/x", "/api/v1/faults/{id}", 400);
    assertThat(api.post("/api/v1/faults", "application/json", "{}").status()).isEqualTo(400);
    assertThat(api.post("/api/v1/faults", "text/plain", rule).status()).isEqualTo(415);
    check("DELETE", "/api/v1/faults/" + id, "/api/v1/faults/{id}", 204);
    check("DELETE", "/api/v1/faults", "/api/v1/faults", 200);
    assertThat(api.get("/api/v1/faults/events").json()).isEmpty();
  }

  @Test
  void refusalsMatchTheErrorSchema() {
    check("DELETE", "/api/v1/messages", "/api/v1/messages", 403, "Origin", "http://evil.test");
    try (MailsinkWebServer guarded =
        MailsinkWebServer.start(sink, WebConfig.builder().basicAuth("u", "p").build())) {
      Response r = new HttpApi(guarded.url()).get("/api/v1/messages");
      assertThat(r.status()).isEqualTo(401);
      List<String> problems = new ArrayList<>();
      validate(
          r.json(),
          openapi.at(
              "/paths/~1api~1v1~1messages/get/responses/401/content/application~1json/schema"),
          "$",
          problems);
      assertThat(problems).isEmpty();
      String auth =
          "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));
      assertThat(new HttpApi(guarded.url()).get("/api/v1/messages", "Authorization", auth).status())
          .isEqualTo(200);
    }
  }

  @Test
  void eventDataMatchesTheEventSchemas() {
    JsonNode schemas = openapi.get("components").get("schemas");
    try (SseClient events = new SseClient(api.client(), api.uri("/api/v1/events"))) {
      List<String> problems = new ArrayList<>();
      validate(
          events.next("hello", Duration.ofSeconds(10)).data(),
          schemas.get("HelloEvent"),
          "hello",
          problems);
      TestMail.message()
          .to("ev@example.com")
          .subject("event")
          .text("x")
          .sendTo(sink.smtpHost(), sink.smtpPort());
      validate(
          events.next("received", Duration.ofSeconds(10)).data(),
          schemas.get("ReceivedEvent"),
          "received",
          problems);
      api.delete("/api/v1/messages/latest");
      validate(
          events.next("deleted", Duration.ofSeconds(10)).data(),
          schemas.get("DeletedEvent"),
          "deleted",
          problems);

      assertThat(problems).isEmpty();
    }
  }

  /** A small JSON Schema check: $ref, type (with null), enum, exact object properties, items. */
  private static void validate(
      JsonNode value, JsonNode schema, String path, List<String> problems) {
    if (schema.has("$ref")) {
      validate(value, openapi.at(schema.get("$ref").asText().substring(1)), path, problems);
      return;
    }
    if (schema.has("type")) {
      List<String> types = new ArrayList<>();
      if (schema.get("type").isArray()) {
        schema.get("type").forEach(t -> types.add(t.asText()));
      } else {
        types.add(schema.get("type").asText());
      }
      String actual = typeOf(value);
      boolean ok = types.contains(actual) || (actual.equals("integer") && types.contains("number"));
      if (!ok) {
        problems.add(path + ": is " + actual + ", described as " + types);
        return;
      }
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) {
        found |= e.equals(value);
      }
      if (!found) {
        problems.add(path + ": " + value + " not in " + schema.get("enum"));
      }
    }
    if (value.isObject() && schema.has("properties")) {
      TreeSet<String> actual = new TreeSet<>();
      value.fieldNames().forEachRemaining(actual::add);
      TreeSet<String> described = new TreeSet<>();
      schema.get("properties").fieldNames().forEachRemaining(described::add);
      TreeSet<String> required = new TreeSet<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      TreeSet<String> extra = new TreeSet<>(actual);
      extra.removeAll(described);
      TreeSet<String> missing = new TreeSet<>(required);
      missing.removeAll(actual);
      if (!extra.isEmpty() || !missing.isEmpty()) {
        problems.add(
            path + ": fields not described " + extra + ", required but missing " + missing);
      }
      for (String name : described) {
        if (value.has(name)) {
          validate(
              value.get(name), schema.get("properties").get(name), path + "." + name, problems);
        }
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        validate(value.get(i), schema.get("items"), path + "[" + i + "]", problems);
      }
    }
  }

  private static String typeOf(JsonNode v) {
    if (v.isNull()) {
      return "null";
    }
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    return "number";
  }
}
