package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {
  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "127.0.0.1", "255.255.255.255", "1.0.0.0"})
  void canonicalIpv4IsAccepted(String s) {
    assertThat(IpLiteral.isIpv4(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.256.256.256", "0177.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "0.0.0.0", "1.2.3.", " 1.2.3.4", ""})
  void otherIpv4FormsAreRefused(String s) {
    assertThat(IpLiteral.isIpv4(s)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"::1", "2001:db8::1", "fe80::1", "2001:0db8:0000:0000:0000:0000:0000:0001"})
  void ipv6LiteralsAreAccepted(String s) {
    assertThat(IpLiteral.isIpv6(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1::2::3", "::", "fe80::1%eth0", "g::1", "1:2", "db1", "10.0.0.1", "2001:db8::1 "})
  void otherIpv6FormsAreRefused(String s) {
    assertThat(IpLiteral.isIpv6(s)).isFalse();
  }

  @Test
  void numericLookingNamesAreRecognised() {
    assertThat(IpLiteral.looksNumeric("0177.0.0.1")).isTrue();
    assertThat(IpLiteral.looksNumeric("0x7f.1")).isTrue();
    assertThat(IpLiteral.looksNumeric("1.2.3")).isTrue();
    assertThat(IpLiteral.looksNumeric("db1.10")).isFalse();
    assertThat(IpLiteral.looksNumeric("1.2.3.4a")).isFalse();
  }
}
