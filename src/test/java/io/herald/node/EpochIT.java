package io.herald.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.Master;
import io.herald.kv.KvStoreException;
import io.herald.kv.etcd.EtcdKvStore;
import io.herald.kv.etcd.EtcdOptions;
import io.herald.testing.InProcessNode;
import io.herald.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Epochs only grow, across rebuilt data directories too, and a store that holds a cluster at a newer epoch than
 * Herald's is an error an operator sees (kv-stores, metrics) and ends with take-over. Before, a rebuilt node's
 * changes all had older epochs than the stores held: acknowledged, never written, reported healthy.
 */
class EpochIT {
  @TempDir Path dir;

  private static String read(EtcdKvStore etcd, String key) {
    try {
      return etcd.get(key).orElse(null);
    } catch (KvStoreException e) {
      return null;
    }
  }

  @Test
  void aRebuiltDataDirectoryStillPublishesNewMasters() throws Exception {
    String prefix = TestServers.uniquePrefix("epoch");
    String cfg = "\"EtcdEndpoints\": \"" + TestServers.etcd() + "\", \"KVClusterMasterPrefix\": \"" + prefix + "\"";
    Path data = dir.resolve("d");
    try (EtcdKvStore etcd = new EtcdKvStore("reader", EtcdOptions.plain(TestServers.etcd()))) {
      etcd.start();
      try (InProcessNode node = InProcessNode.start(data, cfg)) {
        for (int i = 1; i <= 5; i++) assertThat(node.post("/api/set-master/c1/10.3.0." + i + "/3306").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "10.3.0.5:3306".equals(read(etcd, prefix + "/c1")));
      }
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); // the node is rebuilt from nothing
      }
      try (InProcessNode node = InProcessNode.start(data, cfg)) {
        assertThat(node.post("/api/set-master/c1/10.3.0.9/3306").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "10.3.0.9:3306".equals(read(etcd, prefix + "/c1")));
      }
    }
  }

  @Test
  void aForeignNewerEpochIsReportedEverywhereUntilTakenOver() throws Exception {
    String prefix = TestServers.uniquePrefix("epoch");
    long foreign = 99_999_999_999_999_999L;
    try (EtcdKvStore etcd = new EtcdKvStore("writer", EtcdOptions.plain(TestServers.etcd()));
        InProcessNode node = InProcessNode.start(dir.resolve("f"), "\"EtcdEndpoints\": \"" + TestServers.etcd()
            + "\", \"KVClusterMasterPrefix\": \"" + prefix + "\"")) {
      etcd.start();
      // another deployment on the same prefix wrote c2 with a huge epoch
      KeyLayout layout = new KeyLayout(prefix, true, KeyLayout.DEFAULT_EPOCH_PREFIX);
      etcd.write(List.of(layout.entries(new Cluster(Alias.of("c2"), new Master(new HostPort("10.66.0.1", 3306), "10.66.0.1", ""), foreign, 0))));
      assertThat(node.post("/api/set-master/c2/10.4.0.1/3306").status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode etcdStatus = etcdStatus(node);
        assertThat(etcdStatus.path("blocked")).hasSize(1);
        assertThat(etcdStatus.path("blocked").get(0).path("alias").asText()).isEqualTo("c2");
        assertThat(etcdStatus.path("blocked").get(0).path("storeEpoch").asLong()).isEqualTo(foreign);
      });
      assertThat(node.get("/metrics").text()).contains("herald_store_blocked_clusters{store=\"etcd\"} 1");
      assertThat(read(etcd, prefix + "/c2")).isEqualTo("10.66.0.1:3306");
      assertThat(node.post("/api/take-over/nosuch").status()).isEqualTo(404);
      assertThat(node.post("/api/take-over/c2?epoch=x").status()).isEqualTo(400);
      InProcessNode.Reply r = node.post("/api/take-over/c2");
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> "10.4.0.1:3306".equals(read(etcd, prefix + "/c2")));
      assertThat(Long.parseLong(read(etcd, prefix + "/c2/epoch"))).isGreaterThan(foreign);
      await().atMost(Duration.ofSeconds(10)).until(() -> etcdStatus(node).path("blocked").isEmpty());
      // nothing blocked any more: a take-over without an epoch has nothing to take over
      assertThat(node.post("/api/take-over/c2").status()).isEqualTo(409);
    }
  }

  private static JsonNode etcdStatus(InProcessNode node) {
    for (JsonNode s : node.get("/api/kv-stores").body().path("Details")) if (s.path("name").asText().equals("etcd")) return s;
    for (JsonNode s : node.get("/api/kv-stores").body()) if (s.path("name").asText().equals("etcd")) return s;
    throw new AssertionError("no etcd store in " + node.get("/api/kv-stores").text());
  }
}
