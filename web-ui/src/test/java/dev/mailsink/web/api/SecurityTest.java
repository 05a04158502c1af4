package dev.mailsink.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsink.Mailsink;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.WebConfig;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SecurityTest {
  private Mailsink sink;
  private MailsinkWebServer web;

  @BeforeEach
  void startSink() {
    sink = Mailsink.start();
  }

  @AfterEach
  void stop() {
    if (web != null) {
      web.close();
    }
    sink.close();
  }

  private HttpApi start(WebConfig config) {
    web = MailsinkWebServer.start(sink, config);
    return new HttpApi(web.url());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void bindsToLoopbackByDefault() {
    start(WebConfig.defaults());

    assertThat(web.url()).startsWith("http://127.0.0.1:");
    assertThat(web.config().bindAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void basicAuthGuardsTheApiAndTheUi() {
    HttpApi api = start(WebConfig.builder().basicAuth("dev", "s3cret").build());

    Response apiWithout = api.get("/api/v1/messages");
    Response uiWithout = api.get("/");

    assertThat(apiWithout.status()).isEqualTo(401);
    assertThat(apiWithout.header("WWW-Authenticate"))
        .isEqualTo("Basic realm=\"Mailsink\", charset=\"UTF-8\"");
    assertThat(apiWithout.json().get("error").asText()).isEqualTo("unauthorized");
    assertThat(uiWithout.status()).isEqualTo(401);
  }

  @Test
  void basicAuthAdmitsTheRightCredentialsOnly() {
    HttpApi api = start(WebConfig.builder().basicAuth("dev", "s3cret").build());

    assertThat(api.get("/api/v1/messages", "Authorization", basic("dev", "s3cret")).status())
        .isEqualTo(200);
    assertThat(api.get("/", "Authorization", basic("dev", "s3cret")).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/messages", "Authorization", basic("dev", "wrong")).status())
        .isEqualTo(401);
    assertThat(api.get("/api/v1/messages", "Authorization", "Basic %%%").status()).isEqualTo(401);
  }

  @Test
  void probesStayOpenUnderBasicAuth() {
    HttpApi api = start(WebConfig.builder().basicAuth("dev", "s3cret").build());

    assertThat(api.get("/livez").status()).isEqualTo(200);
    assertThat(api.get("/readyz").status()).isEqualTo(200);
  }

  @Test
  void corsIsOffByDefault() {
    HttpApi api = start(WebConfig.defaults());

    Response get = api.get("/api/v1/messages", "Origin", "http://app.test:3000");
    Response preflight =
        api.send(
            "OPTIONS",
            "/api/v1/messages",
            "Origin",
            "http://app.test:3000",
            "Access-Control-Request-Method",
            "DELETE");

    assertThat(get.header("Access-Control-Allow-Origin")).isNull();
    assertThat(preflight.status()).isEqualTo(403);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void configuredCorsOriginsMayCallTheApi() {
    HttpApi api = start(WebConfig.builder().corsOrigins("http://app.test:3000").build());

    Response get = api.get("/api/v1/messages", "Origin", "http://app.test:3000");
    Response preflight =
        api.send(
            "OPTIONS",
            "/api/v1/messages",
            "Origin",
            "http://app.test:3000",
            "Access-Control-Request-Method",
            "DELETE");
    Response other = api.get("/api/v1/messages", "Origin", "http://evil.test");

    assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo("http://app.test:3000");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("DELETE");
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void crossOriginWritesAreRefused() {
    HttpApi api = start(WebConfig.defaults());
    TestMail.message().to("a@example.com").text("x").sendTo(sink.smtpHost(), sink.smtpPort());

    Response r = api.delete("/api/v1/messages", "Origin", "http://evil.test");

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().get("error").asText()).isEqualTo("forbidden");
    assertThat(sink.mailbox().count()).isEqualTo(1);
  }

  @Test
  void sameOriginWritesAreAllowed() {
    HttpApi api = start(WebConfig.defaults());
    TestMail.message().to("a@example.com").text("x").sendTo(sink.smtpHost(), sink.smtpPort());

    Response r =
        api.delete("/api/v1/messages", "Origin", web.url().substring(0, web.url().length() - 1));

    assertThat(r.status()).isEqualTo(200);
    assertThat(sink.mailbox().count()).isZero();
  }

  @Test
  void aForeignHostNameIsRefusedWhileBoundToLoopback() throws IOException {
    start(WebConfig.defaults());

    String foreign = rawGet(web.port(), "rebind.evil.test");
    String local = rawGet(web.port(), "localhost:" + web.port());

    assertThat(foreign).startsWith("HTTP/1.1 403");
    assertThat(local).startsWith("HTTP/1.1 200");
  }

  private static String rawGet(int port, String host) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /api/v1/info HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  @Test
  void mailContentIsServedSandboxed() {
    HttpApi api = start(WebConfig.defaults());
    TestMail.message()
        .to("a@example.com")
        .html("<script>alert(1)</script>")
        .attach(
            "page.html", "text/html", "<script>alert(2)</script>".getBytes(StandardCharsets.UTF_8))
        .sendTo(sink.smtpHost(), sink.smtpPort());

    Response html = api.get("/api/v1/messages/latest/html");
    Response attachment = api.get("/api/v1/messages/latest/attachments/0");

    assertThat(html.header("Content-Security-Policy"))
        .startsWith("sandbox;")
        .contains("default-src 'none'");
    assertThat(html.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(attachment.header("Content-Security-Policy")).startsWith("sandbox;");
    assertThat(attachment.header("Content-Disposition")).startsWith("attachment;");
  }

  @Test
  void thePreviewForbidsScriptsAndRemoteImagesUntilAllowed() {
    HttpApi api = start(WebConfig.defaults());
    TestMail.message()
        .to("a@example.com")
        .html("<img src=\"https://tracker.test/p.gif\">")
        .sendTo(sink.smtpHost(), sink.smtpPort());
    long id = sink.mailbox().latest().orElseThrow().id();

    String blocked = api.get("/ui/preview/" + id).header("Content-Security-Policy");
    String allowed =
        api.get("/ui/preview/" + id + "?remoteImages=allow").header("Content-Security-Policy");

    assertThat(blocked)
        .contains("sandbox allow-popups allow-popups-to-escape-sandbox;")
        .contains("default-src 'none'")
        .endsWith("img-src 'self' data:")
        .doesNotContain("script-src");
    assertThat(allowed).endsWith("img-src 'self' data: http: https:");
  }

  @Test
  void theUiPageHasAStrictContentSecurityPolicy() {
    HttpApi api = start(WebConfig.defaults());

    Response page = api.get("/");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Security-Policy"))
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
  }
}
