package dev.mailsink.examples.signup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps examples/README.md true: its quoted files and its line counts. */
class ReadmeTest {
  private static final Path EXAMPLES = Path.of("..");
  private static final Pattern INCLUDE =
      Pattern.compile("<!-- include: (\\S+) -->\n```java\n(.*?)```", Pattern.DOTALL);

  private static String readme() throws IOException {
    return Files.readString(EXAMPLES.resolve("README.md"));
  }

  static long linesOfCode(String file) throws IOException {
    return Files.readAllLines(EXAMPLES.resolve(file)).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .filter(line -> !line.startsWith("//") && !line.startsWith("/*") && !line.startsWith("*"))
        .count();
  }

  @Test
  void everyQuotedFileIsQuotedAsItIs() throws IOException {
    Matcher m = INCLUDE.matcher(readme());
    int quoted = 0;
    while (m.find()) {
      assertThat(m.group(2))
          .as(m.group(1))
          .isEqualTo(Files.readString(EXAMPLES.resolve(m.group(1))));
      quoted++;
    }
    assertThat(quoted).isEqualTo(4);
  }

  @Test
  void theLineCountsAreThoseOfTheFiles() throws IOException {
    String greenmail = "greenmail-comparison/src/test/java/dev/mailsink/examples/greenmail/";
    assertThat(readme())
        .contains(
            "| Mailsink (`SignupTest`) | "
                + linesOfCode(
                    "plain-junit/src/test/java/dev/mailsink/examples/signup/SignupTest.java")
                + " |")
        .contains(
            "| GreenMail, reading the text part (`SignupGreenMailTest`) | "
                + linesOfCode(greenmail + "SignupGreenMailTest.java")
                + " |")
        .contains(
            "| GreenMail, searching the raw body (`SignupGreenMailRawBodyTest`) | "
                + linesOfCode(greenmail + "SignupGreenMailRawBodyTest.java")
                + " |");
  }
}
