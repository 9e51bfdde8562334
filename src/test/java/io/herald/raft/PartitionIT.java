package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.FreePort;
import io.herald.testing.InProcessNode;
import io.herald.testing.TcpProxy;
import io.herald.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower is cut off (an in-test TCP proxy in front of its raft port is severed) while 1,000 changes are made
 * over 100 clusters, then healed: its own store (real ZooKeeper, under its own prefix, as one datacenter's store)
 * converges, and the catch-up writes each cluster at most once. Then again with the leader compacting its log, so
 * that the returning node is sent a snapshot.
 */
class PartitionIT {
  private static final int CLUSTERS = 100;
  private static final int ROUNDS = 10;
  @TempDir Path dir;
  private final List<InProcessNode> nodes = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();
  private String prefix;

  @AfterEach
  void stop() {
    for (InProcessNode n : nodes) n.close();
    for (TcpProxy p : proxies) p.close();
  }

  @Test
  void aFollowerCutOffCatchesUpFromTheLog() throws Exception {
    cutOffAndHeal(100_000);
  }

  @Test
  void aFollowerCutOffCatchesUpFromASnapshot() throws Exception {
    int returning = cutOffAndHeal(200);
    assertThat(nodes.get(returning).get("/api/raft-status").body().path("SnapshotsInstalled").asLong())
        .as("the leader compacted its log, so the returning node needed a snapshot").isPositive();
  }

  @Test
  void aNodeThatCannotReachAMajorityRefusesWritesInBoundedTime() throws Exception {
    startGroup(100_000, ", \"RaftWriteTimeoutSeconds\": 3");
    InProcessNode any = nodes.get(awaitLeader());
    assertThat(any.post("/api/set-master/maj1/127.0.0.1/3306").status()).isEqualTo(200);
    for (TcpProxy p : proxies) p.sever();
    for (InProcessNode n : nodes) {
      long t0 = System.nanoTime();
      InProcessNode.Reply r = n.post("/api/set-master/maj1/127.0.0.2/3306");
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(r.status()).as(r.text()).isEqualTo(503);
      assertThat(r.body().path("Code").asText()).isEqualTo("ERROR");
      assertThat(r.body().path("Message").asText()).contains("majority")
          .doesNotContain("RaftClientRequest").doesNotContainPattern("[0-9a-f]{40}"); // no request dump
      assertThat(r.body().path("Message").asText().length()).isLessThan(400);
      assertThat(took).isLessThan(Duration.ofSeconds(10));
    }
    for (TcpProxy p : proxies) p.restore();
    long healed = System.nanoTime();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
        .until(() -> any.post("/api/set-master/maj1/127.0.0.3/3306").status() == 200);
    System.out.println("partition healed: writes accepted again after " + (System.nanoTime() - healed) / 1_000_000 + " ms");
  }

  /** Runs the scenario; returns the index of the node that was cut off. */
  private int cutOffAndHeal(long autoSnapshotEntries) throws Exception {
    startGroup(autoSnapshotEntries, "");
    int leader = awaitLeader();
    int cut = (leader + 1) % 3;
    InProcessNode writer = nodes.get(leader);
    for (int k = 0; k < CLUSTERS; k++) {
      assertThat(writer.post("/api/set-master/p" + k + "/127.0.0." + (k + 1) + "/3306").status()).isEqualTo(200);
    }
    try (CuratorFramework zk = CuratorFrameworkFactory.newClient(TestServers.zookeeper(), new RetryOneTime(100))) {
      zk.start();
      String cutPrefix = "/" + prefix + "/n" + cut;
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
          zk.checkExists().forPath(cutPrefix + "/p" + (CLUSTERS - 1) + "/epoch") != null);

      proxies.get(cut).sever();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        for (int r = 1; r <= ROUNDS; r++) {
          List<Future<Integer>> acks = new ArrayList<>();
          for (int k = 0; k < CLUSTERS; k++) {
            String path = "/api/set-master/p" + k + "/127." + r + "." + (k / 200) + "." + (k % 200 + 1) + "/3306";
            acks.add(pool.submit(() -> writer.post(path).status()));
          }
          for (Future<Integer> a : acks) assertThat(a.get()).isEqualTo(200);
        }
      } finally {
        pool.shutdownNow();
      }
      Map<String, Integer> versionsBefore = new HashMap<>();
      for (int k = 0; k < CLUSTERS; k++) {
        versionsBefore.put("p" + k, zk.checkExists().forPath(cutPrefix + "/p" + k + "/epoch").getVersion());
      }
      assertThat(new String(zk.getData().forPath(cutPrefix + "/p7"))).isEqualTo("127.0.0.8:3306");

      // the leader shows how long the cut-off follower has been silent, and that the other one is not
      String cutAddress = nodes.get(cut).get("/api/raft-status").body().path("RaftAdvertise").asText();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode silence = writer.get("/api/raft-status").body().path("FollowerLastContactMillis");
        assertThat(silence.size()).isEqualTo(2);
        silence.fields().forEachRemaining(f -> {
          if (f.getKey().equals(cutAddress)) {
            assertThat(f.getValue().asLong()).as(f.getKey()).isGreaterThanOrEqualTo(5000);
          } else {
            assertThat(f.getValue().asLong()).as(f.getKey()).isLessThan(5000);
          }
        });
      });

      String line = writer.get("/metrics").text().lines()
          .filter(l -> l.startsWith("herald_raft_follower_silence_seconds{peer=\"" + cutAddress + "\"}"))
          .findFirst().orElseThrow();
      assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(5.0);

      long writtenBefore = written(nodes.get(cut));
      proxies.get(cut).restore();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
        for (int k = 0; k < CLUSTERS; k++) {
          assertThat(new String(zk.getData().forPath(cutPrefix + "/p" + k)))
              .isEqualTo("127." + ROUNDS + "." + (k / 200) + "." + (k % 200 + 1) + ":3306");
        }
      });
      await().atMost(Duration.ofSeconds(30)).until(() ->
          writer.get("/api/raft-status").body().path("FollowerLastContactMillis").path(cutAddress).asLong(), t -> t < 5000);
      for (int k = 0; k < CLUSTERS; k++) {
        Stat now = zk.checkExists().forPath(cutPrefix + "/p" + k + "/epoch");
        assertThat(now.getVersion() - versionsBefore.get("p" + k)).as("writes of p" + k + " by the catch-up; the "
            + "publisher wrote " + (written(nodes.get(cut)) - writtenBefore) + " clusters").isEqualTo(1);
      }
    }
    return cut;
  }

  /** Three nodes, each reached by its peers through its own proxy, each writing its own prefix in ZooKeeper. */
  private void startGroup(long autoSnapshotEntries, String extra) throws Exception {
    prefix = TestServers.uniquePrefix("part");
    int[] raft = new int[3];
    int[] advertised = new int[3];
    StringBuilder peers = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      raft[i] = FreePort.pick();
      advertised[i] = FreePort.pick();
      proxies.add(new TcpProxy(advertised[i], raft[i]));
      peers.append(i == 0 ? "" : ", ").append("\"127.0.0.1:").append(advertised[i]).append('"');
    }
    for (int i = 0; i < 3; i++) {
      nodes.add(InProcessNode.start(dir.resolve("d" + i), "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"127.0.0.1:" + raft[i]
          + "\", \"RaftAdvertise\": \"127.0.0.1:" + advertised[i] + "\", \"RaftNodes\": [" + peers
          + "], \"RaftAutoSnapshotEntries\": " + autoSnapshotEntries + ", \"RaftLogSegmentSizeKB\": 16, \"ZkAddress\": \"" + TestServers.zookeeper()
          + "\", \"KVClusterMasterPrefix\": \"" + prefix + "/n" + i + "\"" + extra));
    }
  }

  private static long written(InProcessNode node) {
    for (var st : node.get("/api/kv-stores").body()) if (st.path("name").asText().equals("zookeeper")) return st.path("written").asLong();
    return -1;
  }

  private int awaitLeader() {
    int[] leader = {-1};
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      for (int i = 0; i < 3; i++) if (nodes.get(i).get("/api/leader-check").status() == 200) leader[0] = i;
      return leader[0] >= 0;
    });
    return leader[0];
  }
}
