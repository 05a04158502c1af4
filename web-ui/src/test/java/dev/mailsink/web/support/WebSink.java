package dev.mailsink.web.support;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.web.MailsinkWebServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A sink, its web server and a client for the JSON API, shared by the tests of one class: started
 * before all of them, the mailbox emptied before each, both closed after all. Register it on a
 * static field: {@code @RegisterExtension static final WebSink web = new WebSink();}
 */
public final class WebSink implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private final MailsinkConfig config;
  private Mailsink sink;
  private MailsinkWebServer server;
  private HttpApi api;

  /** A sink with the default configuration. */
  public WebSink() {
    this(MailsinkConfig.defaults());
  }

  /** A sink started with {@code config}. */
  public WebSink(MailsinkConfig config) {
    this.config = config;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    sink = Mailsink.start(config);
    server = MailsinkWebServer.start(sink);
    api = new HttpApi(server.url());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    sink.mailbox().clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
    sink.close();
  }

  /** The running sink; valid from before all tests until after all. */
  public Mailsink sink() {
    return sink;
  }

  /** The web server on the sink. */
  public MailsinkWebServer server() {
    return server;
  }

  /** A client for the web server's JSON API. */
  public HttpApi api() {
    return api;
  }
}
