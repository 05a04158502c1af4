package dev.mailsink.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsink.AuthConfig;
import dev.mailsink.Credentials;
import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsMode;
import dev.mailsink.testing.TestMail;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.support.HttpApi;
import dev.mailsink.web.support.HttpApi.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InfoApiTest {

  @Test
  void infoShowsVersionPortsLimitsAndCounts() {
    MailsinkConfig config =
        MailsinkConfig.builder()
            .maxMessageBytes(1_000_000)
            .retainedMessages(2)
            .retainedBytes(5_000_000)
            .maxRecipients(7)
            .build();
    try (Mailsink sink = Mailsink.start(config);
        MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      for (int i = 0; i < 3; i++) {
        TestMail.message()
            .to("a@example.com")
            .subject("m" + i)
            .text("x")
            .sendTo(sink.smtpHost(), sink.smtpPort());
      }

      JsonNode info = new HttpApi(web.url()).get("/api/v1/info").json();

      assertThat(info.get("version").asText()).isNotBlank().isNotEqualTo("unknown");
      assertThat(info.get("smtp").get("host").asText()).isEqualTo(sink.smtpHost());
      assertThat(info.get("smtp").get("port").asInt()).isEqualTo(sink.smtpPort());
      assertThat(info.get("smtp").get("running").asBoolean()).isTrue();
      assertThat(info.get("smtp").get("tls").asBoolean()).isFalse();
      assertThat(info.get("smtp").get("startTls").asText()).isEqualTo("off");
      assertThat(info.get("smtp").get("auth").asText()).isEqualTo("off");
      assertThat(info.get("smtp").get("smtpsPort").isNull()).isTrue();
      assertThat(info.get("http").get("port").asInt()).isEqualTo(web.port());
      assertThat(info.get("http").get("url").asText()).isEqualTo(web.url());
      assertThat(info.get("http").get("basicAuth").asBoolean()).isFalse();
      JsonNode limits = info.get("limits");
      assertThat(limits.get("maxMessageBytes").asLong()).isEqualTo(1_000_000);
      assertThat(limits.get("retainedMessages").asInt()).isEqualTo(2);
      assertThat(limits.get("retainedBytes").asLong()).isEqualTo(5_000_000);
      assertThat(limits.get("maxRecipients").asInt()).isEqualTo(7);
      assertThat(limits.get("idleTimeout").asText()).isEqualTo("PT1M");
      assertThat(info.get("counts").get("messages").asInt()).isEqualTo(2);
      assertThat(info.get("counts").get("evicted").asLong()).isEqualTo(1);
      assertThat(info.get("readers").get("pop3Port").isNull()).isTrue();
      assertThat(info.get("readers").get("imapPort").isNull()).isTrue();
      assertThat(info.get("readers").get("anyPassword").asBoolean()).isTrue();
    }
  }

  @Test
  void infoReportsTheReaderPortsActuallyBound() {
    MailsinkConfig config =
        MailsinkConfig.builder()
            .pop3Port(0)
            .pop3sPort(0)
            .imapPort(0)
            .readerAuth(dev.mailsink.ReaderAuth.anyPassword().withCatchAll("all").tlsOnly())
            .build();
    try (Mailsink sink = Mailsink.start(config);
        MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      JsonNode readers = new HttpApi(web.url()).get("/api/v1/info").json().get("readers");

      assertThat(readers.get("pop3Port").asInt()).isEqualTo(sink.pop3Port()).isPositive();
      assertThat(readers.get("pop3sPort").asInt()).isEqualTo(sink.pop3sPort()).isPositive();
      assertThat(readers.get("imapPort").asInt()).isEqualTo(sink.imapPort()).isPositive();
      assertThat(readers.get("imapsPort").isNull()).isTrue();
      assertThat(readers.get("catchAll").asBoolean()).isTrue();
      assertThat(readers.get("tlsOnly").asBoolean()).isTrue();
    }
  }

  @Test
  void livezAndReadyzAnswerWhileTheSinkRuns() {
    try (Mailsink sink = Mailsink.start();
        MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      HttpApi api = new HttpApi(web.url());

      assertThat(api.get("/livez").json().get("status").asText()).isEqualTo("ok");
      assertThat(api.get("/readyz").json().get("status").asText()).isEqualTo("ready");
    }
  }

  @Test
  void readyzIs503OnceTheSinkIsClosedAndInfoSaysSo() {
    Mailsink sink = Mailsink.start();
    try (MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      HttpApi api = new HttpApi(web.url());
      sink.close();

      Response ready = api.get("/readyz");
      JsonNode info = api.get("/api/v1/info").json();

      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().get("error").asText()).isEqualTo("unavailable");
      assertThat(api.get("/livez").status()).isEqualTo(200);
      assertThat(info.get("smtp").get("running").asBoolean()).isFalse();
      assertThat(info.get("smtp").get("port").isNull()).isTrue();
    }
  }

  @Test
  void infoShowsTlsAndAuthModes() {
    MailsinkConfig config =
        MailsinkConfig.builder()
            .startTls(TlsMode.OPTIONAL)
            .smtpsPort(0)
            .auth(AuthConfig.required(Credentials.of("app", "s3cret")))
            .build();
    try (Mailsink sink = Mailsink.start(config);
        MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      JsonNode smtp = new HttpApi(web.url()).get("/api/v1/info").json().get("smtp");

      assertThat(smtp.get("tls").asBoolean()).isTrue();
      assertThat(smtp.get("startTls").asText()).isEqualTo("optional");
      assertThat(smtp.get("smtpsPort").asInt()).isEqualTo(sink.smtpsPort());
      assertThat(smtp.get("auth").asText()).isEqualTo("required");
    }
  }

  @Test
  void tlsCertificateIsServedAsPemWhenTlsIsOn() {
    try (Mailsink sink =
            Mailsink.start(MailsinkConfig.builder().startTls(TlsMode.OPTIONAL).build());
        MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      Response r = new HttpApi(web.url()).get("/api/v1/tls/certificate");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type")).isEqualTo("application/x-pem-file");
      assertThat(r.text())
          .startsWith("-----BEGIN CERTIFICATE-----")
          .isEqualTo(sink.tls().certificatePem());
    }
  }

  @Test
  void tlsCertificateIs404WhileTlsIsOff() {
    try (Mailsink sink = Mailsink.start();
        MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      Response r = new HttpApi(web.url()).get("/api/v1/tls/certificate");

      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().get("message").asText()).contains("TLS is off");
    }
  }

  @Test
  void openapiDescriptionIsServedAsJson() {
    try (Mailsink sink = Mailsink.start();
        MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      Response r = new HttpApi(web.url()).get("/api/v1/openapi.json");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(r.json().get("openapi").asText()).isEqualTo("3.1.0");
    }
  }
}
