package io.herald.kv.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreContract;
import io.herald.kv.KvStoreException;
import io.herald.cluster.Secret;
import io.herald.kv.WriteOutcome;
import io.herald.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract, digest auth and a bulk write against the real (Debian) ZooKeeper server. */
class ZooKeeperKvStoreIT extends KvStoreContract {
  private static PlainZooKeeper plain;

  @BeforeAll
  static void connect() {
    plain = new PlainZooKeeper(TestServers.zookeeper());
  }

  @AfterAll
  static void disconnect() {
    if (plain != null) plain.close();
  }

  @Override
  protected KvStore newStore() {
    return new ZooKeeperKvStore("zk", ZooKeeperOptions.plain(TestServers.zookeeper()));
  }

  @Override
  protected void tamper(String key, String value) throws Exception {
    plain.put(key, value);
  }

  private static ZooKeeperKvStore withDigest(String userPassword) {
    return new ZooKeeperKvStore("zk-auth", new ZooKeeperOptions(TestServers.zookeeper(),
        Optional.of(new Secret(userPassword)), true, Duration.ofSeconds(15), Duration.ofSeconds(5)));
  }

  @Test
  void withDigestAuthOthersCanReadButNotWriteAndTheAdapterStillCan() throws Exception {
    ClusterEntries e = entries("secured", "127.0.0.5", 3306, 7);
    String k = layout.masterKey(Alias.of("secured"));
    try (ZooKeeperKvStore authed = withDigest("herald:s3cret")) {
      authed.start();
      assertThat(authed.write(List.of(e))).containsEntry(Alias.of("secured"), WriteOutcome.WRITTEN);

      assertThat(plain.read(k)).contains("127.0.0.5:3306");
      assertThat(plain.read(k + "/port")).contains("3306");
      assertThatThrownBy(() -> plain.put(k + "/hostname", "evil")).isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> plain.curator().create().forPath("/" + k + "/extra"))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> plain.curator().delete().forPath("/" + k + "/epoch"))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThat(authed.address()).doesNotContain("s3cret");

      ClusterEntries failover = entries("secured", "127.0.0.6", 3307, 8);
      assertThat(authed.write(List.of(failover))).containsEntry(Alias.of("secured"), WriteOutcome.WRITTEN);
      assertThat(plain.read(k)).contains("127.0.0.6:3307");
    }
    try (ZooKeeperKvStore wrongPassword = withDigest("herald:wrong")) {
      wrongPassword.start();
      assertThatThrownBy(() -> wrongPassword.write(List.of(entries("secured", "127.0.0.7", 3308, 9))))
          .isInstanceOfSatisfying(KvStoreException.class, x -> {
            assertThat(x.retryable()).isFalse();
            assertThat(x.getMessage()).contains("NOAUTH").doesNotContain("wrong");
          });
    }
    assertThat(plain.read(k)).contains("127.0.0.6:3307");
  }

  @Test
  void unauthenticatedZnodesAreOpenLikeOrchestrators() throws Exception {
    store.write(List.of(entries("open", "127.0.0.5", 3306, 7)));
    String k = layout.masterKey(Alias.of("open"));
    plain.curator().setData().forPath("/" + k + "/ipv6", "::1".getBytes(StandardCharsets.UTF_8));
    assertThat(store.get(k + "/ipv6")).contains("::1");
  }

  @Test
  void tenThousandClustersInBatchesOfAThousandArePipelined() throws Exception {
    List<ClusterEntries> all = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) all.add(entries("b" + i, "127.0.2." + (i % 250 + 1), 3306, 5));
    store.write(all.subList(0, 10)); // warm-up: the session is up and the prefix exists
    long start = System.nanoTime();
    for (int i = 0; i < all.size(); i += 1000) {
      assertThat(store.write(all.subList(i, i + 1000)).values())
          .containsOnly(i == 0 ? new WriteOutcome[] {WriteOutcome.WRITTEN, WriteOutcome.UNCHANGED}
              : new WriteOutcome[] {WriteOutcome.WRITTEN});
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("zookeeper: 10000 clusters written in " + took.toMillis() + " ms");
    // speed is measured by bench/run store-bulk, not asserted here
    assertStoreHolds(all.get(9_999));
  }
}
