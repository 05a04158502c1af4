package dev.mailsink.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one table of the wildcard syntax shared by fault rules, the q language and allow lists. */
class GlobTest {

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "bob@example.com, bob@example.com, true",
    "bob@example.com, BOB@Example.COM, true",
    "bob@example.com, bob@example.com.evil, false",
    "bob@example.com, xbob@example.com, false",
    "*@example.com, alice@example.com, true",
    "*@example.com, alice@EXAMPLE.com, true",
    "*@example.com, alice@example.org, false",
    "*@example.com, @example.com, true",
    "a?c@x.test, abc@x.test, true",
    "a?c@x.test, ac@x.test, false",
    "127.0.0.*, 127.0.0.1, true",
    "127.0.0.*, 127.0.10.1, false",
    "1.2.3.4, 1x2.3.4, false",
    "*order*, Your Order 12, true",
    "'[a-z]+', '[a-z]+', true",
    "'[a-z]+', abc, false",
    "*, '', true"
  })
  void matchesWholeValuesIgnoringCase(String pattern, String value, boolean expected) {
    assertThat(Glob.of(pattern).matches(value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "<bob@example.com>, bob@example.com, true",
    "' <*@example.com> ', carol@example.com, true",
    "<, <, true"
  })
  void addressPatternsMayCarryAngleBrackets(String pattern, String value, boolean expected) {
    assertThat(Glob.ofAddress(pattern).matches(value)).isEqualTo(expected);
  }

  @Test
  void nullNeverMatches() {
    assertThat(Glob.of("*").matches(null)).isFalse();
  }
}
