package dev.mailsink.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void findsSubstringsWithoutRegardToCase() {
    assertThat(Text.containsIgnoreCase("Your Order 12", "order")).isTrue();
    assertThat(Text.containsIgnoreCase("Your Order 12", "ORDER 1")).isTrue();
    assertThat(Text.containsIgnoreCase("Your Order 12", "order 13")).isFalse();
  }

  @Test
  void handlesEdgesOfTheHaystack() {
    assertThat(Text.containsIgnoreCase("abc", "")).isTrue();
    assertThat(Text.containsIgnoreCase("", "a")).isFalse();
    assertThat(Text.containsIgnoreCase("abc", "abcd")).isFalse();
    assertThat(Text.containsIgnoreCase("abc", "C")).isTrue();
    assertThat(Text.containsIgnoreCase("abc", "A")).isTrue();
  }
}
