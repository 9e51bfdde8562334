package io.herald.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.HostPort;
import io.herald.testing.FreePort;
import io.herald.testing.InProcessNode;
import io.herald.testing.MariaDbLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery in a 3-node group: a discover sent to a follower reaches every node, and every node probes every
 * instance; a node restarted keeps the group's seeds and the cluster's alias; forgetting a whole cluster drops it
 * from every node for good.
 */
class DiscoveryGroupIT {
  @TempDir Path dir;

  @Test
  void everyNodeProbesWhatOneNodeWasAskedToDiscoverAndKeepsItAcrossARestart() throws Exception {
    int[] raft = {FreePort.pick(), FreePort.pick(), FreePort.pick()};
    String peers = "\"127.0.0.1:" + raft[0] + "\", \"127.0.0.1:" + raft[1] + "\", \"127.0.0.1:" + raft[2] + "\"";
    List<InProcessNode> nodes = new ArrayList<>();
    try (MariaDbLab lab = MariaDbLab.start(24700, 3, "2->1, 3->1")) {
      Set<HostPort> all = Set.copyOf(lab.addresses());
      for (int i = 0; i < 3; i++) nodes.add(InProcessNode.start(dir.resolve("d" + i), config(raft[i], peers, lab)));
      await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().filter(n -> n.get("/api/leader-check").status() == 200).count() == 1);
      int follower = nodes.get(0).get("/api/leader-check").status() == 200 ? 1 : 0;
      HostPort seed = lab.address(2);
      assertThat(nodes.get(follower).post("/api/discover/" + seed.host() + "/" + seed.port()).status()).isEqualTo(200);
      for (InProcessNode n : nodes) {
        await().atMost(Duration.ofSeconds(15)).until(() -> n.discovery().known().containsAll(all));
        await().atMost(Duration.ofSeconds(15)).until(() -> n.get("/api/master/grp").status() == 200);
        assertThat(n.get("/api/master/grp").body().path("Key").path("Port").asInt()).isEqualTo(lab.address(1).port());
      }
      // a restarted node probes the group's seeds again and sees the cluster under its alias
      int restarted = (follower + 1) % 3;
      nodes.get(restarted).close();
      nodes.set(restarted, InProcessNode.start(dir.resolve("d" + restarted), config(raft[restarted], peers, lab)));
      InProcessNode again = nodes.get(restarted);
      await().atMost(Duration.ofSeconds(20)).until(() -> again.discovery().known().containsAll(all));
      await().atMost(Duration.ofSeconds(20)).until(() -> again.discovery().view().aliasOf(lab.address(3)).orElse("").equals("grp"));

      // forgetting the whole cluster: every node drops every instance, and nothing crawls back to them
      assertThat(nodes.get(follower).post("/api/forget-cluster/grp").status()).isEqualTo(200);
      for (InProcessNode n : nodes) await().atMost(Duration.ofSeconds(10)).until(() -> n.discovery().known().isEmpty());
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
          .until(() -> nodes.stream().allMatch(n -> n.discovery().known().isEmpty()));
      assertThat(nodes.get(0).get("/api/master/grp").status()).as("forgetting instances unpublishes nothing").isEqualTo(200);
    } finally {
      for (InProcessNode n : nodes) n.close();
    }
  }

  private static String config(int raftPort, String peers, MariaDbLab lab) {
    return "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"127.0.0.1:" + raftPort
        + "\", \"RaftNodes\": [" + peers + "], \"MySQLTopologyUser\": \"herald\", \"MySQLTopologyPassword\": \""
        + lab.password(MariaDbLab.Login.HERALD).value() + "\", \"InstancePollSeconds\": 1, "
        + "\"DetectClusterAliasQuery\": \"SELECT 'grp'\"";
  }
}
