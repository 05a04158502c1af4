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
 */
record MailsinkSettings(TlsMode startTls, Credentials credentials) {

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
    return new MailsinkSettings(annotation.startTls(), credentials);
  }

  MailsinkConfig config() {
    MailsinkConfig.Builder builder = MailsinkConfig.builder().smtpPort(0).startTls(startTls);
    if (credentials != null) {
      builder.auth(AuthConfig.required(credentials));
    }
    return builder.build();
  }

  @Override
  public String toString() {
    return "MailsinkSettings{startTls="
        + startTls
        + ", auth="
        + (credentials == null ? "off" : credentials)
        + "}";
  }
}
