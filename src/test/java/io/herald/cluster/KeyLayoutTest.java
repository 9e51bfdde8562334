package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyLayoutTest {
  private static final Alias ORDERS = Alias.of("orders");
  private static final Master MASTER = new Master(new HostPort("db1.example.com", 3306), "10.0.0.1", "fd00::1");

  private static KeyLayout beside(String prefix) {
    return new KeyLayout(prefix, true, KeyLayout.DEFAULT_EPOCH_PREFIX);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql/master", "/mysql/master/", "mysql/master/", "//mysql/master", " mysql/master ",
      "mysql/master//"})
  void normalisesPrefixToOneTrailingSlashAndNoLeadingSlash(String prefix) {
    // trailing slashes are trimmed, as orchestrator does ("some/prefix///" turns to "some/prefix/")
    assertThat(beside(prefix).prefix()).isEqualTo("mysql/master/");
  }

  @Test
  void refusesAnEmptyPathElementInsideThePrefix() {
    assertThatThrownBy(() -> beside("mysql//master"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KVClusterMasterPrefix")
        .hasMessageContaining("empty path element");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "/", "///"})
  void refusesAnEmptyPrefix(String prefix) {
    assertThatThrownBy(() -> beside(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KVClusterMasterPrefix must not be empty");
  }

  @Test
  void refusesANullPrefix() {
    assertThatThrownBy(() -> beside(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnEmptyEpochPrefixEvenWhenTheEpochIsBesideTheMaster() {
    assertThatThrownBy(() -> new KeyLayout("mysql/master", true, "/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HeraldEpochKeyPrefix");
  }

  @Test
  void defaultsAreOrchestratorsPrefixWithTheEpochBesideTheMaster() {
    KeyLayout d = KeyLayout.defaults();
    assertThat(d.prefix()).isEqualTo("mysql/master/");
    assertThat(d.epochBesideMaster()).isTrue();
    assertThat(d.epochPrefix()).isEqualTo("herald/epoch/");
  }

  @Test
  void pairsFollowOrchestratorsOrderAndValues() {
    assertThat(KeyLayout.defaults().pairs(ORDERS, MASTER)).containsExactly(
        new KvPair("mysql/master/orders", "db1.example.com:3306"),
        new KvPair("mysql/master/orders/hostname", "db1.example.com"),
        new KvPair("mysql/master/orders/port", "3306"),
        new KvPair("mysql/master/orders/ipv4", "10.0.0.1"),
        new KvPair("mysql/master/orders/ipv6", "fd00::1"));
  }

  @Test
  void pairsCarryEmptyAddressesWhenTheMasterDidNotResolve() {
    Master unresolved = new Master(new HostPort("db9", 3306), "", "");
    assertThat(KeyLayout.defaults().pairs(ORDERS, unresolved))
        .contains(new KvPair("mysql/master/orders/ipv4", ""), new KvPair("mysql/master/orders/ipv6", ""));
  }

  @Test
  void masterKeyUsesTheNormalisedPrefix() {
    assertThat(beside("/custom/prefix/").masterKey(ORDERS)).isEqualTo("custom/prefix/orders");
  }

  @Test
  void epochKeyBesideTheMaster() {
    assertThat(KeyLayout.defaults().epochKey(ORDERS)).isEqualTo("mysql/master/orders/epoch");
  }

  @Test
  void epochKeyUnderASeparatePrefix() {
    KeyLayout separate = new KeyLayout("mysql/master", false, "/herald/epoch/");
    assertThat(separate.epochKey(ORDERS)).isEqualTo("herald/epoch/orders");
    assertThat(separate.pairs(ORDERS, MASTER)).extracting(KvPair::key).allMatch(k -> k.startsWith("mysql/master/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql/master", "mysql/master/epochs", "mysql"})
  void refusesASeparateEpochPrefixOverlappingTheMasterPrefix(String epochPrefix) {
    assertThatThrownBy(() -> new KeyLayout("mysql/master", false, epochPrefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not overlap");
  }

  @Test
  void overlapIsIrrelevantWhenTheEpochIsBesideTheMaster() {
    assertThat(new KeyLayout("mysql/master", true, "mysql/master/epochs").epochKey(ORDERS))
        .isEqualTo("mysql/master/orders/epoch");
  }

  @Test
  void entriesCarryTheClustersEpochAndAllPairs() {
    Cluster c = new Cluster(ORDERS, MASTER, 42, 7);
    ClusterEntries e = KeyLayout.defaults().entries(c);
    assertThat(e.alias()).isEqualTo(ORDERS);
    assertThat(e.epoch()).isEqualTo(42);
    assertThat(e.epochKey()).isEqualTo("mysql/master/orders/epoch");
    assertThat(e.pairs()).hasSize(5);
    assertThat(e.allPairs()).hasSize(6).last().isEqualTo(new KvPair("mysql/master/orders/epoch", "42"));
  }
}
