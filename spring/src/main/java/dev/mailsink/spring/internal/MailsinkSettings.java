package dev.mailsink.spring.internal;

import dev.mailsink.AuthConfig;
import dev.mailsink.Credentials;
import dev.mailsink.MailsinkConfig;
import dev.mailsink.TlsMode;
import dev.mailsink.spring.AutoConfigureMailsink;
import java.util.Objects;

/**
 * What an {@link AutoConfigureMailsink} asks for, as a value: equal settings mean the same cached
 * context and the same sink.
 *
 * @param startTls the STARTTLS mode
 * @param credentials the required AUTH credentials, or {@code null} for no AUTH
 * @param container whether the sink runs as a container
 * @param namespacePerTest whether each test method gets a namespace instead of an emptied mailbox
 */
record MailsinkSettings(
    TlsMode startTls, Credentials credentials, boolean container, boolean namespacePerTest) {

  MailsinkSettings {
    Objects.requireNonNull(startTls, "startTls");
  }

  static MailsinkSettings of(AutoConfigureMailsink annotation, Class<?> testClass) {
    Credentials credentials = null;
    if (!annotation.auth().isEmpty()) {
      try {
        credentials = Credentials.parse(annotation.auth());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "@AutoConfigureMailsink(auth = ...) on "
                + testClass.getName()
                + ": "
                + e.getMessage().replace(annotation.auth(), "***")
                + "; write it as \"user:password\"",
            e);
      }
    }
    return new MailsinkSettings(
        annotation.startTls(), credentials, annotation.container(), annotation.namespacePerTest());
  }

  MailsinkConfig config() {
    MailsinkConfig.Builder builder = MailsinkConfig.builder().smtpPort(0).startTls(startTls);
    return builder.auth(auth()).build();
  }

  AuthConfig auth() {
    return credentials == null ? AuthConfig.off() : AuthConfig.required(credentials);
  }

  @Override
  public String toString() {
    return "MailsinkSettings{startTls="
        + startTls
        + ", auth="
        + (credentials == null ? "off" : credentials)
        + (container ? ", container" : "")
        + (namespacePerTest ? ", a namespace per test" : "")
        + "}";
  }
}
