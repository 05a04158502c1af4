package dev.mailsink.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.mailsink.Mailsink;
import dev.mailsink.TlsMode;
import dev.mailsink.spring.internal.MailsinkContextCustomizerFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Runs small Spring test classes through the real JUnit engine (the nested classes are not run on
 * their own: Surefire skips nested classes) and checks which contexts and sinks they got.
 */
@Timeout(120)
class ContextCachingTest {

  record Seen(ApplicationContext context, Mailsink sink) {}

  static final Map<Class<?>, Seen> SEEN = new ConcurrentHashMap<>();

  abstract static class Recording {
    @Autowired ApplicationContext context;
    @Autowired Mailsink sink;

    @Test
    void records() {
      SEEN.put(getClass(), new Seen(context, sink));
    }
  }

  @SpringBootTest(classes = MailTestApplication.class)
  @AutoConfigureMailsink(auth = "cache:same")
  static class SameConfigA extends Recording {}

  @SpringBootTest(classes = MailTestApplication.class)
  @AutoConfigureMailsink(auth = "cache:same")
  static class SameConfigB extends Recording {}

  @SpringBootTest(classes = MailTestApplication.class)
  @AutoConfigureMailsink(auth = "cache:same", startTls = TlsMode.OPTIONAL)
  static class OtherConfig extends Recording {}

  @SpringBootTest(classes = MailTestApplication.class)
  @AutoConfigureMailsink(auth = "cache:dirty")
  @DirtiesContext
  static class Dirtied extends Recording {}

  @Test
  void classesWithTheSameSettingsShareTheCachedContextAndItsSink() {
    run(SameConfigA.class, SameConfigB.class);

    Seen a = SEEN.get(SameConfigA.class);
    Seen b = SEEN.get(SameConfigB.class);
    assertThat(b.context()).isSameAs(a.context());
    assertThat(b.sink()).isSameAs(a.sink());
    assertThat(a.sink().isRunning()).isTrue();
  }

  @Test
  void differentSettingsGiveADifferentContextWithItsOwnSink() {
    run(SameConfigA.class, OtherConfig.class);

    Seen a = SEEN.get(SameConfigA.class);
    Seen other = SEEN.get(OtherConfig.class);
    assertThat(other.context()).isNotSameAs(a.context());
    assertThat(other.sink()).isNotSameAs(a.sink());
    assertThat(other.sink().smtpPort()).isNotEqualTo(a.sink().smtpPort());
    assertThat(other.sink().config().startTls()).isEqualTo(TlsMode.OPTIONAL);
  }

  @Test
  void theSinkIsClosedWhenItsContextIsClosed() {
    run(Dirtied.class);

    Seen dirtied = SEEN.get(Dirtied.class);
    assertThat(dirtied.sink().isRunning()).isFalse();
  }

  @AutoConfigureMailsink(auth = "no-colon")
  static class BadCredentials {}

  @Test
  void malformedCredentialsFailWithTheTestClassAndTheFix() {
    assertThatThrownBy(
            () ->
                new MailsinkContextCustomizerFactory()
                    .createContextCustomizer(BadCredentials.class, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(BadCredentials.class.getName())
        .hasMessageContaining("\"user:password\"")
        .hasMessageNotContaining("no-colon");
  }

  private static void run(Class<?>... classes) {
    var builder = EngineTestKit.engine("junit-jupiter");
    for (Class<?> c : classes) {
      builder.selectors(selectClass(c));
    }
    builder.execute().testEvents().assertStatistics(s -> s.succeeded(classes.length).failed(0));
  }
}
