package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterEntriesTest {
  private static final Alias ORDERS = Alias.of("orders");
  private static final KeyLayout LAYOUT = KeyLayout.defaults();
  private static final ClusterEntries AT_10 =
      LAYOUT.entries(new Cluster(ORDERS, new Master(new HostPort("db1", 3306), "10.0.0.1", ""), 10, 0));

  /** What a store holding exactly these entries, at the given epoch text, would return. */
  private static Map<String, String> storedAt(String epoch) {
    Map<String, String> m = new HashMap<>();
    for (KvPair p : AT_10.pairs()) m.put(p.key(), p.value());
    if (epoch != null) m.put(AT_10.epochKey(), epoch);
    return m;
  }

  @Test
  void newerStoredEpochIsStale() {
    assertThat(AT_10.judge(storedAt("11"))).isEqualTo(Verdict.STALE);
  }

  @Test
  void newerStoredEpochIsStaleEvenWithDifferentValues() {
    Map<String, String> stored = storedAt("11");
    stored.put("mysql/master/orders", "db2:3306");
    assertThat(AT_10.judge(stored)).isEqualTo(Verdict.STALE);
  }

  @Test
  void equalEpochWithEqualValuesIsCurrent() {
    assertThat(AT_10.judge(storedAt("10"))).isEqualTo(Verdict.CURRENT);
    assertThat(AT_10.judge(storedAt(" 10 "))).isEqualTo(Verdict.CURRENT);
  }

  @Test
  void olderStoredEpochIsWritten() {
    assertThat(AT_10.judge(storedAt("9"))).isEqualTo(Verdict.WRITE);
  }

  @Test
  void absentEpochIsWritten() {
    assertThat(AT_10.judge(storedAt(null))).isEqualTo(Verdict.WRITE);
    assertThat(AT_10.judge(Map.of())).isEqualTo(Verdict.WRITE);
  }

  @Test
  void unreadableEpochIsWritten() {
    assertThat(AT_10.judge(storedAt("garbage"))).isEqualTo(Verdict.WRITE);
  }

  @Test
  void equalEpochWithADriftedValueIsWritten() {
    Map<String, String> stored = storedAt("10");
    stored.put("mysql/master/orders/port", "3307");
    assertThat(AT_10.judge(stored)).isEqualTo(Verdict.WRITE);
  }

  @Test
  void equalEpochWithAMissingKeyIsWritten() {
    Map<String, String> stored = storedAt("10");
    stored.remove("mysql/master/orders/ipv6");
    assertThat(AT_10.judge(stored)).isEqualTo(Verdict.WRITE);
  }

  @Test
  void parseEpochDistinguishesAbsentFromUnreadable() {
    assertThat(ClusterEntries.parseEpoch(null)).isEqualTo(-1);
    assertThat(ClusterEntries.parseEpoch("x")).isZero();
    assertThat(ClusterEntries.parseEpoch(" 123\n")).isEqualTo(123);
  }

  @Test
  void pairsAreCopied() {
    var pairs = new java.util.ArrayList<KvPair>();
    pairs.add(new KvPair("k", "v"));
    ClusterEntries e = new ClusterEntries(ORDERS, 1, "e", pairs);
    pairs.clear();
    assertThat(e.pairs()).hasSize(1);
  }

  @Test
  void aLeftoverEpochKeyOfTheOtherLayoutNeedsAWriteEvenWhenAllElseIsCurrent() {
    KeyLayout off = new KeyLayout("mysql/master", false, "herald/epoch");
    ClusterEntries e = off.entries(new Cluster(ORDERS, new Master(new HostPort("db1", 3306), "10.0.0.1", ""), 10, 0));
    assertThat(e.formerEpochKey()).contains("mysql/master/orders/epoch");
    Map<String, String> stored = new HashMap<>();
    for (KvPair p : e.allPairs()) stored.put(p.key(), p.value());
    assertThat(e.judge(stored)).isEqualTo(Verdict.CURRENT);
    stored.put("mysql/master/orders/epoch", "7");
    assertThat(e.judge(stored)).isEqualTo(Verdict.WRITE);
    stored.put("mysql/master/orders/epoch", "99"); // it does not fence: only the epoch key in use does
    assertThat(e.judge(stored)).isEqualTo(Verdict.WRITE);
  }

  @Test
  void onlyAnEpochPrefixKnownToBeThisDeploymentsIsCleanedWhenTheEpochIsBesideTheMaster() {
    assertThat(KeyLayout.defaults().formerEpochKey(ORDERS)).isEmpty();
    assertThat(new KeyLayout("mysql/master", true, "herald/epoch", true).formerEpochKey(ORDERS))
        .contains("herald/epoch/orders");
    assertThat(new KeyLayout("herald", true, "herald/epoch", true).formerEpochKey(ORDERS)).isEmpty(); // overlaps
  }
}
