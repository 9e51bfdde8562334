package io.herald.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.InProcessNode;
import io.herald.testing.InProcessNode.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of one running node (internal store only), with orchestrator's response shapes and bad input. */
class ApiIT {
  @TempDir static Path data;
  static InProcessNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start(data, "");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static void assertError(Reply r, int status) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.body().path("Code").asText()).isEqualTo("ERROR");
    assertThat(r.body().path("Message").asText()).isNotBlank();
    assertThat(r.body().has("Details")).isTrue();
    assertThat(r.body().get("Details").isNull()).isTrue();
  }

  @Test
  void setMasterThenSubmitAnswersInOrchestratorsShape() {
    Reply set = node.post("/api/set-master/shape1/127.0.0.11/3306");
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    assertThat(set.body().path("Code").asText()).isEqualTo("OK");
    long epoch = set.body().path("Details").path("Epoch").asLong();
    assertThat(epoch).isPositive();

    Reply r = node.get("/api/submit-masters-to-kv-stores/shape1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().path("Code").asText()).isEqualTo("OK");
    assertThat(r.body().path("Message").asText()).isEqualTo("Submitted 1 masters");
    List<String> pairs = new ArrayList<>();
    for (JsonNode kv : r.body().path("Details")) pairs.add(kv.path("Key").asText() + "=" + kv.path("Value").asText());
    assertThat(pairs).containsExactly(
        "mysql/master/shape1=127.0.0.11:3306", "mysql/master/shape1/hostname=127.0.0.11",
        "mysql/master/shape1/port=3306", "mysql/master/shape1/ipv4=127.0.0.11", "mysql/master/shape1/ipv6=");
    // a trailing slash is accepted
    assertThat(node.get("/api/submit-masters-to-kv-stores/shape1/").body().path("Code").asText()).isEqualTo("OK");
  }

  @Test
  void theInternalStoreServesTheKeysAfterPublishing() {
    node.post("/api/set-master/internal1/127.0.0.12/3307");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Reply r = node.get("/api/kv/mysql/master/internal1/port");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body().path("Value").asText()).isEqualTo("3307");
    });
    assertError(node.get("/api/kv/mysql/master/nosuch-internal"), 404);
  }

  @Test
  void aFailoverGetsANewerEpochAndOverwrites() {
    long first = node.post("/api/set-master/fo1/127.0.0.13/3306").body().path("Details").path("Epoch").asLong();
    Reply second = node.post("/api/set-master/fo1/127.0.0.14/3306");
    assertThat(second.body().path("Details").path("Epoch").asLong()).isGreaterThan(first);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(node.get("/api/kv/mysql/master/fo1").body().path("Value").asText()).isEqualTo("127.0.0.14:3306"));
    // the old master's address is free again for another cluster
    assertThat(node.post("/api/set-master/fo2/127.0.0.13/3306").status()).isEqualTo(200);
  }

  @Test
  void submitAllCountsMasters() {
    node.post("/api/set-master/all1/127.0.0.15/3306");
    node.post("/api/set-master/all2/127.0.0.16/3306");
    Reply r = node.get("/api/submit-masters-to-kv-stores");
    int clusters = node.get("/api/clusters").body().size();
    assertThat(r.body().path("Message").asText()).isEqualTo("Submitted " + clusters + " masters");
    assertThat(r.body().path("Details").size()).isEqualTo(clusters * 5);
  }

  @Test
  void badAndUnknownInputIsRefusedWithClearErrors() {
    assertError(node.get("/api/submit-masters-to-kv-stores/nosuch-cluster"), 404);
    assertError(node.post("/api/set-master/bad%20alias/127.0.0.1/3306"), 400);
    assertError(node.post("/api/set-master/" + "a".repeat(129) + "/127.0.0.1/3306"), 400);
    assertError(node.post("/api/set-master/okalias/127.0.0.1/99999"), 400);
    assertError(node.post("/api/set-master/okalias/127.0.0.1/abc"), 400);
    assertError(node.post("/api/set-master/okalias/127.0.0.1/0"), 400);
    assertError(node.post("/api/set-master/okalias/127.0.0.1/+3306"), 400);
    assertError(node.post("/api/set-master/okalias/db..example.com/3306"), 400);
    assertError(node.post("/api/set-master/okalias/-db1/3306"), 400);
    assertError(node.post("/api/set-master/okalias/g::1/3306"), 400);
    assertError(node.get("/api/master/nosuch-cluster"), 404);
    assertError(node.get("/api/no-such-endpoint"), 404);
    assertThat(node.get("/api/clusters-info").text()).doesNotContain("okalias");
  }

  @Test
  void oneServerCannotBeTheMasterOfTwoClusters() {
    node.post("/api/set-master/dup1/127.0.0.17/3306");
    Reply r = node.post("/api/set-master/dup2/127.0.0.17/3306");
    assertError(r, 409);
    assertThat(r.body().path("Message").asText()).contains("dup1");
    assertError(node.get("/api/master/dup2"), 404);
  }

  @Test
  void readEndpointsAnswerInOrchestratorsShape() {
    node.post("/api/set-master/read1/127.0.0.18/3310");
    JsonNode info = find(node.get("/api/clusters-info").body(), "ClusterAlias", "read1");
    assertThat(info.path("ClusterName").asText()).isEqualTo("127.0.0.18:3310");
    assertThat(node.get("/api/clusters").body().toString()).contains("\"127.0.0.18:3310\"");
    JsonNode master = node.get("/api/master/read1").body();
    assertThat(master.path("Key").path("Hostname").asText()).isEqualTo("127.0.0.18");
    assertThat(master.path("Key").path("Port").asInt()).isEqualTo(3310);
    // a cluster hint may also be the cluster name
    assertThat(node.get("/api/master/127.0.0.18:3310").body().path("SuggestedClusterAlias").asText()).isEqualTo("read1");
    JsonNode masters = node.get("/api/masters").body();
    assertThat(masters.isArray()).isTrue();
    assertThat(masters.toString()).contains("\"Hostname\":\"127.0.0.18\"");
  }

  @Test
  void statusEndpointsDescribeStoresRaftAndMetrics() {
    node.post("/api/set-master/status1/127.0.0.19/3306");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode stores = node.get("/api/kv-stores").body();
      JsonNode internal = find(stores, "name", "internal");
      assertThat(internal.path("healthy").asBoolean()).isTrue();
      assertThat(internal.path("pending").asInt()).isZero();
      assertThat(internal.path("lastSuccess").asText()).isNotBlank();
    });
    assertThat(node.get("/api/health").status()).isEqualTo(200);
    assertThat(node.get("/api/leader-check").status()).isEqualTo(200);
    assertThat(node.get("/api/raft-state").body().asText()).isEqualTo("Leader");
    assertThat(node.get("/api/raft-health").body().asText()).isEqualTo("healthy");
    // a standalone node's raft port takes only its own process: TLS with a certificate made in memory
    assertThat(node.get("/api/raft-status").body().path("RaftTLS").asBoolean()).isTrue();
    assertThat(node.get("/api/raft-status").body().path("RaftTransport").asText()).isEqualTo("LOCAL_TLS");
    String metrics = node.get("/metrics").text();
    // promtool check metrics wants a HELP line for every metric: every TYPE line has one with text
    for (String type : metrics.lines().filter(l -> l.startsWith("# TYPE ")).toList()) {
      String name = type.split(" ")[2];
      assertThat(metrics.lines().anyMatch(l -> l.startsWith("# HELP " + name + " ") && l.length() > ("# HELP " + name + " ").length()))
          .as("HELP for %s", name).isTrue();
    }
    assertThat(metrics).contains("herald_publish_seconds_count{store=\"internal\"}")
        .contains("herald_store_pending{store=\"internal\"}").contains("herald_store_healthy{store=\"internal\"} 1")
        .contains("herald_raft_leader 1").contains("herald_raft_healthy 1").contains("herald_raft_insecure_transport 0");
    long applied = node.get("/api/raft-status").body().path("AppliedIndex").asLong();
    assertThat(metrics).containsPattern("(?m)^herald_raft_applied_index \\d");
    assertThat(Double.parseDouble(metrics.lines().filter(l -> l.startsWith("herald_raft_applied_index "))
        .findFirst().orElseThrow().split(" ")[1])).isPositive().isLessThanOrEqualTo(applied);
  }

  @Test
  void aSnapshotCanBeTakenOnRequest() {
    node.post("/api/set-master/snap1/127.0.0.20/3306");
    Reply r = node.post("/api/raft-snapshot");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    long index = r.body().path("Details").asLong();
    assertThat(index).isPositive();
    assertThat(node.get("/api/raft-status").body().path("SnapshotIndex").asLong()).isGreaterThanOrEqualTo(index);
  }

  /** What orchestrator-client reads for each command this API serves (its jq filters), checked field by field. */
  @Test
  void orchestratorClientFindsTheFieldsItReads() {
    node.post("/api/set-master/oc1/127.0.0.21/3306");
    // submit-masters-to-kv-stores without -alias calls ".../submit-masters-to-kv-stores/" (trailing slash)
    JsonNode submit = node.get("/api/submit-masters-to-kv-stores/").body();
    assertThat(submit.path("Code").asText()).isEqualTo("OK");
    assertThat(submit.path("Details").toString()).contains("{\"Key\":\"mysql/master/oc1\",\"Value\":\"127.0.0.21:3306\"}");
    // which-cluster-master: master/<alias> | .ClusterName ; which-cluster / which-cluster-alias: cluster-info/<alias>
    assertThat(node.get("/api/master/oc1").body().path("ClusterName").asText()).isEqualTo("127.0.0.21:3306");
    JsonNode clusterInfo = node.get("/api/cluster-info/oc1").body();
    assertThat(clusterInfo.path("ClusterName").asText() + "," + clusterInfo.path("ClusterAlias").asText())
        .isEqualTo("127.0.0.21:3306,oc1");
    // clusters-alias: clusters-info | .[] | (.ClusterName + "," + .ClusterAlias)
    JsonNode info = find(node.get("/api/clusters-info").body(), "ClusterAlias", "oc1");
    assertThat(info.path("ClusterName").asText()).isEqualTo("127.0.0.21:3306");
    // all-clusters-masters: masters | .[] | .Key | (.Hostname + ":" + (.Port | tostring))
    JsonNode key = find(node.get("/api/masters").body(), "SuggestedClusterAlias", "oc1").path("Key");
    assertThat(key.path("Hostname").asText() + ":" + key.path("Port").asInt()).isEqualTo("127.0.0.21:3306");
    // raft-leader: raft-state must say Leader, then raft-leader is a JSON string; raft-health likewise
    assertThat(node.get("/api/raft-state").body().isTextual()).isTrue();
    assertThat(node.get("/api/raft-leader").body().asText()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(node.get("/api/raft-health").body().isTextual()).isTrue();
  }

  /** Without MySQLTopologyUser: lists are empty, questions about one instance or cluster say discovery is off. */
  @Test
  void withDiscoveryOffTheDiscoveryEndpointsSaySo() {
    node.post("/api/set-master/off1/127.0.0.22/3306");
    assertThat(node.get("/api/all-instances").body().isArray()).isTrue();
    assertThat(node.get("/api/all-instances").body()).isEmpty();
    Reply analysis = node.get("/api/replication-analysis");
    assertThat(analysis.body().path("Code").asText()).isEqualTo("OK");
    assertThat(analysis.body().path("Details")).isEmpty();
    assertThat(analysis.body().path("Message").asText()).contains("discovery is off");
    for (String p : List.of("/api/instance/127.0.0.22/3306", "/api/instance-replicas/127.0.0.22/3306",
        "/api/cluster/off1", "/api/topology/off1", "/api/replication-analysis/off1", "/api/discover/127.0.0.22/3306",
        "/api/forget-cluster/off1")) {
      Reply r = node.get(p);
      assertError(r, 404);
      assertThat(r.body().path("Message").asText()).as(p).contains("discovery is off").contains("MySQLTopologyUser");
    }
    // bad input is still bad input; an unknown cluster is still unknown
    assertError(node.get("/api/instance/127.0.0.22/abc"), 400);
    assertThat(node.get("/api/topology/nosuch-off").body().path("Message").asText()).contains("unknown cluster");
    // a declared cluster's info counts its master only
    JsonNode info = node.get("/api/cluster-info/off1").body();
    assertThat(info.path("CountInstances").asInt()).isEqualTo(1);
    assertThat(info.path("Origin").asText()).isEqualTo("declared");
    // the group's own state can still change here: forget and adopt need no local discovery
    assertThat(node.get("/api/forget/127.0.0.22/3306").status()).isEqualTo(200);
    Reply adopt = node.post("/api/adopt-cluster/off1");
    assertThat(adopt.status()).as(adopt.text()).isEqualTo(200);
    assertThat(adopt.body().path("Details").path("Origin").asText()).isEqualTo("discovered");
    assertThat(node.get("/api/cluster-info/off1").body().path("Origin").asText()).isEqualTo("discovered");
    assertError(node.post("/api/adopt-cluster/nosuch-off"), 404);
  }

  /** Requests Jetty refuses before routing answer in Herald's JSON error shape, with a 4xx, never an HTML page. */
  @Test
  void malformedRequestsGetJsonErrors() {
    for (String p : List.of("/api/kv/a%00b", "/api/kv/%C3%28", "/api/kv/%ff%fe", "/api/master/x%00y",
        "/api/kv/" + "k".repeat(9000), "/api/set-master/" + "a".repeat(100_000) + "/127.0.0.1/3306")) {
      Reply r = node.get(p);
      String what = p.length() > 60 ? p.substring(0, 60) + "... (" + p.length() + " chars)" : p;
      assertThat(r.status()).as(what + ": " + r.text()).isBetween(400, 499);
      assertThat(r.body()).as(what + ": " + r.text()).isNotNull();
      assertThat(r.body().path("Code").asText()).as(what).isEqualTo("ERROR");
      assertThat(r.body().path("Message").asText()).as(what).isNotBlank();
    }
  }

  /** A wrong method on a path that exists is 405 in JSON; an unknown path stays 404. */
  @Test
  void aWrongMethodIs405() {
    Reply get = node.get("/api/set-master/m405/127.0.0.23/3306");
    assertError(get, 405);
    Reply put = node.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.base() + "/api/clusters"))
        .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()), null);
    assertError(put, 405);
    assertError(node.get("/api/no-such-endpoint"), 404);
    assertThat(node.get("/api/master/m405").status()).isEqualTo(404);
  }

  /** Every route that takes a port wants digits only: no spaces (encoded or not), no leading zero. */
  @Test
  void everyRouteTakingAPortRefusesSpacesAndLeadingZeros() {
    for (String port : List.of("%203306", "3306%20", "03306", "%2B3306", "3306.0")) {
      assertError(node.post("/api/set-master/port1/127.0.0.24/" + port), 400);
      for (String read : List.of("/api/instance/", "/api/instance-replicas/")) {
        assertError(node.get(read + "127.0.0.24/" + port), 400);
      }
      for (String write : List.of("/api/discover/", "/api/forget/")) {
        assertError(node.post(write + "127.0.0.24/" + port), 400);
      }
      for (String peer : List.of("/api/raft-add-peer/", "/api/raft-remove-peer/")) {
        assertError(node.post(peer + "127.0.0.24:" + port), 400);
      }
    }
    assertError(node.get("/api/master/port1"), 404);
  }

  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) if (n.path(field).asText().equals(value)) return n;
    throw new AssertionError("no element with " + field + "=" + value + " in " + array);
  }
}
