package dev.mailsink.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The value parsers behind the flags. */
class FlagValuesTest {

  @ParameterizedTest
  @CsvSource({
    "1048576, 1048576",
    "512k, 524288",
    "512KiB, 524288",
    "25MB, 26214400",
    "25m, 26214400",
    "1GB, 1073741824",
    "100b, 100",
    "1_000, 1000"
  })
  void sizesTakeBytesOrBinaryUnits(String text, long bytes) {
    assertThat(FlagValues.parseByteSize(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "12x", "MB", "1.5MB", "99999999999999999999"})
  void aWrongSizeSaysWhichFormsWork(String text) {
    assertThatThrownBy(() -> FlagValues.parseByteSize(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("use bytes or a number with a unit: 512k, 25MB, 1GB");
  }

  @ParameterizedTest
  @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "PT2S, PT2S"})
  void durationsTakeAUnitOrIso8601(String text, Duration expected) {
    assertThat(new FlagValues.PositiveDuration().convert(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "-5s", "soon", "5", "PT-1S"})
  void aWrongDurationSaysWhichFormsWork(String text) {
    assertThatThrownBy(() -> new FlagValues.PositiveDuration().convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("use e.g. 500ms, 30s, 5m, 1h or PT30S");
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "OFF", ""})
  void anOptionalPortCanBeOff(String text) {
    assertThat(new FlagValues.OptionalPort().convert(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad host", "-x", "a..b b"})
  void aHostNameWithSpacesOrLeadingDashIsRefused(String text) {
    assertThatThrownBy(() -> new FlagValues.HostName().convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("is not a host name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nocolon", ":pw", "user:"})
  void credentialsNeedUserColonPassword(String text) {
    assertThatThrownBy(() -> FlagValues.parseCredentials(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("is not user:password");
  }

  @ParameterizedTest
  @CsvSource({"a:b, a:***", "'a:b,c:d', 'a:***,c:***'", "nocolon, nocolon"})
  void maskHidesEveryPassword(String text, String masked) {
    assertThat(FlagValues.mask(text)).isEqualTo(masked);
  }
}
