package io.herald.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.kv.etcd.EtcdKvStore;
import io.herald.kv.etcd.EtcdOptions;
import io.herald.testing.InProcessNode;
import io.herald.testing.MariaDbLab;
import io.herald.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automated master failover against real MariaDB servers, each test with servers of its own: a killed master, a hung
 * master, the choice of the successor, the block period and its acknowledgement, a pre-failover hook that refuses.
 */
class FailoverIT {
  @TempDir Path dir;

  static String config(MariaDbLab lab, String alias, String extra) {
    return config(lab, alias, "herald", extra);
  }

  /** The same, with Herald's MySQL user {@code user} (its password the lab's herald password). */
  static String config(MariaDbLab lab, String alias, String user, String extra) {
    return "\"MySQLTopologyUser\": \"" + user + "\", \"MySQLTopologyPassword\": \"" + lab.password(MariaDbLab.Login.HERALD).value()
        + "\", \"InstancePollSeconds\": 1, \"DiscoverySeeds\": [\"" + lab.address(1) + "\"], "
        + "\"DetectClusterAliasQuery\": \"SELECT '" + alias + "'\", \"RecoverMasterClusterFilters\": [\"*\"], "
        + "\"MySQLReplicaUser\": \"repl\", \"MySQLReplicaPassword\": \"replpass\"" + (extra.isEmpty() ? "" : ", " + extra);
  }

  static String published(InProcessNode node, String alias) {
    return node.get("/api/kv/mysql/master/" + alias).body().path("Value").asText();
  }

  /** Waits until the node publishes server 1 and sees all its replicas. */
  static void awaitDiscovered(InProcessNode node, MariaDbLab lab, String alias, int replicas) {
    await().atMost(Duration.ofSeconds(20)).until(() -> published(node, alias).equals(lab.address(1).toString()));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        node.discovery().view().topology().children(lab.address(1)).size() == replicas
            && node.discovery().view().analysis(lab.address(1).toString()).map(a -> a.code().name()).orElse("").equals("NoProblem"));
  }

  static int serverOf(MariaDbLab lab, String address) {
    for (int i = 1; i <= lab.addresses().size(); i++) if (lab.address(i).toString().equals(address)) return i;
    throw new AssertionError("no lab server at " + address);
  }

  static JsonNode recoveries(InProcessNode node) {
    return node.get("/api/audit-recovery").body();
  }

  static void semiSync(MariaDbLab lab, int master, int... replicas) {
    // only the master waits for acks: a replica with log_slave_updates and semi-sync master on would wait for acks
    // of its own (absent) replicas before applying each transaction
    lab.sql(master, "SET GLOBAL rpl_semi_sync_master_timeout = 3600000");
    lab.sql(master, "SET GLOBAL rpl_semi_sync_master_wait_no_slave = ON");
    lab.sql(master, "SET GLOBAL rpl_semi_sync_master_enabled = ON");
    for (int r : replicas) {
      lab.sql(r, "SET GLOBAL rpl_semi_sync_slave_enabled = ON");
      lab.sql(r, "STOP SLAVE IO_THREAD");
      lab.sql(r, "START SLAVE IO_THREAD");
    }
    await().atMost(Duration.ofSeconds(10)).until(() ->
        lab.value(master, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
            + "WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_CLIENTS'").equals(Integer.toString(replicas.length)));
  }

  static Set<Integer> rows(MariaDbLab lab, int server) {
    Set<Integer> ids = new TreeSet<>();
    for (Map<String, String> r : lab.sql(server, "SELECT id FROM app.t")) ids.add(Integer.parseInt(r.get("id")));
    return ids;
  }

  @Test
  void aKilledMasterIsReplacedWithoutLosingAnAcknowledgedWriteAndFencedWhenItReturns() throws Exception {
    Path hooks = dir.resolve("post.log");
    Path detected = dir.resolve("detected.log");
    String post = "\"PostMasterFailoverProcesses\": [\"echo post-master {failureType} {failedPort} {successorPort} "
        + "{countReplicas} >> " + hooks + "\"], \"PostFailoverProcesses\": [\"echo post $ORC_SUCCESSOR_PORT "
        + "$ORC_IS_SUCCESSFUL $ORC_FAILURE_CLUSTER_ALIAS >> " + hooks + "\"], \"OnFailureDetectionProcesses\": [\"echo "
        + "detected {failureType} {failedPort} {failureClusterAlias} >> " + detected + "\"]";
    try (MariaDbLab lab = MariaDbLab.start(24900, 3, "2->1, 3->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"), config(lab, "fo1", post))) {
      semiSync(lab, 1, 2, 3);
      AckedWriter.createTable(lab, 1);
      awaitDiscovered(node, lab, "fo1", 2);
      String newMaster;
      Set<Integer> acked;
      try (AckedWriter w = new AckedWriter(node, "fo1", 200_000, 60_000).start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> w.acked().size() >= 50);
        lab.kill9(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> !published(node, "fo1").equals(lab.address(1).toString()));
        newMaster = published(node, "fo1");
        int before = w.acked().size();
        await().atMost(Duration.ofSeconds(15)).until(() -> w.acked().size() >= before + 20); // writes go on there
        w.close();
        acked = w.acked();
      }
      int promoted = serverOf(lab, newMaster);
      int other = promoted == 2 ? 3 : 2;
      assertThat(promoted).isIn(2, 3);
      assertThat(lab.value(promoted, "SELECT @@global.read_only")).isEqualTo("0");
      // every acknowledged write is on the new master (semi-sync: one replica had it; the most advanced was chosen)
      assertThat(acked).hasSizeGreaterThan(70);
      assertThat(rows(lab, promoted)).containsAll(acked);
      await().atMost(Duration.ofSeconds(10)).until(() ->
          lab.sql(other, "SHOW SLAVE STATUS").get(0).get("Master_Port").equals(Integer.toString(lab.address(promoted).port())));

      JsonNode r = recoveries(node).get(0);
      assertThat(r.path("IsSuccessful").asBoolean()).isTrue();
      assertThat(r.path("AnalysisEntry").path("Analysis").asText()).isEqualTo("DeadMaster");
      assertThat(r.path("AnalysisEntry").path("ClusterDetails").path("ClusterAlias").asText()).isEqualTo("fo1");
      assertThat(r.path("SuccessorKey").path("Port").asInt()).isEqualTo(lab.address(promoted).port());
      assertThat(r.path("ForkPoint").asText()).isNotEmpty();
      assertThat(r.path("Steps").toString()).contains("relay log applied", "promoted", "re-pointed");
      String metrics = node.get("/metrics").text();
      assertThat(metrics).contains("herald_recoveries{state=\"succeeded\"} 1.0", "herald_failure_detections_total 1.0");
      // the post-failover hooks ran once each, after the publication, with the successor in placeholders and ORC_*
      int port = lab.address(promoted).port();
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(hooks) && Files.readAllLines(hooks).size() == 2);
      assertThat(Files.readAllLines(hooks)).containsExactly("post-master DeadMaster 24900 " + port + " 2",
          "post " + port + " true fo1");
      // OnFailureDetectionProcesses: once for the detection, on the leader (in the background)
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(detected));
      assertThat(Files.readAllLines(detected)).containsExactly("detected DeadMaster 24900 fo1");

      // the old master comes back writable (its my.cnf says read_only=OFF): fenced at once, never published again
      lab.restart(1);
      assertThat(lab.value(1, "SELECT @@global.read_only")).isEqualTo("0");
      await().atMost(Duration.ofSeconds(5)).until(() -> lab.value(1, "SELECT @@global.read_only").equals("1"));
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> published(node, "fo1").equals(newMaster));
    }
  }

  @Test
  void aHungMasterIsReplacedAndFencedWhenItWakes() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24910, 3, "2->1, 3->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"), config(lab, "fo2", ""))) {
      awaitDiscovered(node, lab, "fo2", 2);
      long t0 = System.nanoTime();
      lab.pause(1);
      try {
        // replicas notice after slave_net_timeout (4 s in the lab), then two polls
        await().atMost(Duration.ofSeconds(20)).until(() -> !published(node, "fo2").equals(lab.address(1).toString()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("SIGSTOP -> new master published in " + ms + " ms");
        assertThat(recoveries(node).get(0).path("IsSuccessful").asBoolean()).isTrue();
      } finally {
        lab.resume(1);
      }
      // it wakes up writable, with its clients' connections still open: read_only within a poll or two
      await().atMost(Duration.ofSeconds(5)).until(() -> lab.value(1, "SELECT @@global.read_only").equals("1"));
      assertThat(published(node, "fo2")).isNotEqualTo(lab.address(1).toString());
    }
  }

  /**
   * Also KVWipeValuesPreFailover: while the failover waits for the drain, the cluster is published blank (in etcd and
   * the internal store, at a new epoch), then the successor.
   */
  @Test
  void theMostAdvancedReplicaIsPromotedAfterItsRelayLogIsDrainedAndAMustNotReplicaNever() throws Exception {
    String prefix = "mysql/master";
    try (MariaDbLab lab = MariaDbLab.start(24920, 4, "2->1, 3->1, 4->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"), config(lab, "fo3", "\"KVWipeValuesPreFailover\": true, "
            + "\"EtcdEndpoints\": \"" + TestServers.etcd() + "\""));
        EtcdKvStore etcd = new EtcdKvStore("etcd-reader", EtcdOptions.plain(TestServers.etcd()))) {
      etcd.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> etcd.get(prefix + "/fo3").orElse("").equals(lab.address(1).toString()));
      long before = Long.parseLong(etcd.get(prefix + "/fo3/epoch").orElseThrow());
      awaitDiscovered(node, lab, "fo3", 3);
      assertThat(node.post("/api/register-candidate/127.0.0.1/24923/must_not").status()).isEqualTo(200);
      AckedWriter.createTable(lab, 1);
      for (int r = 2; r <= 4; r++) lab.awaitCaughtUp(r, 1, Duration.ofSeconds(10));
      lab.sql(3, "STOP SLAVE IO_THREAD"); // 3 receives nothing more: less advanced
      try (Connection lock = DriverManager.getConnection("jdbc:mariadb://" + lab.address(2) + "/app?user=root&password=rootpass");
          Statement st = lock.createStatement()) {
        st.execute("LOCK TABLES app.t READ"); // 2's SQL thread waits: it receives everything, applies nothing
        for (int i = 1; i <= 30; i++) lab.sql(1, "INSERT INTO app.t VALUES (" + i + ", 0)");
        String pos = lab.value(1, "SELECT @@gtid_binlog_pos");
        for (int r : new int[] {2, 4}) {
          await().atMost(Duration.ofSeconds(10)).until(() -> lab.sql(r, "SHOW SLAVE STATUS").get(0).get("Gtid_IO_Pos").equals(pos));
        }
        assertThat(lab.value(2, "SELECT @@gtid_slave_pos")).isNotEqualTo(pos);
        lab.kill9(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> recoveries(node).path(0).path("Steps").toString()
            .contains("chose " + lab.address(2)));
        assertThat(recoveries(node).get(0).path("Steps").toString()).contains(lab.address(4) + " (promotion rule must_not)",
            "published blank values at epoch");
        // not before the drain; blank meanwhile, in every store, at an epoch above the old master's
        await().atMost(Duration.ofSeconds(5)).until(() -> {
          InProcessNode.Reply v = node.get("/api/kv/" + prefix + "/fo3");
          return v.status() == 200 && v.body().path("Value").isTextual() && v.body().path("Value").asText().isEmpty();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> etcd.get(prefix + "/fo3").orElse("x").isEmpty()
            && etcd.get(prefix + "/fo3/hostname").orElse("x").isEmpty() && etcd.get(prefix + "/fo3/port").orElse("x").isEmpty());
        assertThat(Long.parseLong(etcd.get(prefix + "/fo3/epoch").orElseThrow())).isGreaterThan(before);
      } // unlocked: 2 applies its relay log, then it is promoted
      await().atMost(Duration.ofSeconds(20)).until(() -> etcd.get(prefix + "/fo3").orElse("").equals(lab.address(2).toString()));
      assertThat(node.get("/api/kv/" + prefix + "/fo3").body().path("Value").asText()).isEqualTo(lab.address(2).toString());
      assertThat(rows(lab, 2)).hasSize(30);
      assertThat(recoveries(node).get(0).path("Steps").toString()).contains("relay log applied");
      for (int r : new int[] {3, 4}) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
            lab.sql(r, "SHOW SLAVE STATUS").get(0).get("Master_Port").equals("24921"));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> rows(lab, 3).size() == 30);
    }
  }

  @Test
  void aRefusingPreFailoverHookAbortsWithNothingChangedAndRecoveriesWaitForAnAcknowledgement() throws Exception {
    Path allow = dir.resolve("allow");
    Path log = dir.resolve("hook.log");
    Path unsuccessful = dir.resolve("unsuccessful.log");
    String hook = "\"PreFailoverProcesses\": [\"test -f " + allow + " && echo {failedPort} {failureClusterAlias} >> " + log
        + "\"], \"RecoveryPeriodBlockSeconds\": 3600, \"KVWipeValuesPreFailover\": true, "
        + "\"PostUnsuccessfulFailoverProcesses\": [\"echo {failedPort} {isSuccessful} {successorHost}. >> " + unsuccessful + "\"]";
    try (MariaDbLab lab = MariaDbLab.start(24930, 3, "2->1, 3->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"), config(lab, "fo4", hook))) {
      awaitDiscovered(node, lab, "fo4", 2);
      lab.kill9(1);
      await().atMost(Duration.ofSeconds(15)).until(() -> recoveries(node).path(0).path("State").asText().equals("ABORTED"));
      long firstId = recoveries(node).get(0).path("Id").asLong();
      assertThat(recoveries(node).get(0).path("AllErrors").toString()).contains("PreFailoverProcesses");
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(unsuccessful));
      assertThat(Files.readAllLines(unsuccessful)).containsExactly("24930 false .");
      // the values wiped when it began are the old master's again (KVWipeValuesPreFailover)
      assertThat(recoveries(node).get(0).path("Steps").toString()).contains("published blank values",
          lab.address(1) + " published again at epoch");
      // nothing changed: the replicas still point at the dead master, read_only; it is still published
      for (int r : new int[] {2, 3}) {
        assertThat(lab.sql(r, "SHOW SLAVE STATUS").get(0).get("Master_Port")).isEqualTo("24930");
        assertThat(lab.value(r, "SELECT @@global.read_only")).isEqualTo("1");
      }
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
          recoveries(node).size() == 1 && published(node, "fo4").equals(lab.address(1).toString()));
      JsonNode blocked = node.get("/api/blocked-recoveries").body();
      assertThat(blocked.get(0).path("BlockingRecoveryId").asLong()).isEqualTo(firstId);

      Files.writeString(allow, "");
      assertThat(node.post("/api/ack-recovery/cluster/fo4?comment=hook%20fixed").status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(15)).until(() -> !published(node, "fo4").equals(lab.address(1).toString())
          && !published(node, "fo4").isEmpty()); // blank while it runs
      assertThat(Files.readString(log).trim()).isEqualTo("24930 fo4");
      JsonNode first = node.get("/api/audit-recovery/id/" + firstId).body().get(0);
      assertThat(first.path("Acknowledged").asBoolean()).isTrue();
      assertThat(first.path("AcknowledgedComment").asText()).isEqualTo("hook fixed");

      // a second failure within the block period waits for an acknowledgement
      int promoted = serverOf(lab, published(node, "fo4"));
      int last = promoted == 2 ? 3 : 2;
      await().atMost(Duration.ofSeconds(10)).until(() ->
          node.discovery().view().topology().children(lab.address(promoted)).contains(lab.address(last)));
      lab.kill9(promoted);
      try {
        await().atMost(Duration.ofSeconds(15)).until(() -> node.get("/api/blocked-recoveries").body().size() == 1);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        System.out.println("DEBUG analysis " + node.get("/api/replication-analysis").text());
        System.out.println("DEBUG reports " + node.get("/api/failure-reports/fo4").text());
        throw e;
      }
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
          published(node, "fo4").equals(lab.address(promoted).toString()));
      assertThat(node.post("/api/ack-all-recoveries?comment=go").status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(15)).until(() -> published(node, "fo4").equals(lab.address(last).toString()));
    }
  }
}
