package dev.mailsink.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of this build, from a resource that Maven fills in. */
final class BuildInfo implements IVersionProvider {
  private static final String VERSION = load();

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    return VERSION;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "Mailsink " + VERSION,
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }
}
