package io.herald.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.KvPair;
import io.herald.cluster.Master;
import io.herald.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link KvStore} adapter passes, run against the real server. A subclass says how to build
 * the adapter and how to change a key behind its back (as an operator or another tool would).
 */
public abstract class KvStoreContract {
  protected KeyLayout layout;
  protected KvStore store;

  /** A new, unstarted adapter on the same server (a second writer, for fencing tests). */
  protected abstract KvStore newStore();

  /** Writes (value != null) or deletes (value == null) a key directly, bypassing the adapter. */
  protected abstract void tamper(String key, String value) throws Exception;

  @BeforeEach
  void startStore() throws Exception {
    layout = new KeyLayout(TestServers.uniquePrefix("mysql/master"), true, KeyLayout.DEFAULT_EPOCH_PREFIX);
    store = newStore();
    store.start();
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  protected ClusterEntries entries(String alias, String host, int port, long epoch) {
    Master m = new Master(new HostPort(host, port), host.startsWith("127.") ? host : "", "");
    return layout.entries(new Cluster(Alias.of(alias), m, epoch, 0));
  }

  protected void assertStoreHolds(ClusterEntries e) throws KvStoreException {
    for (KvPair p : e.allPairs()) {
      assertThat(store.get(p.key())).as(p.key()).contains(p.value());
    }
  }

  @Test
  void writesAllKeysOfANewClusterInOrchestratorsLayout() throws Exception {
    ClusterEntries e = entries("c1", "127.0.0.5", 3306, 7);
    assertThat(store.write(List.of(e))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN);
    String k = layout.masterKey(Alias.of("c1"));
    assertThat(store.get(k)).contains("127.0.0.5:3306");
    assertThat(store.get(k + "/hostname")).contains("127.0.0.5");
    assertThat(store.get(k + "/port")).contains("3306");
    assertThat(store.get(k + "/ipv4")).contains("127.0.0.5");
    assertThat(store.get(k + "/ipv6")).contains("");
    assertThat(store.get(k + "/epoch")).contains("7");
  }

  @Test
  void repeatingTheSameEntriesWritesNothing() throws Exception {
    ClusterEntries e = entries("c1", "127.0.0.5", 3306, 7);
    store.write(List.of(e));
    assertThat(store.write(List.of(e))).containsEntry(Alias.of("c1"), WriteOutcome.UNCHANGED);
  }

  @Test
  void aNewerEpochOverwritesTheOldMaster() throws Exception {
    store.write(List.of(entries("c1", "127.0.0.5", 3306, 7)));
    ClusterEntries failover = entries("c1", "127.0.0.6", 3307, 9);
    assertThat(store.write(List.of(failover))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN);
    assertStoreHolds(failover);
  }

  @Test
  void aWipedClusterIsWrittenBlankAtItsEpochRepeatedAsUnchangedAndReplacedByTheSuccessor() throws Exception {
    store.write(List.of(entries("c1", "127.0.0.5", 3306, 7)));
    Master old = new Master(new HostPort("127.0.0.5", 3306), "127.0.0.5", "");
    ClusterEntries blank = layout.entries(new Cluster(Alias.of("c1"), old, 8, 0).wipedAt(8));
    assertThat(store.write(List.of(blank))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN);
    String k = layout.masterKey(Alias.of("c1"));
    for (String key : List.of(k, k + "/hostname", k + "/port", k + "/ipv4", k + "/ipv6")) {
      assertThat(store.get(key)).as(key).contains("");
    }
    assertThat(store.get(k + "/epoch")).contains("8");
    // empty values read back as written: no endless drift repair
    assertThat(store.write(List.of(blank))).containsEntry(Alias.of("c1"), WriteOutcome.UNCHANGED);
    ClusterEntries successor = entries("c1", "127.0.0.6", 3307, 9);
    assertThat(store.write(List.of(successor))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN);
    assertStoreHolds(successor);
  }

  @Test
  void aLaggingWriterWithAnOlderEpochCannotOverwriteANewerEntry() throws Exception {
    ClusterEntries newer = entries("c1", "127.0.0.6", 3307, 20);
    store.write(List.of(newer));
    try (KvStore lagging = newStore()) {
      lagging.start();
      Map<Alias, WriteOutcome> r = lagging.write(List.of(entries("c1", "127.0.0.5", 3306, 19)));
      assertThat(r).containsEntry(Alias.of("c1"), WriteOutcome.STALE);
    }
    assertStoreHolds(newer);
  }

  @Test
  void driftAndDeletedKeysAreRepairedAtTheSameEpoch() throws Exception {
    ClusterEntries e = entries("c1", "127.0.0.5", 3306, 7);
    store.write(List.of(e));
    String k = layout.masterKey(Alias.of("c1"));
    tamper(k + "/hostname", "evil");
    tamper(k + "/port", null);
    assertThat(store.write(List.of(e))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN);
    assertStoreHolds(e);
  }

  @Test
  void anUnreadableStoredEpochIsReplaced() throws Exception {
    ClusterEntries e = entries("c1", "127.0.0.5", 3306, 7);
    store.write(List.of(e));
    tamper(layout.epochKey(Alias.of("c1")), "garbage");
    assertThat(store.write(List.of(e))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN);
    assertStoreHolds(e);
  }

  @Test
  void aBatchOfManyClustersIsWrittenWhole() throws Exception {
    List<ClusterEntries> batch = new ArrayList<>();
    for (int i = 0; i < 150; i++) batch.add(entries("bulk-" + i, "127.0.1." + (i % 250 + 1), 3306 + i, 100 + i));
    Map<Alias, WriteOutcome> r = store.write(batch);
    assertThat(r).hasSize(150).allSatisfy((a, o) -> assertThat(o).isEqualTo(WriteOutcome.WRITTEN));
    assertStoreHolds(batch.get(0));
    assertStoreHolds(batch.get(149));
    assertThat(store.write(batch).values()).containsOnly(WriteOutcome.UNCHANGED);
  }

  @Test
  void aMixedBatchReportsEachClusterOnItsOwn() throws Exception {
    store.write(List.of(entries("old", "127.0.0.1", 3306, 50)));
    Map<Alias, WriteOutcome> r = store.write(List.of(
        entries("old", "127.0.0.2", 3306, 40), entries("fresh", "127.0.0.3", 3306, 41)));
    assertThat(r).containsEntry(Alias.of("old"), WriteOutcome.STALE).containsEntry(Alias.of("fresh"), WriteOutcome.WRITTEN);
    assertThat(store.get(layout.masterKey(Alias.of("old")))).contains("127.0.0.1:3306");
  }

  @Test
  void anAbsentKeyReadsEmpty() throws Exception {
    assertThat(store.get(layout.masterKey(Alias.of("nosuch")))).isEqualTo(Optional.empty());
  }

  @Test
  void nameKindAndAddressAreSet() {
    assertThat(store.name()).isNotBlank();
    assertThat(store.kind()).isNotBlank();
    assertThat(store.address()).isNotBlank();
  }

  @Test
  void aClusterWhoseAliasBeginsOtherAliasesIsReadAndWrittenOnItsOwn() throws Exception {
    List<ClusterEntries> family = new ArrayList<>();
    family.add(entries("fam1", "127.0.5.1", 3306, 1));
    for (int i = 10; i < 20; i++) family.add(entries("fam1" + i, "127.0.5." + i, 3306, 1));
    assertThat(store.write(family).values()).containsOnly(WriteOutcome.WRITTEN);

    ClusterEntries failover = entries("fam1", "127.0.6.1", 3307, 2);
    assertThat(store.write(List.of(failover))).containsEntry(failover.alias(), WriteOutcome.WRITTEN);
    assertStoreHolds(failover);
    for (ClusterEntries sibling : family.subList(1, family.size())) assertStoreHolds(sibling);
    assertThat(store.write(List.of(failover))).containsEntry(failover.alias(), WriteOutcome.UNCHANGED);
    assertThat(store.write(family.subList(1, 3)).values()).containsOnly(WriteOutcome.UNCHANGED);
  }

  private static ClusterEntries in(KeyLayout l, String alias, String host, long epoch) {
    return l.entries(new Cluster(Alias.of(alias), new Master(new HostPort(host, 3306), host, ""), epoch, 0));
  }

  @Test
  void anEpochKeyLeftBesideTheMasterIsDeletedOnceTheEpochKeyIsOff() throws Exception {
    ClusterEntries before = in(layout, "sw1", "127.0.7.1", 4);
    assertThat(store.write(List.of(before))).containsEntry(before.alias(), WriteOutcome.WRITTEN);
    String leftover = layout.masterKey(before.alias()) + "/epoch";
    assertThat(store.get(leftover)).contains("4");

    KeyLayout off = new KeyLayout(layout.prefix(), false, TestServers.uniquePrefix("herald/epoch"));
    ClusterEntries after = in(off, "sw1", "127.0.7.1", 4); // the same master at the same epoch, only the key moved
    assertThat(store.write(List.of(after))).containsEntry(after.alias(), WriteOutcome.WRITTEN);
    assertThat(store.get(leftover)).isEmpty();
    assertThat(store.get(off.epochKey(after.alias()))).contains("4");
    assertStoreHolds(after);
    assertThat(store.write(List.of(after))).containsEntry(after.alias(), WriteOutcome.UNCHANGED);

    tamper(leftover, "3"); // put back by a node still on the old setting, or by hand: gone at the next check
    assertThat(store.write(List.of(after))).containsEntry(after.alias(), WriteOutcome.WRITTEN);
    assertThat(store.get(leftover)).isEmpty();
  }

  @Test
  void anEpochKeyLeftUnderAnOwnedEpochPrefixIsDeletedWhenTheEpochKeyIsBackOn() throws Exception {
    String epochPrefix = TestServers.uniquePrefix("herald/epoch");
    KeyLayout off = new KeyLayout(layout.prefix(), false, epochPrefix);
    ClusterEntries before = in(off, "sw2", "127.0.7.2", 4);
    store.write(List.of(before));
    String leftover = off.epochKey(before.alias());
    assertThat(store.get(leftover)).contains("4");

    KeyLayout notOwned = new KeyLayout(layout.prefix(), true, epochPrefix); // the prefix may be another deployment's
    assertThat(store.write(List.of(in(notOwned, "sw2", "127.0.7.3", 5)))).containsValue(WriteOutcome.WRITTEN);
    assertThat(store.get(leftover)).contains("4");

    KeyLayout on = new KeyLayout(layout.prefix(), true, epochPrefix, true);
    ClusterEntries after = in(on, "sw2", "127.0.7.3", 5);
    assertThat(store.write(List.of(after))).containsEntry(after.alias(), WriteOutcome.WRITTEN);
    assertThat(store.get(leftover)).isEmpty();
    assertStoreHolds(after);
    assertThat(store.write(List.of(after))).containsEntry(after.alias(), WriteOutcome.UNCHANGED);
  }

  @Test
  void aBatchOfClustersLosesEveryLeftoverEpochKeyEitherWay() throws Exception {
    String epochPrefix = TestServers.uniquePrefix("herald/epoch");
    KeyLayout off = new KeyLayout(layout.prefix(), false, epochPrefix);
    KeyLayout on = new KeyLayout(layout.prefix(), true, epochPrefix, true);
    List<ClusterEntries> beside = new ArrayList<>();
    List<ClusterEntries> apart = new ArrayList<>();
    for (int i = 0; i < 70; i++) { // more than one read chunk or range in every adapter
      beside.add(in(on, "swb" + i, "127.0.8." + i, 2));
      apart.add(in(off, "swb" + i, "127.0.8." + i, 2));
    }
    assertThat(store.write(beside).values()).containsOnly(WriteOutcome.WRITTEN);
    assertThat(store.write(apart).values()).containsOnly(WriteOutcome.WRITTEN);
    for (ClusterEntries e : apart) {
      assertThat(store.get(layout.masterKey(e.alias()) + "/epoch")).as(e.alias().value()).isEmpty();
      assertThat(store.get(off.epochKey(e.alias()))).contains("2");
    }
    assertThat(store.write(beside).values()).containsOnly(WriteOutcome.WRITTEN);
    for (ClusterEntries e : beside) {
      assertThat(store.get(off.epochKey(e.alias()))).as(e.alias().value()).isEmpty();
      assertThat(store.get(on.epochKey(e.alias()))).contains("2");
    }
    assertThat(store.write(beside).values()).containsOnly(WriteOutcome.UNCHANGED);
  }
}
