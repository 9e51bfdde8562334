package io.herald.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.topology.AliasSuggestion.Source;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AliasSuggestionTest {
  private static final HostPort DB1 = new HostPort("db1.example.com", 3306);
  private static final List<ClusterAliasRule> RULES =
      List.of(ClusterAliasRule.of("^db2\\.", "second"), ClusterAliasRule.of("example\\.com", "shop"),
          ClusterAliasRule.of("db1", "never-reached"));

  @Test
  void theDetectedAliasComesFirst() {
    assertThat(AliasSuggestion.of(DB1, Optional.of(" orders "), RULES))
        .isEqualTo(new AliasSuggestion(Alias.of("orders"), Source.DETECTED));
  }

  @Test
  void anInvalidDetectedAliasFallsBackToTheFirstMatchingRule() {
    assertThat(AliasSuggestion.of(DB1, Optional.of("a/b"), RULES))
        .isEqualTo(new AliasSuggestion(Alias.of("shop"), Source.MAPPED));
    assertThat(AliasSuggestion.of(DB1, Optional.of(""), RULES).source()).isEqualTo(Source.MAPPED);
  }

  @Test
  void withNoRuleMatchingTheAliasIsDerivedFromTheMastersKey() {
    assertThat(AliasSuggestion.of(DB1, Optional.empty(), List.of(ClusterAliasRule.of("^db2", "x"))))
        .isEqualTo(new AliasSuggestion(Alias.of("db1.example.com_3306"), Source.DERIVED));
  }

  @Test
  void derivedAliasesAreValidForIpv6AndLongNames() {
    assertThat(AliasSuggestion.derived(new HostPort("fe80::1%eth0", 3307)).value()).isEqualTo("fe80__1_eth0_3307");
    String longHost = "a".repeat(200);
    Alias a = AliasSuggestion.derived(new HostPort(longHost, 65535));
    assertThat(a.value()).hasSize(128).endsWith("a_65535");
  }

  @Test
  void aBadRuleIsRefusedNamingThePattern() {
    assertThatThrownBy(() -> ClusterAliasRule.of("(", "x")).hasMessageContaining("'('");
    assertThatThrownBy(() -> ClusterAliasRule.of("x", "a/b")).isInstanceOf(IllegalArgumentException.class);
  }
}
