package io.herald.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.HostPort;
import io.herald.testing.FreePort;
import io.herald.testing.InProcessNode;
import io.herald.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node group with discovery on every node and no configured seeds: a {@code discover} sent to a follower seeds
 * the whole group, so every node finds the chained cluster B and answers for it; a {@code forget} sent to another
 * follower leaves every node's seed list.
 */
class GroupDiscoveryApiIT {
  @TempDir static Path dir;
  static final List<InProcessNode> nodes = new ArrayList<>();
  static final List<HostPort> B = TestServers.mariaDbClusterB();
  static final String ALIAS = "group" + Long.toString(System.nanoTime(), 36);

  @BeforeAll
  static void startGroup() throws Exception {
    int[] raft = {FreePort.pick(), FreePort.pick(), FreePort.pick()};
    String peers = "\"127.0.0.1:" + raft[0] + "\", \"127.0.0.1:" + raft[1] + "\", \"127.0.0.1:" + raft[2] + "\"";
    List<Thread> starting = new ArrayList<>();
    List<Exception> failed = new ArrayList<>();
    InProcessNode[] started = new InProcessNode[3];
    for (int i = 0; i < 3; i++) {
      int n = i;
      String cfg = "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"127.0.0.1:" + raft[i]
          + "\", \"RaftNodes\": [" + peers + "], \"MySQLTopologyUser\": \"" + TestServers.mariaDbUser()
          + "\", \"MySQLTopologyPassword\": \"" + TestServers.mariaDbPassword().value()
          + "\", \"InstancePollSeconds\": 1, \"DetectClusterAliasQuery\": \"SELECT '" + ALIAS + "'\"";
      // a node's start waits for its group: start all three at once
      Thread t = new Thread(() -> {
        try {
          started[n] = InProcessNode.start(dir.resolve("n" + n), cfg);
        } catch (Exception e) {
          synchronized (failed) {
            failed.add(e);
          }
        }
      }, "start-n" + n);
      t.start();
      starting.add(t);
    }
    for (Thread t : starting) t.join(60_000);
    for (InProcessNode n : started) if (n != null) nodes.add(n);
    if (!failed.isEmpty()) throw failed.get(0);
    assertThat(nodes).hasSize(3);
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().anyMatch(GroupDiscoveryApiIT::leads));
  }

  @AfterAll
  static void stopGroup() {
    for (InProcessNode n : nodes) n.close();
  }

  static boolean leads(InProcessNode n) {
    return n.get("/api/leader-check").status() == 200;
  }

  static List<InProcessNode> followers() {
    return nodes.stream().filter(n -> !leads(n)).toList();
  }

  @Test
  void aDiscoverThroughAFollowerSeedsTheGroupAndEveryNodeProbes() {
    List<InProcessNode> followers = followers();
    assertThat(followers).hasSize(2);
    HostPort leaf = B.get(2);
    InProcessNode.Reply r = followers.get(0).get("/api/discover/" + leaf.host() + "/" + leaf.port());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.body().path("Details").path("Key").path("Port").asInt()).isEqualTo(leaf.port());
    for (InProcessNode n : nodes) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(n.get("/api/seeds").body().path("Seeds").toString()).contains("\"Port\":" + leaf.port());
        JsonNode cluster = n.get("/api/cluster/" + ALIAS).body();
        assertThat(cluster).hasSize(3);
        assertThat(n.get("/api/master/" + ALIAS).body().path("Key").path("Port").asInt()).isEqualTo(B.get(0).port());
        assertThat(n.get("/api/instance/" + leaf.host() + "/" + leaf.port()).body().path("MasterKey").path("Port")
            .asInt()).isEqualTo(B.get(1).port());
      });
    }

    InProcessNode.Reply f = followers.get(1).post("/api/forget/" + leaf.host() + "/" + leaf.port());
    assertThat(f.status()).as(f.text()).isEqualTo(200);
    for (InProcessNode n : nodes) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode seeds = n.get("/api/seeds").body();
        assertThat(seeds.path("Seeds").toString()).doesNotContain("\"Port\":" + leaf.port());
        assertThat(seeds.path("Forgotten").toString()).contains("\"Port\":" + leaf.port());
      });
    }
  }
}
