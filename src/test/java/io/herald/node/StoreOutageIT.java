package io.herald.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.FreePort;
import io.herald.testing.InProcessNode;
import io.herald.testing.ValueWatcher;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ZooKeeper (Curator's in-process TestingServer) is stopped while masters change, then started again: the
 * API keeps answering, every change arrives, and a watcher never sees a cluster's epoch go down.
 */
class StoreOutageIT {
  @TempDir Path dir;

  @Test
  void everyChangeMadeDuringAnOutageArrivesAfterIt() throws Exception {
    try (TestingServer zkServer = new TestingServer(-1, dir.resolve("zk").toFile(), true);
        InProcessNode node = InProcessNode.start(dir.resolve("data"), "\"ZkAddress\": \"" + zkServer.getConnectString()
            + "\", \"KVStoreTimeoutSeconds\": 2, \"KVRetryMaxSeconds\": 1");
        CuratorFramework watcherClient = CuratorFrameworkFactory.newClient(zkServer.getConnectString(), new RetryForever(100))) {
      watcherClient.start();
      try (ValueWatcher epochs = new ValueWatcher("out1", () -> zkValue(watcherClient, "/mysql/master/out1/epoch"))) {

        assertThat(node.post("/api/set-master/out1/127.0.0.71/3306").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> zkValue(watcherClient, "/mysql/master/out1"), "127.0.0.71:3306"::equals);

        zkServer.stop();
        long t0 = System.nanoTime();
        for (int i = 2; i <= 6; i++) {
          assertThat(node.post("/api/set-master/out1/127.0.0.7" + i + "/3306").status()).isEqualTo(200);
        }
        assertThat(node.post("/api/set-master/out2/127.0.0.79/3306").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("writes must not wait for a dead store").isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          var zk = node.get("/api/kv-stores").body().get(1);
          assertThat(zk.path("name").asText()).isEqualTo("zookeeper");
          assertThat(zk.path("healthy").asBoolean()).isFalse();
          assertThat(zk.path("pending").asInt()).isPositive();
          assertThat(zk.path("epochLag").asLong()).isPositive();
          assertThat(zk.path("lastError").asText()).isNotBlank();
        });

        zkServer.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> zkValue(watcherClient, "/mysql/master/out1"), "127.0.0.76:3306"::equals);
        await().atMost(Duration.ofSeconds(30)).until(() -> zkValue(watcherClient, "/mysql/master/out2"), "127.0.0.79:3306"::equals);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(node.get("/api/kv-stores").body().get(1).path("healthy").asBoolean()).isTrue());
        assertThat(epochs.seenAsLongs()).isSorted().hasSizeGreaterThanOrEqualTo(2);
      }
    }
  }

  private static String zkValue(CuratorFramework zk, String path) {
    try {
      return new String(zk.getData().forPath(path));
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void anIdleStoreIsReportedAsItIsWithoutAnyMasterChange() throws Exception {
    try (TestingServer zkServer = new TestingServer(FreePort.pick(), dir.resolve("zk2").toFile(), false)) {
      // ZooKeeper is down from the start and no master is ever set: the store must not look healthy
      try (InProcessNode node = InProcessNode.start(dir.resolve("data2"), "\"ZkAddress\": \""
          + zkServer.getConnectString() + "\", \"KVStoreTimeoutSeconds\": 1, \"KVRetryMaxSeconds\": 1, "
          + "\"KVHealthCheckSeconds\": 1")) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          var zk = node.get("/api/kv-stores").body().get(1);
          assertThat(zk.path("name").asText()).isEqualTo("zookeeper");
          assertThat(zk.path("healthy").asBoolean()).isFalse();
          assertThat(zk.path("lastError").asText()).isNotBlank();
          assertThat(zk.path("pending").asInt()).isZero();
        });

        zkServer.start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(node.get("/api/kv-stores").body().get(1).path("healthy").asBoolean()).isTrue());

        // and once it goes away again, the periodic check notices with nothing to write
        zkServer.stop();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(node.get("/api/kv-stores").body().get(1).path("healthy").asBoolean()).isFalse());
        assertThat(node.get("/api/clusters").body().size()).isZero();
      }
    }
  }
}
