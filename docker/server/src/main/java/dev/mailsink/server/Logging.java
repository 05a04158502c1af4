package dev.mailsink.server;

import dev.mailsink.server.FlagValues.LogLevel;

/**
 * Sets up slf4j-simple before the first logger exists. Core logs through {@link System.Logger},
 * which slf4j's platform-logging bridge routes here; Undertow and XNIO log through JBoss Logging,
 * told to use slf4j. A {@code -D} system property given on the java command line wins.
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  static void configure(LogLevel level) {
    set(PREFIX + "defaultLogLevel", level.toString());
    set(PREFIX + "showDateTime", "true");
    set(PREFIX + "dateTimeFormat", "HH:mm:ss.SSS");
    set(PREFIX + "showThreadName", "false");
    set(PREFIX + "showShortLogName", "true");
    set(PREFIX + "levelInBrackets", "true");
    set("org.jboss.logging.provider", "slf4j");
    if (level.compareTo(LogLevel.DEBUG) < 0) {
      // The web stack announces its versions and threads at INFO; that is noise for users.
      set(PREFIX + "log.org.xnio", "warn");
      set(PREFIX + "log.io.undertow", "warn");
      set(PREFIX + "log.org.jboss", "warn");
      set(PREFIX + "log.org.subethamail", "warn");
    }
  }

  private static void set(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
