package dev.mailsink.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one table of the duration syntax every front end shares. */
class DurationSyntaxTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "PT5S, PT5S",
    "pt0.5s, PT0.5S",
    "PT1M30S, PT1M30S",
    "P1D, PT24H",
    "500ms, PT0.5S",
    "5s, PT5S",
    "2m, PT2M",
    "1H, PT1H",
    "'2 m', PT2M",
    "'  5s ', PT5S",
    "0s, PT0S",
    "PT0S, PT0S"
  })
  void readsIsoDurationsAndNumbersWithAUnit(String text, String expected) {
    assertThat(DurationSyntax.parse("timeout", text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"5", "", "5 sec", "1d", "-5s", "-PT5S", "P1X", "ms", "5.5s", "s5"})
  void refusesAnythingElseNamingTheValueAndTheForms(String text) {
    assertThatThrownBy(() -> DurationSyntax.parse("timeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "timeout must be an ISO-8601 duration (PT5S) or a number with a unit (500ms, 5s, 2m,"
                + " 1h), was '"
                + text
                + "'");
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"0s", "PT0S", "0ms"})
  void positiveRefusesZero(String text) {
    assertThatThrownBy(() -> DurationSyntax.parsePositive("idleTimeout", text))
        .hasMessageStartingWith("idleTimeout must be longer than zero");
  }
}
