package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AliasTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "orders", "orders-eu_1", "my.cluster", "...", "A9", "-"})
  void acceptsLettersDigitsDashUnderscoreAndDot(String value) {
    assertThat(Alias.of(value).value()).isEqualTo(value);
  }

  @Test
  void acceptsExactly128Characters() {
    String max = "a".repeat(128);
    assertThat(Alias.of(max).value()).hasSize(128);
  }

  @Test
  void refuses129Characters() {
    assertThatThrownBy(() -> Alias.of("a".repeat(129))).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "/a", "a b", " a", "a\tb", "a\nb", "bücher", "集群", "a:b", "a*"})
  void refusesInvalidAliases(String value) {
    assertThatThrownBy(() -> Alias.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid cluster alias");
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> new Alias(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void messageHidesControlCharactersAndCutsLongValues() {
    assertThatThrownBy(() -> Alias.of("a\nb")).hasMessageContaining("a?b");
    assertThatThrownBy(() -> Alias.of("x".repeat(1000))).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void ordersByValueAndPrintsItsValue() {
    assertThat(Alias.of("a").compareTo(Alias.of("b"))).isNegative();
    assertThat(Alias.of("b").compareTo(Alias.of("a"))).isPositive();
    assertThat(Alias.of("a")).isEqualTo(Alias.of("a")).hasToString("a");
  }
}
