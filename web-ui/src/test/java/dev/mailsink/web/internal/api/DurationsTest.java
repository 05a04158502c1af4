package dev.mailsink.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsIsoDurations() {
    assertThat(Durations.parse("timeout", "PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("timeout", "pt0.5s")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void readsNumbersWithAUnit() {
    assertThat(Durations.parse("timeout", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("timeout", "5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("timeout", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("timeout", "1H")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void rejectsNumbersWithoutAUnitNamingTheParameterAndTheForms() {
    assertThatThrownBy(() -> Durations.parse("timeout", "5"))
        .hasMessage(
            "timeout must be an ISO-8601 duration (PT5S) or a number with a unit (500ms, 5s, 2m,"
                + " 1h), was '5'");
    assertThatThrownBy(() -> Durations.parse("timeout", "P1X"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
