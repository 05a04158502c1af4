package dev.mailsink.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkException;
import dev.mailsink.web.MailsinkWebServer;
import dev.mailsink.web.WebConfig;
import dev.mailsink.web.support.HttpApi;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MailsinkWebServerTest {
  private Mailsink sink;

  @BeforeEach
  void startSink() {
    sink = Mailsink.start();
  }

  @AfterEach
  void stopSink() {
    sink.close();
  }

  @Test
  void startsOnAFreePortAndServesTheUi() {
    try (MailsinkWebServer web = MailsinkWebServer.start(sink)) {
      assertThat(web.port()).isPositive();
      assertThat(web.url()).isEqualTo("http://127.0.0.1:" + web.port() + "/");
      HttpApi.Response page = new HttpApi(web.url()).get("/");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.text()).contains("<title>Mailsink</title>");
    }
  }

  @Test
  void closeReleasesThePortAndIsIdempotent() {
    MailsinkWebServer web = MailsinkWebServer.start(sink);
    int port = web.port();

    web.close();
    web.close();

    assertThat(web.isRunning()).isFalse();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void closeLeavesTheSinkRunning() {
    MailsinkWebServer.start(sink).close();

    assertThat(sink.isRunning()).isTrue();
  }

  @Test
  void usingAClosedServerFailsFast() {
    MailsinkWebServer web = MailsinkWebServer.start(sink);
    web.close();

    assertThatThrownBy(web::port)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("port() called on a closed MailsinkWebServer; start a new one");
    assertThatThrownBy(web::url).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void startingOnAClosedSinkFails() {
    sink.close();

    assertThatThrownBy(() -> MailsinkWebServer.start(sink))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed Mailsink");
  }

  @Test
  void aBusyPortFailsNamingThePortAndTheFix() throws IOException {
    try (MailsinkWebServer first = MailsinkWebServer.start(sink)) {
      WebConfig same = WebConfig.builder().httpPort(first.port()).build();

      assertThatThrownBy(() -> MailsinkWebServer.start(sink, same))
          .isInstanceOf(MailsinkException.class)
          .hasMessage(
              "Port " + first.port() + " on 127.0.0.1 is in use; use httpPort(0) for a free port");
    }
  }

  @Test
  void twoServersCanShowOneSink() {
    try (MailsinkWebServer a = MailsinkWebServer.start(sink);
        MailsinkWebServer b = MailsinkWebServer.start(sink)) {
      assertThat(a.port()).isNotEqualTo(b.port());
      assertThat(new HttpApi(b.url()).get("/livez").status()).isEqualTo(200);
    }
  }

  @Test
  void toStringShowsTheState() {
    MailsinkWebServer web = MailsinkWebServer.start(sink);
    String url = web.url();

    assertThat(web).hasToString("MailsinkWebServer{" + url + ", running}");
    web.close();
    assertThat(web).hasToString("MailsinkWebServer{closed}");
  }

  @Test
  void configRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> WebConfig.builder().httpPort(70_000).build())
        .hasMessage("httpPort must be between 0 and 65535 (0 = a free port), was 70000");
    assertThatThrownBy(() -> WebConfig.builder().corsOrigins("http://x.test/path").build())
        .hasMessageContaining("was [http://x.test/path]");
    assertThatThrownBy(() -> WebConfig.builder().basicAuth("a:b", "pw").build())
        .hasMessageContaining("without ':'");
    assertThatThrownBy(() -> WebConfig.builder().bindAddress("no.such.host.invalid").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configToStringHidesThePassword() {
    WebConfig config = WebConfig.builder().basicAuth("dev", "s3cret").build();

    assertThat(config.toString()).contains("dev:***").doesNotContain("s3cret");
  }
}
