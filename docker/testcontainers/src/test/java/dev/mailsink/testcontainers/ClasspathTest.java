package dev.mailsink.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What this artifact brings onto a user's test classpath: the message model and parser, the HTTP
 * client and Testcontainers, but neither the SMTP server (SubEthaSMTP), nor the web server
 * (Undertow), nor Bouncy Castle.
 */
class ClasspathTest {

  private static List<String> runtimeJars() throws IOException {
    Path file = Path.of(System.getProperty("mailsink.runtime.classpath"));
    String classpath = Files.readString(file).strip();
    return Arrays.stream(classpath.split(File.pathSeparator))
        .map(p -> Path.of(p).getFileName().toString())
        .toList();
  }

  @Test
  void theRuntimeClasspathHasNeitherUndertowNorSubethaSmtpNorBouncyCastle() throws IOException {
    assertThat(runtimeJars())
        .isNotEmpty()
        .noneMatch(j -> j.startsWith("undertow"))
        .noneMatch(j -> j.startsWith("xnio"))
        .noneMatch(j -> j.startsWith("subethasmtp"))
        .noneMatch(j -> j.startsWith("bcp") || j.startsWith("bcutil"));
  }

  @Test
  void theRuntimeClasspathHasTheParserAndTheHttpClientLibraries() throws IOException {
    assertThat(runtimeJars())
        .anyMatch(j -> j.startsWith("mailsink-core"))
        .anyMatch(j -> j.startsWith("angus-mail"))
        .anyMatch(j -> j.startsWith("jackson-databind"))
        .anyMatch(j -> j.startsWith("testcontainers"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "io.undertow.Undertow",
        "org.subethamail.smtp.server.SMTPServer",
        "org.bouncycastle.jce.provider.BouncyCastleProvider"
      })
  void theServerLibrariesCannotBeLoadedEvenInTheseTests(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }
}
