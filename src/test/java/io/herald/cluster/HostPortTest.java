package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

  @Test
  void parsesHostAndPort() {
    assertThat(HostPort.parse("db1.example.com:3306")).isEqualTo(new HostPort("db1.example.com", 3306));
    assertThat(HostPort.parse("10.0.0.1:3307")).isEqualTo(new HostPort("10.0.0.1", 3307));
  }

  @Test
  void parsesBracketedIpv6AndStoresItWithoutBrackets() {
    HostPort hp = HostPort.parse("[2001:db8::1]:3306");
    assertThat(hp.host()).isEqualTo("2001:db8::1");
    assertThat(hp.port()).isEqualTo(3306);
  }

  @Test
  void parsesBareIpv6SplittingAtTheLastColon() {
    assertThat(HostPort.parse("2001:db8::1:3306")).isEqualTo(new HostPort("2001:db8::1", 3306));
  }

  @Test
  void acceptsPortBounds() {
    assertThat(HostPort.parse("h:1").port()).isEqualTo(1);
    assertThat(HostPort.parse("h:65535").port()).isEqualTo(65535);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h:0", "h:65536", "h:99999", "h:abc", "h:-1", "h:3306x", "h:+1", "h:003306x", "h:123456",
      "h:03306", "h:3306 ", "h: 3306", "h:00"})
  void refusesBadPorts(String text) {
    assertThatThrownBy(() -> HostPort.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid port");
  }

  @ParameterizedTest
  @ValueSource(strings = {"db1", "db1:", ":3306", "", "   ", " db1:3306"})
  void refusesMissingHostOrPort(String text) {
    assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> HostPort.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad host", "a/b", "h@x"})
  void refusesInvalidHosts(String host) {
    assertThatThrownBy(() -> new HostPort(host, 3306))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid host");
  }

  @Test
  void constructorChecksPortRange() {
    assertThatThrownBy(() -> new HostPort("h", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HostPort("h", 65536)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void printsAsHostColonPort() {
    assertThat(new HostPort("db1", 3306)).hasToString("db1:3306");
  }

  @ParameterizedTest
  @ValueSource(strings = {"db..x", "-db1", "db1-", "db1.-x", ".db1", "db1.", "a%b", "1:2", "fe80::1%", "g::1",
      "256.256.256.256", "1::2::3", "::", "0.0.0.0", "0177.0.0.1", "1.2.3", "0x7f.0.0.1", "10.0.0.01", "fe80::1%eth0",
      "a-label-of-exactly-sixty-four-characters-is-one-too-many-for-000.example.com"})
  void operatorInputWantsAWellFormedName(String host) {
    assertThatThrownBy(() -> HostPort.checked(host, 3306)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"db1", "db-1.dc1.example.com", "db_1", "10.0.0.1", "2001:db8::1", "::1",
      "::ffff:10.0.0.1", "255.255.255.255", "1.2.3.4a", "db1.10", "0db.example.com", "a-label-of-exactly-sixty-three-characters-is-fine-for-dns-00000.example.com"})
  void wellFormedNamesAndLiteralsAreAccepted(String host) {
    assertThat(HostPort.checked(host, 3306).host()).isEqualTo(host);
  }

  @Test
  void storedAddressesReadBackEvenWhenAnOperatorCouldNotEnterThemNow() {
    assertThat(new HostPort("db..x", 3306).host()).isEqualTo("db..x");
  }
}
