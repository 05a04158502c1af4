package dev.mailsink.junit.internal;

import dev.mailsink.Mailsink;
import dev.mailsink.TlsMode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The server's address published as system properties while it runs, and the values they had
 * before, to put back on {@link #close()}.
 */
public final class SystemPropertiesPublication implements AutoCloseable {

  /**
   * Set while a sink publishes its properties; a second publisher fails fast instead of silently
   * overwriting the first one's port (system properties are global to the JVM).
   */
  static final String OWNER_PROPERTY = "mailsink.publishedBy";

  private static final String TRUST_STORE_PASSWORD = "mailsink";

  private final Map<String, String> previous = new LinkedHashMap<>();
  private Path trustStoreFile;
  private boolean closed;

  private SystemPropertiesPublication() {}

  /**
   * Publishes {@code mail.smtp.host}, {@code mail.smtp.port}, {@code spring.mail.host} and {@code
   * spring.mail.port} for {@code sink}. When the sink uses TLS, also its certificate: as the JVM's
   * trust store ({@code javax.net.ssl.trustStore}, a temporary PKCS#12 file) and as {@code
   * mail.smtp.ssl.trust} for its host; and when it requires STARTTLS, {@code
   * mail.smtp.starttls.enable} and {@code .required}. The {@code mail.smtp.*} settings beyond host
   * and port are also published as {@code spring.mail.properties.mail.smtp.*}.
   *
   * @param owner names the test that publishes, for the message if another one already does
   * @throws IllegalStateException if another sink's properties are published right now
   */
  public static SystemPropertiesPublication publish(Mailsink sink, String owner) {
    Properties system = System.getProperties();
    Object other = system.putIfAbsent(OWNER_PROPERTY, owner);
    if (other != null) {
      throw new IllegalStateException(
          owner
              + " cannot publish Mailsink's system properties: "
              + other
              + " publishes them right now, and system properties are global to the JVM. Run"
              + " the test classes that publish them one at a time: annotate them with"
              + " @ResourceLock(Resources.SYSTEM_PROPERTIES).");
    }
    SystemPropertiesPublication publication = new SystemPropertiesPublication();
    try {
      publication.publishAddress(sink);
      if (sink.config().isTlsEnabled()) {
        publication.publishTrust(sink);
      }
    } catch (RuntimeException e) {
      publication.close();
      throw e;
    }
    return publication;
  }

  private void publishAddress(Mailsink sink) {
    String host = sink.smtpHost();
    String port = String.valueOf(sink.smtpPort());
    set("mail.smtp.host", host);
    set("mail.smtp.port", port);
    set("spring.mail.host", host);
    set("spring.mail.port", port);
  }

  private void publishTrust(Mailsink sink) {
    // The JVM reads javax.net.ssl.trustStore once, when the default SSLContext is first built;
    // mail.smtp.ssl.trust makes Jakarta Mail trust the sink's host whenever the session is made.
    trustStoreFile = writeTrustStore(sink);
    set("javax.net.ssl.trustStore", trustStoreFile.toString());
    set("javax.net.ssl.trustStorePassword", TRUST_STORE_PASSWORD);
    set("javax.net.ssl.trustStoreType", "PKCS12");
    setMailProperty("mail.smtp.ssl.trust", sink.smtpHost());
    if (sink.config().startTls() == TlsMode.REQUIRED) {
      setMailProperty("mail.smtp.starttls.enable", "true");
      setMailProperty("mail.smtp.starttls.required", "true");
    }
  }

  private void setMailProperty(String key, String value) {
    set(key, value);
    set("spring.mail.properties." + key, value);
  }

  private static Path writeTrustStore(Mailsink sink) {
    try {
      Path file = Files.createTempFile("mailsink-truststore-", ".p12");
      try (OutputStream out = Files.newOutputStream(file)) {
        sink.tls().trustStore().store(out, TRUST_STORE_PASSWORD.toCharArray());
      }
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sink's trust store", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write the sink's trust store", e);
    }
  }

  private void set(String key, String value) {
    previous.putIfAbsent(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  /** Puts back the values the properties had before publication (or removes them). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Map.Entry<String, String> e : previous.entrySet()) {
      if (e.getValue() == null) {
        System.clearProperty(e.getKey());
      } else {
        System.setProperty(e.getKey(), e.getValue());
      }
    }
    System.clearProperty(OWNER_PROPERTY);
    if (trustStoreFile != null) {
      try {
        Files.deleteIfExists(trustStoreFile);
      } catch (IOException e) {
        // deleteOnExit removes it later
      }
    }
  }
}
