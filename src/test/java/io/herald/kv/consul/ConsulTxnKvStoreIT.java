package io.herald.kv.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreContract;
import io.herald.kv.WriteOutcome;
import io.herald.testing.TestServers;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The store contract against the Consul dev agent, with one transaction per pack of clusters. */
class ConsulTxnKvStoreIT extends KvStoreContract {
  private final RawConsul raw = new RawConsul(TestServers.consul(), Optional.empty());

  @Override
  protected KvStore newStore() {
    return new ConsulKvStore("consul", ConsulOptions.plain(TestServers.consul(), true));
  }

  @Override
  protected void tamper(String key, String value) throws Exception {
    raw.set(key, value);
  }

  @Test
  void kindIsConsulTxn() {
    assertThat(store.kind()).isEqualTo("consul-txn");
    assertThat(store.address()).isEqualTo("http://" + TestServers.consul());
  }

  /**
   * Two entries of one cluster in one pack make the pack's compare-and-set fail against itself: the fallback
   * writes them one by one, re-reading after the lost race, and the newer epoch ends up stored either way.
   */
  @Test
  void aPackThatLosesACompareAndSetRaceFallsBackAndTheNewerEpochWins() throws Exception {
    ClusterEntries older = entries("race", "127.0.0.5", 3306, 5);
    ClusterEntries newer = entries("race", "127.0.0.6", 3307, 6);
    ClusterEntries other = entries("bystander", "127.0.0.7", 3308, 3);
    assertThat(store.write(List.of(older, other, newer))).containsEntry(Alias.of("race"), WriteOutcome.WRITTEN)
        .containsEntry(Alias.of("bystander"), WriteOutcome.WRITTEN);
    assertStoreHolds(newer);
    assertStoreHolds(other);

    ClusterEntries newest = entries("race2", "127.0.0.9", 3309, 9);
    assertThat(store.write(List.of(newest, entries("race2", "127.0.0.8", 3306, 8))))
        .containsEntry(Alias.of("race2"), WriteOutcome.STALE);
    assertStoreHolds(newest);
  }
}
