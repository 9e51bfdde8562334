package io.herald.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.HostPort;
import io.herald.testing.DiscoveryNodeConfig;
import io.herald.testing.InProcessNode;
import io.herald.testing.InProcessNode.Reply;
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
 * The discovery endpoints of a node that discovers the real cluster B (23316 <- 23317 <- 23318, chained) from its
 * leaf as seed: orchestrator's instance, cluster, topology and analysis shapes, the writes, and bad input.
 */
class DiscoveryApiIT {
  @TempDir static Path data;
  static InProcessNode node;
  static final List<HostPort> B = TestServers.mariaDbClusterB();
  static final String ALIAS = "chain" + Long.toString(System.nanoTime(), 36);

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start(data, DiscoveryNodeConfig.of(B.get(2), ALIAS));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(node.get("/api/master/" + ALIAS).body().path("Key").path("Port").asInt()).isEqualTo(B.get(0).port());
      assertThat(node.get("/api/cluster/" + ALIAS).body()).hasSize(3);
    });
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static String key(JsonNode k) {
    return k.path("Hostname").asText() + ":" + k.path("Port").asInt();
  }

  static JsonNode byPort(JsonNode instances, int port) {
    for (JsonNode i : instances) if (i.path("Key").path("Port").asInt() == port) return i;
    throw new AssertionError("no instance with port " + port + " in " + instances);
  }

  private static void assertError(Reply r, int status, String mentions) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.body()).as(r.text()).isNotNull();
    assertThat(r.body().path("Code").asText()).isEqualTo("ERROR");
    assertThat(r.body().path("Message").asText()).containsIgnoringCase(mentions);
    assertThat(r.body().get("Details").isNull()).isTrue();
  }

  @Test
  void theClusterListsItsThreeInstancesWithTheirMasterChain() {
    JsonNode cluster = node.get("/api/cluster/" + ALIAS).body();
    List<Integer> ports = new ArrayList<>();
    for (JsonNode i : cluster) ports.add(i.path("Key").path("Port").asInt());
    assertThat(ports).containsExactlyInAnyOrder(B.get(0).port(), B.get(1).port(), B.get(2).port());
    JsonNode master = byPort(cluster, B.get(0).port());
    JsonNode middle = byPort(cluster, B.get(1).port());
    JsonNode leaf = byPort(cluster, B.get(2).port());
    assertThat(master.path("MasterKey").path("Hostname").asText()).isEmpty();
    assertThat(master.path("MasterKey").path("Port").asInt()).isZero();
    assertThat(key(middle.path("MasterKey"))).isEqualTo(B.get(0).toString());
    assertThat(key(leaf.path("MasterKey"))).isEqualTo(B.get(1).toString());
    assertThat(master.path("ReadOnly").asBoolean()).isFalse();
    assertThat(middle.path("ReadOnly").asBoolean()).isTrue();
    for (JsonNode i : cluster) {
      assertThat(i.path("ClusterName").asText()).isEqualTo(B.get(0).toString());
      assertThat(i.path("SuggestedClusterAlias").asText()).isEqualTo(ALIAS);
      assertThat(i.path("IsLastCheckValid").asBoolean()).isTrue();
      assertThat(i.path("ServerID").asLong()).isPositive();
      assertThat(i.path("Version").asText()).containsIgnoringCase("MariaDB");
      assertThat(i.path("LastSeen").asText()).isNotBlank();
    }
    assertThat(cluster.findValues("ServerID").stream().map(JsonNode::asLong).distinct()).hasSize(3);
    // the same hint works as the cluster name and as any member's host:port
    assertThat(node.get("/api/cluster/" + B.get(0)).body()).hasSize(3);
    assertThat(node.get("/api/cluster/" + B.get(2)).body()).hasSize(3);
  }

  @Test
  void theChainedReplicaShowsItsIntermediateMasterAndReplicationFacts() {
    JsonNode leaf = node.get("/api/instance/" + B.get(2).host() + "/" + B.get(2).port()).body();
    assertThat(key(leaf.path("Key"))).isEqualTo(B.get(2).toString());
    assertThat(key(leaf.path("MasterKey"))).isEqualTo(B.get(1).toString());
    assertThat(leaf.path("ReplicationIOThreadRuning").asBoolean()).isTrue();
    assertThat(leaf.path("ReplicationSQLThreadRuning").asBoolean()).isTrue();
    assertThat(leaf.path("LastIOError").asText()).isEmpty();
    assertThat(leaf.path("LastSQLError").asText()).isEmpty();
    assertThat(leaf.path("SecondsBehindMaster").path("Valid").asBoolean()).isTrue();
    assertThat(leaf.path("SecondsBehindMaster").path("Int64").isIntegralNumber()).isTrue();
    assertThat(leaf.path("SQLDelay").asLong()).isZero();
    assertThat(leaf.path("UsingMariaDBGTID").asBoolean()).isTrue();
    assertThat(leaf.path("GtidIOPos").asText()).matches("\\d+-\\d+-\\d+(,\\d+-\\d+-\\d+)*");
    assertThat(leaf.path("GtidSlavePos").asText()).isNotBlank();
    assertThat(leaf.path("ReplicationDepth").asInt()).isEqualTo(2);
    assertThat(leaf.path("Replicas")).isEmpty();
    assertThat(leaf.path("Problems").isArray()).isTrue();
    assertThat(leaf.path("Binlog_format").asText()).isNotBlank();
    JsonNode middle = node.get("/api/instance/" + B.get(1).host() + "/" + B.get(1).port()).body();
    assertThat(middle.path("LogReplicationUpdatesEnabled").asBoolean()).as("intermediate masters log updates")
        .isTrue();
    assertThat(middle.path("Replicas").toString()).contains("\"Port\":" + B.get(2).port());
    JsonNode master = node.get("/api/instance/" + B.get(0).host() + "/" + B.get(0).port()).body();
    assertThat(master.path("ReplicationIOThreadRuning").asBoolean()).isFalse();
    assertThat(master.path("SecondsBehindMaster").path("Valid").asBoolean()).isFalse();
    assertThat(master.path("LogBinEnabled").asBoolean()).isTrue();
    assertThat(master.path("ExecutedGtidSet").asText()).isNotBlank();
    assertThat(master.path("ReplicationDepth").asInt()).isZero();
  }

  @Test
  void instanceReplicasAreTheDirectReplicasOnly() {
    JsonNode ofMaster = node.get("/api/instance-replicas/" + B.get(0).host() + "/" + B.get(0).port()).body();
    assertThat(ofMaster).hasSize(1);
    assertThat(key(ofMaster.get(0).path("Key"))).isEqualTo(B.get(1).toString());
    assertThat(key(ofMaster.get(0).path("MasterKey"))).isEqualTo(B.get(0).toString());
    assertThat(node.get("/api/instance-replicas/" + B.get(2).host() + "/" + B.get(2).port()).body()).isEmpty();
  }

  @Test
  void topologyIsAnIndentedTreeInDetails() {
    Reply r = node.get("/api/topology/" + ALIAS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("Code").asText()).isEqualTo("OK");
    assertThat(r.body().path("Message").asText()).contains(ALIAS);
    List<String> lines = r.body().path("Details").asText().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith(B.get(0) + " ").contains(",rw,");
    assertThat(lines.get(1)).startsWith("+ " + B.get(1) + " ").contains(",ro,");
    assertThat(lines.get(2)).startsWith("  + " + B.get(2) + " ").contains(",ro,");
    // the same tree by any member
    assertThat(node.get("/api/topology/" + B.get(1)).body().path("Details").asText())
        .isEqualTo(r.body().path("Details").asText());
  }

  @Test
  void replicationAnalysisSaysNoProblemForTheChain() {
    Reply r = node.get("/api/replication-analysis");
    assertThat(r.body().path("Code").asText()).isEqualTo("OK");
    JsonNode entry = null;
    for (JsonNode a : r.body().path("Details")) {
      if (a.path("ClusterDetails").path("ClusterAlias").asText().equals(ALIAS)) entry = a;
    }
    assertThat(entry).as(r.text()).isNotNull();
    assertThat(entry.path("Analysis").asText()).isEqualTo("NoProblem");
    // orchestrator-client's replication-analysis prints StructureAnalysis[0] for a NoProblem cluster
    assertThat(entry.path("StructureAnalysis").get(0).asText()).isNotBlank();
    assertThat(key(entry.path("AnalyzedInstanceKey"))).isEqualTo(B.get(0).toString());
    assertThat(entry.path("ClusterDetails").path("ClusterName").asText()).isEqualTo(B.get(0).toString());
    assertThat(entry.path("ClusterDetails").path("CountInstances").asInt()).isEqualTo(3);
    assertThat(entry.path("CountReplicas").asInt()).as("direct replicas of the master").isEqualTo(1);
    assertThat(entry.path("CountValidReplicas").asInt()).isEqualTo(1);
    assertThat(entry.path("CountReplicatingReplicas").asInt()).isEqualTo(1);
    assertThat(entry.path("CountValidReplicatingReplicas").asInt()).isEqualTo(1);
    assertThat(entry.path("StructureProblems")).isEmpty();
    assertThat(entry.path("Problems")).as(entry.toString()).isEmpty();
    assertThat(entry.path("Publishable").asBoolean()).isTrue();
    assertThat(entry.path("Description").asText()).contains("NoProblem");
    JsonNode one = node.get("/api/replication-analysis/" + B.get(2)).body().path("Details");
    assertThat(one).hasSize(1);
    assertThat(one.get(0).path("Analysis").asText()).isEqualTo("NoProblem");
  }

  @Test
  void allInstancesAndClusterListsCountTheDiscoveredCluster() {
    List<String> all = new ArrayList<>();
    for (JsonNode i : node.get("/api/all-instances").body()) all.add(key(i.path("Key")));
    assertThat(all).contains(B.get(0).toString(), B.get(1).toString(), B.get(2).toString());
    JsonNode info = node.get("/api/cluster-info/" + ALIAS).body();
    assertThat(info.path("ClusterName").asText()).isEqualTo(B.get(0).toString());
    assertThat(info.path("ClusterAlias").asText()).isEqualTo(ALIAS);
    assertThat(info.path("CountInstances").asInt()).isEqualTo(3);
    assertThat(info.path("Origin").asText()).isEqualTo("discovered");
    assertThat(info.path("Epoch").asLong()).isPositive();
    assertThat(node.get("/api/cluster-info/" + B.get(2)).body().path("ClusterAlias").asText()).isEqualTo(ALIAS);
    JsonNode listed = ApiIT.find(node.get("/api/clusters-info").body(), "ClusterAlias", ALIAS);
    assertThat(listed.path("CountInstances").asInt()).isEqualTo(3);
    JsonNode master = ApiIT.find(node.get("/api/masters").body(), "SuggestedClusterAlias", ALIAS);
    assertThat(key(master.path("Key"))).isEqualTo(B.get(0).toString());
    assertThat(master.path("ServerID").asLong()).as("the full instance shape").isPositive();
    assertThat(node.get("/api/clusters").body().toString()).contains("\"" + B.get(0) + "\"");
    assertThat(node.get("/api/master/" + B.get(1)).body().path("Key").path("Port").asInt()).isEqualTo(B.get(0).port());
  }

  @Test
  void discoverAnswersWithTheInstanceAndSeedsIt() {
    Reply r = node.get("/api/discover/" + B.get(1).host() + "/" + B.get(1).port());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.body().path("Code").asText()).isEqualTo("OK");
    assertThat(r.body().path("Message").asText()).isEqualTo("Instance discovered: " + B.get(1));
    assertThat(key(r.body().path("Details").path("Key"))).isEqualTo(B.get(1).toString());
    assertThat(key(r.body().path("Details").path("MasterKey"))).isEqualTo(B.get(0).toString());
    assertThat(node.get("/api/seeds").body().path("Seeds").toString()).contains("\"Port\":" + B.get(1).port());
  }

  @Test
  void anUnreachableSeedIsReportedThenForgottenAndGone() {
    HostPort dead = new HostPort("127.0.0.1", 24597); // nothing listens there
    Reply r = node.post("/api/discover/127.0.0.1/" + dead.port());
    assertThat(r.status()).as(r.text()).isEqualTo(502);
    assertThat(r.body().path("Code").asText()).isEqualTo("ERROR");
    assertThat(r.body().path("Message").asText()).contains("is seeded, but it cannot be read").contains("UNREACHABLE");
    assertThat(r.body().path("Details").path("IsLastCheckValid").asBoolean()).isFalse();
    assertThat(r.body().path("Details").path("Problems").toString()).contains("UNREACHABLE");
    assertThat(node.get("/api/instance/127.0.0.1/" + dead.port()).status()).isEqualTo(200);
    assertThat(node.get("/api/seeds").body().path("Seeds").toString()).contains("\"Port\":" + dead.port());
    assertThat(node.get("/api/seeds").body().path("Probed").toString()).contains("\"Port\":" + dead.port())
        .contains("\"Port\":" + B.get(0).port());

    Reply f = node.post("/api/forget/127.0.0.1/" + dead.port());
    assertThat(f.status()).as(f.text()).isEqualTo(200);
    assertThat(f.body().path("Message").asText()).isEqualTo("Instance forgotten: " + dead);
    JsonNode seeds = node.get("/api/seeds").body();
    assertThat(seeds.path("Seeds").toString()).doesNotContain("\"Port\":" + dead.port());
    assertThat(seeds.path("Forgotten").toString()).contains("\"Port\":" + dead.port());
    // no neighbour leads back to it: it leaves this node's instances for good
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(node.get("/api/all-instances").text()).doesNotContain("\"Port\":" + dead.port());
      assertThat(node.get("/api/seeds").body().path("Probed").toString()).doesNotContain("\"Port\":" + dead.port());
      assertThat(node.get("/api/instance/127.0.0.1/" + dead.port()).status()).isEqualTo(404);
    });
  }

  @Test
  void forgetClusterForgetsEveryMember() {
    HostPort dead = new HostPort("127.0.0.1", 24598);
    node.get("/api/discover/127.0.0.1/" + dead.port());
    Reply r = node.get("/api/forget-cluster/" + dead);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.body().path("Message").asText()).isEqualTo("Forgot 1 instances of cluster " + dead);
    assertThat(r.body().path("Details").toString()).isEqualTo("[{\"Hostname\":\"127.0.0.1\",\"Port\":24598}]");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertError(node.get("/api/cluster/" + dead), 404, "unknown cluster"));
  }

  @Test
  void forgettingAClusterMemberCommitsAndItsNeighboursKeepTheClusterWhole() {
    HostPort leaf = B.get(2);
    Reply f = node.get("/api/forget/" + leaf.host() + "/" + leaf.port());
    assertThat(f.status()).as(f.text()).isEqualTo(200);
    assertThat(key(f.body().path("Details"))).isEqualTo(leaf.toString());
    JsonNode seeds = node.get("/api/seeds").body();
    assertThat(seeds.path("Seeds").toString()).doesNotContain("\"Port\":" + leaf.port());
    assertThat(seeds.path("Forgotten").toString()).contains("\"Port\":" + leaf.port());
    // as in orchestrator, its source still lists it as a replica, so crawling may find it again at any time: what is
    // certain is that the cluster is whole again within a few rounds, the leaf under its intermediate master
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(node.get("/api/cluster/" + ALIAS).body()).hasSize(3);
      assertThat(key(node.get("/api/instance/" + leaf.host() + "/" + leaf.port()).body().path("MasterKey")))
          .isEqualTo(B.get(1).toString());
    });
    // seeding it again takes it off the forgotten list
    assertThat(node.get("/api/discover/" + leaf.host() + "/" + leaf.port()).status()).isEqualTo(200);
    seeds = node.get("/api/seeds").body();
    assertThat(seeds.path("Forgotten").toString()).doesNotContain("\"Port\":" + leaf.port());
    assertThat(seeds.path("Seeds").toString()).contains("\"Port\":" + leaf.port());
  }

  @Test
  void badAndUnknownInputIsAnsweredInJson() {
    assertError(node.get("/api/instance/127.0.0.1/23499"), 404, "unknown instance");
    assertError(node.get("/api/instance/127.0.0.1/99999"), 400, "port");
    assertError(node.get("/api/instance/127.0.0.1/abc"), 400, "port");
    assertError(node.get("/api/instance/127.0.0.1/0"), 400, "port");
    assertError(node.get("/api/instance/db..example.com/3306"), 400, "host");
    assertError(node.get("/api/instance-replicas/127.0.0.1/23499"), 404, "unknown instance");
    assertError(node.get("/api/instance-replicas/127.0.0.1/x1"), 400, "port");
    for (String p : List.of("/api/cluster/", "/api/topology/", "/api/cluster-info/", "/api/replication-analysis/",
        "/api/master/", "/api/forget-cluster/")) {
      assertError(node.get(p + "nosuch-cluster"), 404, "unknown cluster");
      assertError(node.get(p + "127.0.0.1:23499"), 404, "unknown cluster");
    }
    assertError(node.get("/api/discover/127.0.0.1/abc"), 400, "port");
    assertError(node.get("/api/discover/-bad/3306"), 400, "host");
    assertError(node.get("/api/forget/127.0.0.1/65536"), 400, "port");
    assertError(node.get("/api/adopt-cluster/bad%20alias"), 400, "alias");
    assertError(node.get("/api/adopt-cluster/nosuch-cluster"), 404, "unknown cluster");
    assertError(node.get("/api/instance/127.0.0.1"), 404, "no such endpoint");
  }
}
