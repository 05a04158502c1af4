package dev.mailsink.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.mailsink.Mailsink;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

@Timeout(30)
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class PublishingSystemPropertiesTest {
  private static final List<String> KEYS =
      List.of("mail.smtp.host", "mail.smtp.port", "spring.mail.host", "spring.mail.port");
  private static final List<String> TLS_KEYS =
      List.of(
          "javax.net.ssl.trustStore",
          "javax.net.ssl.trustStorePassword",
          "javax.net.ssl.trustStoreType",
          "mail.smtp.ssl.trust",
          "spring.mail.properties.mail.smtp.ssl.trust");

  static final List<String> observed = new CopyOnWriteArrayList<>();

  @AfterEach
  void clearProperties() {
    KEYS.forEach(System::clearProperty);
    TLS_KEYS.forEach(System::clearProperty);
    System.clearProperty("mailsink.publishedBy");
  }

  static EngineExecutionResults run(Class<?> fixture) {
    observed.clear();
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
  }

  static void observe(Mailsink sink) {
    observed.add(sink.smtpHost() + ":" + sink.smtpPort());
    for (String key : KEYS) {
      observed.add(key + "=" + System.getProperty(key));
    }
  }

  static class PublishingClass {
    @RegisterExtension
    static MailsinkExtension mail =
        MailsinkExtension.with(MailsinkConfig.defaults()).publishingSystemProperties();

    @BeforeAll
    static void beforeAll(Mailsink sink) {
      observe(sink);
    }

    @Test
    void test(Mailsink sink) {
      observe(sink);
    }
  }

  @Test
  void theServerIsPublishedAsSystemPropertiesBeforeBeforeAllMethodsRun() {
    run(PublishingClass.class).testEvents().assertStatistics(s -> s.succeeded(1));

    String[] hostPort = observed.get(0).split(":");
    assertThat(observed.subList(0, 5))
        .containsExactly(
            observed.get(0),
            "mail.smtp.host=" + hostPort[0],
            "mail.smtp.port=" + hostPort[1],
            "spring.mail.host=" + hostPort[0],
            "spring.mail.port=" + hostPort[1]);
    assertThat(observed.subList(5, 10)).isEqualTo(observed.subList(0, 5));
  }

  @Test
  void previousValuesArePutBackAfterTheClass() {
    System.setProperty("mail.smtp.host", "mail.example.com");
    System.setProperty("spring.mail.port", "2525");

    run(PublishingClass.class).testEvents().assertStatistics(s -> s.succeeded(1));

    assertThat(System.getProperty("mail.smtp.host")).isEqualTo("mail.example.com");
    assertThat(System.getProperty("spring.mail.port")).isEqualTo("2525");
    assertThat(System.getProperty("mail.smtp.port")).isNull();
    assertThat(System.getProperty("spring.mail.host")).isNull();
  }

  static class PublishingPerTest {
    @RegisterExtension
    MailsinkExtension mail =
        MailsinkExtension.with(MailsinkConfig.defaults()).publishingSystemProperties();

    @Test
    void first(Mailsink sink) {
      observe(sink);
    }

    @Test
    void second(Mailsink sink) {
      observe(sink);
    }
  }

  @Test
  void aServerPerTestPublishesItsOwnPortForEachTest() {
    run(PublishingPerTest.class).testEvents().assertStatistics(s -> s.succeeded(2));

    assertThat(observed).hasSize(10);
    assertThat(observed.get(2)).isEqualTo("mail.smtp.port=" + observed.get(0).split(":")[1]);
    assertThat(observed.get(7)).isEqualTo("mail.smtp.port=" + observed.get(5).split(":")[1]);
    assertThat(System.getProperty("mail.smtp.port")).isNull();
  }

  static class PublishingTls {
    @RegisterExtension
    static MailsinkExtension mail =
        MailsinkExtension.with(MailsinkConfig.builder().startTls(TlsMode.OPTIONAL).build())
            .publishingSystemProperties();

    @Test
    void test() {
      observed.add(System.getProperty("javax.net.ssl.trustStore"));
      observed.add(String.valueOf(System.getProperty("mail.smtp.starttls.enable")));
    }
  }

  @Test
  void theTrustStoreOfATlsServerIsPublishedAndRemovedAfterwards() {
    run(PublishingTls.class).testEvents().assertStatistics(s -> s.succeeded(1));

    assertThat(observed.get(0)).endsWith(".p12");
    assertThat(Path.of(observed.get(0))).doesNotExist();
    assertThat(observed.get(1)).as("STARTTLS is optional: the client decides").isEqualTo("null");
    assertThat(System.getProperty("javax.net.ssl.trustStore")).isNull();
    assertThat(System.getProperty("mail.smtp.ssl.trust")).isNull();
  }

  @Test
  void aSecondPublisherFailsInsteadOfOverwritingTheFirstOnesPort() {
    System.setProperty("mailsink.publishedBy", "class OtherTest");
    System.setProperty("mail.smtp.port", "40404");

    EngineExecutionResults results = run(PublishingClass.class);

    assertThat(MailsinkExtensionTest.failureMessages(results))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("class OtherTest publishes them right now")
                    .contains("@ResourceLock(Resources.SYSTEM_PROPERTIES)"));
    assertThat(System.getProperty("mail.smtp.port")).isEqualTo("40404");
    assertThat(System.getProperty("mailsink.publishedBy")).isEqualTo("class OtherTest");
  }
}
