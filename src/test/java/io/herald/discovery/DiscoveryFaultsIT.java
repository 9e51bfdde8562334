package io.herald.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.HostPort;
import io.herald.testing.InProcessNode;
import io.herald.testing.MariaDbLab;
import io.herald.topology.AnalysisCode;
import io.herald.topology.ClusterAnalysis;
import io.herald.topology.InstanceProblem;
import io.herald.topology.Observation;
import io.herald.topology.ProbeError;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken topologies on real servers (each test its own lab): every fault shows as the right analysis or problem,
 * and nothing wrong is published. Master changes are read from the node's own API (its desired state).
 */
class DiscoveryFaultsIT {
  @TempDir Path dir;

  private static InProcessNode node(Path dir, MariaDbLab lab, HostPort seed, String password) throws Exception {
    return InProcessNode.start(dir, "\"MySQLTopologyUser\": \"herald\", \"MySQLTopologyPassword\": \"" + password
        + "\", \"InstancePollSeconds\": 1, \"DiscoverySeeds\": [\"" + seed + "\"], \"DetectClusterAliasQuery\": \"SELECT 'faulty'\"");
  }

  private static HostPort published(InProcessNode node) {
    var body = node.get("/api/master/faulty").body();
    return body.has("Key") ? new HostPort(body.path("Key").path("Hostname").asText(), body.path("Key").path("Port").asInt()) : null;
  }

  private static long epoch(InProcessNode node) {
    return node.get("/api/master/faulty").body().path("Epoch").asLong();
  }

  private static List<InstanceProblem.Code> problems(InProcessNode node, HostPort instance) {
    return node.discovery().view().analyses().stream().flatMap(a -> a.problems().stream())
        .filter(p -> p.instance().equals(instance)).map(InstanceProblem::code).toList();
  }

  private static Optional<ClusterAnalysis> analysisOf(InProcessNode node, HostPort member) {
    DiscoveryView v = node.discovery().view();
    return v.topology().clusterOf(member).flatMap(t -> v.analysis(t.name()));
  }

  /** A fresh view: every instance probed after {@code since}. */
  private static void awaitRound(InProcessNode node, MariaDbLab lab, Instant since) {
    await().atMost(Duration.ofSeconds(10)).until(() -> lab.addresses().stream().allMatch(k ->
        node.discovery().observation(k).map(o -> o.attemptedAt().isAfter(since)).orElse(false)));
    node.discovery().view();
  }

  @Test
  void aSecondWriterInTheClusterIsFlaggedAndNeverPublished() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24600, 3, "2->1, 3->1");
        InProcessNode node = node(dir.resolve("n"), lab, lab.address(2), "heraldpass")) {
      await().atMost(Duration.ofSeconds(15)).until(() -> lab.address(1).equals(published(node)));
      long epoch = epoch(node);
      lab.sql(2, "SET GLOBAL read_only=0"); // still a replica of 1, but writable: two writers
      await().atMost(Duration.ofSeconds(10)).until(() -> problems(node, lab.address(2)).contains(InstanceProblem.Code.WRITABLE_NOT_MASTER));
      // a replica promoted by hand beside the master: a second writable root, in a topology of its own
      lab.sql(3, "STOP SLAVE");
      lab.sql(3, "RESET SLAVE ALL");
      lab.sql(3, "SET GLOBAL read_only=0");
      await().atMost(Duration.ofSeconds(10)).until(() -> node.discovery().view().decisions().stream()
          .anyMatch(d -> d.clusterName().equals(lab.address(3).toString()) && d.problem().orElse("").contains("faulty")));
      awaitRound(node, lab, Instant.now());
      assertThat(published(node)).isEqualTo(lab.address(1));
      assertThat(epoch(node)).isEqualTo(epoch);
    }
  }

  @Test
  void anErrantTransactionThenABrokenReplicaAreReportedExactly() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24610, 3, "2->1, 3->1");
        InProcessNode node = node(dir.resolve("n"), lab, lab.address(1), "heraldpass")) {
      await().atMost(Duration.ofSeconds(15)).until(() -> lab.address(1).equals(published(node)));
      lab.sql(1, "CREATE TABLE app.t (id INT PRIMARY KEY)");
      lab.awaitCaughtUp(2, 1, Duration.ofSeconds(10));
      // root bypasses read_only: a transaction on replica 2 that the master never had
      lab.sql(2, "INSERT INTO app.t VALUES (7)");
      String errant = lab.value(2, "SELECT @@gtid_binlog_pos");
      assertThat(errant).startsWith("0-2-");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        List<InstanceProblem> p = node.discovery().view().analyses().stream().flatMap(a -> a.problems().stream())
            .filter(x -> x.instance().equals(lab.address(2)) && x.code() == InstanceProblem.Code.ERRANT_GTIDS).toList();
        assertThat(p).hasSize(1);
        assertThat(p.get(0).gtids().toString()).isEqualTo(errant);
      });
      assertThat(problems(node, lab.address(3))).doesNotContain(InstanceProblem.Code.ERRANT_GTIDS);
      // the master writes the same row: replica 2's SQL thread stops on the duplicate key
      lab.sql(1, "INSERT INTO app.t VALUES (7)");
      await().atMost(Duration.ofSeconds(10)).until(() -> problems(node, lab.address(2)).contains(InstanceProblem.Code.REPLICATION_BROKEN));
      assertThat(analysisOf(node, lab.address(1)).orElseThrow().code()).isNotEqualTo(AnalysisCode.DeadMaster);
      assertThat(published(node)).isEqualTo(lab.address(1));
    }
  }

  @Test
  void stoppedSqlThreadsWithRunningIoThreadsAreNotADeadMasterEvenWhenTheMasterIsKilled() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24620, 3, "2->1, 3->1");
        InProcessNode node = node(dir.resolve("n"), lab, lab.address(3), "heraldpass")) {
      await().atMost(Duration.ofSeconds(15)).until(() -> lab.address(1).equals(published(node)));
      lab.sql(2, "STOP SLAVE SQL_THREAD");
      lab.sql(3, "STOP SLAVE SQL_THREAD");
      await().atMost(Duration.ofSeconds(10)).until(() -> problems(node, lab.address(2)).contains(InstanceProblem.Code.REPLICATION_BROKEN)
          || problems(node, lab.address(2)).contains(InstanceProblem.Code.REPLICATION_STOPPED));
      awaitRound(node, lab, Instant.now());
      assertThat(analysisOf(node, lab.address(1)).orElseThrow().code()).isNotEqualTo(AnalysisCode.DeadMaster);
      // the master dies: the replicas' IO threads, not their stopped SQL threads, tell
      lab.kill9(1);
      await().atMost(Duration.ofSeconds(15)).until(() -> analysisOf(node, lab.address(2)).map(ClusterAnalysis::code)
          .orElse(AnalysisCode.NoProblem) == AnalysisCode.DeadMaster);
      assertThat(published(node)).as("discovery never publishes a dead master's replacement by itself").isEqualTo(lab.address(1));
    }
  }

  @Test
  void aHungServerTimesOutWithoutDelayingTheOthersAndComesBack() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24630, 3, "2->1, 3->1");
        InProcessNode node = node(dir.resolve("n"), lab, lab.address(1), "heraldpass")) {
      await().atMost(Duration.ofSeconds(15)).until(() -> lab.address(1).equals(published(node)));
      lab.pause(2);
      try {
        await().atMost(Duration.ofSeconds(15)).until(() -> node.discovery().observation(lab.address(2))
            .flatMap(Observation::error).map(ProbeError::kind).orElse(null) == ProbeError.Kind.TIMEOUT);
        // while 2 hangs, 1 and 3 are probed every second as before
        Instant t = Instant.now();
        await().atMost(Duration.ofSeconds(3)).until(() -> List.of(lab.address(1), lab.address(3)).stream().allMatch(k ->
            node.discovery().observation(k).filter(Observation::reachable).map(o -> o.attemptedAt().isAfter(t)).orElse(false)));
        assertThat(node.get("/api/health").status()).isEqualTo(200);
        assertThat(problems(node, lab.address(2))).contains(InstanceProblem.Code.UNREACHABLE);
      } finally {
        lab.resume(2);
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> node.discovery().observation(lab.address(2)).map(Observation::reachable).orElse(false));
      assertThat(published(node)).isEqualTo(lab.address(1));
    }
  }

  @Test
  void aWrongPasswordIsReportedWithoutThePasswordAndPublishesNothing() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24640, 1, "");
        InProcessNode node = node(dir.resolve("n"), lab, lab.address(1), "not-the-password-42")) {
      await().atMost(Duration.ofSeconds(10)).until(() -> node.discovery().observation(lab.address(1)).flatMap(Observation::error).isPresent());
      ProbeError e = node.discovery().observation(lab.address(1)).flatMap(Observation::error).orElseThrow();
      assertThat(e.kind()).isEqualTo(ProbeError.Kind.ACCESS_DENIED);
      assertThat(e.message()).doesNotContain("not-the-password-42");
      awaitRound(node, lab, Instant.now());
      assertThat(node.get("/api/master/faulty").status()).isEqualTo(404);
    }
  }

  @Test
  void seedsThatAreNotMysqlServersAreReportedAndNeverDelayTheRealOnes() throws Exception {
    int closed = io.herald.testing.FreePort.pick();
    try (MariaDbLab lab = MariaDbLab.start(24650, 1, "");
        java.net.ServerSocket http = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread answering = new Thread(() -> {
        while (!http.isClosed()) {
          try (java.net.Socket c = http.accept()) {
            c.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
          } catch (java.io.IOException closing) {
            return;
          }
        }
      }, "fake-http");
      answering.setDaemon(true);
      answering.start();
      HostPort notMysql = new HostPort("127.0.0.1", http.getLocalPort());
      HostPort hangs = new HostPort("127.0.0.1", silent.getLocalPort()); // accepts, never answers: like a hung server
      HostPort nothing = new HostPort("127.0.0.1", closed);
      try (InProcessNode node = InProcessNode.start(dir.resolve("n"), "\"MySQLTopologyUser\": \"herald\", "
          + "\"MySQLTopologyPassword\": \"heraldpass\", \"InstancePollSeconds\": 1, \"DiscoverySeeds\": [\"" + nothing
          + "\", \"" + notMysql + "\", \"" + hangs + "\", \"" + lab.address(1) + "\"], \"DetectClusterAliasQuery\": \"SELECT 'faulty'\"")) {
        await().atMost(Duration.ofSeconds(15)).until(() -> lab.address(1).equals(published(node)));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          assertThat(kind(node, nothing)).isEqualTo(ProbeError.Kind.UNREACHABLE);
          assertThat(kind(node, notMysql)).isEqualTo(ProbeError.Kind.NOT_MYSQL);
          assertThat(kind(node, hangs)).isEqualTo(ProbeError.Kind.TIMEOUT);
        });
        assertThat(node.discovery().observation(notMysql).flatMap(Observation::error).orElseThrow().message())
            .contains(notMysql.toString());
        // the real server goes on being probed every second meanwhile
        Instant t = Instant.now();
        await().atMost(Duration.ofSeconds(3)).until(() -> node.discovery().observation(lab.address(1))
            .filter(Observation::reachable).map(o -> o.attemptedAt().isAfter(t)).orElse(false));
      }
    }
  }

  private static ProbeError.Kind kind(InProcessNode node, HostPort key) {
    return node.discovery().observation(key).flatMap(Observation::error).map(ProbeError::kind).orElse(null);
  }
}
