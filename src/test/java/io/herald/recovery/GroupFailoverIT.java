package io.herald.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.testing.FreePort;
import io.herald.testing.HeraldProcess;
import io.herald.testing.MariaDbLab;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node Herald group (separate processes) fails a killed master over, and when its leader is killed in the middle
 * of the failover (the successor chosen, its relay log not yet applied), the new leader resumes the same recovery
 * with the same successor: exactly one server is promoted, and every surviving node publishes it. A leader that alone
 * sees the master dead (cut off from it, with its replicas not replicating) cannot fail it over.
 */
class GroupFailoverIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private JsonNode get(HeraldProcess n, String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.base() + path)).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      return JSON.missingNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String published(HeraldProcess n, String alias) {
    return get(n, "/api/kv/mysql/master/" + alias).path("Value").asText();
  }

  @Test
  void aLeaderKilledInTheMiddleOfAFailoverIsReplacedByOneThatFinishesItWithTheSameSuccessor() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24950, 3, "2->1, 3->1")) {
      List<HeraldProcess> nodes = startGroup(lab, "grp", i -> "herald", "\"KVWipeValuesPreFailover\": true");
      try {
        AckedWriter.createTable(lab, 1);
        lab.awaitCaughtUp(2, 1, Duration.ofSeconds(10));
        lab.awaitCaughtUp(3, 1, Duration.ofSeconds(10));
        try (Connection lock = DriverManager.getConnection("jdbc:mariadb://" + lab.address(2) + "/app?user=root&password=rootpass");
            Statement st = lock.createStatement()) {
          st.execute("LOCK TABLES app.t READ"); // 2 receives but cannot apply: the failover waits in the drain
          for (int i = 1; i <= 10; i++) lab.sql(1, "INSERT INTO app.t VALUES (" + i + ", 0)");
          String pos = lab.value(1, "SELECT @@gtid_binlog_pos");
          for (int r = 2; r <= 3; r++) {
            int rr = r;
            await().atMost(Duration.ofSeconds(10)).until(() -> lab.sql(rr, "SHOW SLAVE STATUS").get(0).get("Gtid_IO_Pos").equals(pos));
          }
          lab.kill9(1);
          // both replicas received the same: the tie goes to the lower key, 2, whose drain now waits on the lock
          await().atMost(Duration.ofSeconds(20)).until(() -> get(nodes.get(0), "/api/audit-recovery").path(0).path("Steps")
              .toString().contains("chose " + lab.address(2)));
          HeraldProcess leader = null;
          for (HeraldProcess n : nodes) {
            JsonNode s = get(n, "/api/raft-status");
            if (s.path("Leader").asText().equals(s.path("RaftAdvertise").asText())) leader = n;
          }
          assertThat(leader).isNotNull();
          assertThat(get(leader, "/api/audit-recovery").path(0).path("Steps").toString()).doesNotContain("relay log applied");
          leader.kill9();
          nodes.remove(leader);
        } // the lock goes: 2 can apply its relay log now
        for (HeraldProcess n : nodes) {
          await().atMost(Duration.ofSeconds(40)).until(() -> published(n, "grp").equals(lab.address(2).toString()));
        }
        JsonNode recoveries = get(nodes.get(0), "/api/audit-recovery");
        assertThat(recoveries.size()).isEqualTo(1);
        JsonNode r = recoveries.get(0);
        assertThat(r.path("IsSuccessful").asBoolean()).isTrue();
        assertThat(r.path("Steps").toString()).contains("resumed by", "relay log applied");
        // KVWipeValuesPreFailover: wiped once, by the first leader; the resumed run finds it done
        assertThat(r.path("Steps").toString().split("published blank values", -1)).hasSize(2);
        assertThat(rows(lab, 2)).isEqualTo(10);
        // exactly one promotion: 3 is read-only and replicates from 2
        assertThat(lab.value(3, "SELECT @@global.read_only")).isEqualTo("1");
        await().atMost(Duration.ofSeconds(10)).until(() ->
            lab.sql(3, "SHOW SLAVE STATUS").get(0).get("Master_Port").equals("24951"));
      } finally {
        for (HeraldProcess n : nodes) n.close();
      }
    }
  }

  /**
   * The leader alone sees the master dead: cut off from it (its own account locked there) while the master's
   * replicas cannot replicate (the replication account locked there), the other two nodes still reading the master.
   * One DeadMaster report of three is no quorum: nothing is begun and nothing changes; when a second node loses the
   * master too, the same leader fails it over (the control that the quorum was what held it back).
   */
  @Test
  void aLeaderCutOffFromTheMasterAloneCannotFailItOver() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24970, 3, "2->1, 3->1")) {
      for (int i = 0; i < 3; i++) {
        lab.sql(1, "CREATE USER 'hn" + i + "'@'127.0.0.1' IDENTIFIED BY 'heraldpass'");
        // without SUPER and CONNECTION ADMIN, so that the master's init_connect applies to them
        lab.sql(1, "GRANT PROCESS, RELOAD, REPLICATION SLAVE, BINLOG MONITOR, REPLICATION SLAVE ADMIN, "
            + "REPLICATION MASTER ADMIN, SLAVE MONITOR, READ_ONLY ADMIN ON *.* TO 'hn" + i + "'@'127.0.0.1'");
        lab.sql(1, "GRANT SELECT ON mysql.* TO 'hn" + i + "'@'127.0.0.1'");
      }
      lab.awaitCaughtUp(2, 1, Duration.ofSeconds(10));
      lab.awaitCaughtUp(3, 1, Duration.ofSeconds(10));
      List<HeraldProcess> nodes = startGroup(lab, "cut", i -> "hn" + i, "");
      try {
        int leader = -1;
        for (int i = 0; i < 3; i++) {
          JsonNode s = get(nodes.get(i), "/api/raft-status");
          if (s.path("Leader").asText().equals(s.path("RaftAdvertise").asText())) leader = i;
        }
        assertThat(leader).isNotNegative();
        HeraldProcess l = nodes.get(leader);
        String self = get(l, "/api/raft-status").path("RaftAdvertise").asText();
        // the replicas lose the master (not binlogged: 2 and 3 keep their own repl account for the regroup)
        lockOnMasterOnly(lab, "repl");
        hangOnMaster(lab, "hn" + leader);
        try {
          await().atMost(Duration.ofSeconds(15)).until(() ->
              get(l, "/api/failure-reports/cut").path("Details").path("Reports").path(self).path("Dead").asBoolean());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("the leader never reported the master dead: " + get(l, "/api/failure-reports/cut")
              + " " + get(l, "/api/replication-analysis") + " replica 2: " + lab.sql(2, "SHOW SLAVE STATUS"), e);
        }
        assertThat(get(l, "/api/failure-reports/cut").path("Details").path("Reports").path(self).path("Analysis").asText())
            .isEqualTo("DeadMaster");
        for (int i = 0; i < 3; i++) {
          if (i == leader) continue;
          HeraldProcess n = nodes.get(i);
          await().atMost(Duration.ofSeconds(10)).until(() -> get(n, "/api/replication-analysis").path("Details").toString()
              .contains("AllMasterReplicasNotReplicating"));
        }
        // several polls and leader loops later: no quorum, nothing begun, the master still published everywhere
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> {
          for (HeraldProcess n : nodes) {
            JsonNode recoveries = get(n, "/api/audit-recovery");
            if (!recoveries.isArray() || !recoveries.isEmpty()) return false; // an unanswered request proves nothing
            if (!published(n, "cut").equals(lab.address(1).toString())) return false;
          }
          return true;
        });
        assertThat(get(l, "/api/failure-reports/cut").path("Details").path("DeadMasterQuorum").asBoolean()).isFalse();
        assertThat(get(l, "/api/raft-status").path("Leader").asText()).as("still the leader").isEqualTo(self);
        assertThat(lab.value(2, "SELECT @@global.read_only")).isEqualTo("1");
        assertThat(lab.value(3, "SELECT @@global.read_only")).isEqualTo("1");
        // control: a second node loses the master as well; two reports of three are a quorum
        hangOnMaster(lab, "hn" + leader, "hn" + ((leader + 1) % 3));
        for (HeraldProcess n : nodes) {
          await().atMost(Duration.ofSeconds(30)).until(() -> !published(n, "cut").equals(lab.address(1).toString())
              && !published(n, "cut").isEmpty());
        }
        assertThat(get(l, "/api/audit-recovery").path(0).path("IsSuccessful").asBoolean()).isTrue();
      } finally {
        for (HeraldProcess n : nodes) n.close();
      }
    }
  }

  private List<HeraldProcess> startGroup(MariaDbLab lab, String alias, java.util.function.IntFunction<String> user,
      String extra) throws Exception {
    int[] raft = {FreePort.pick(), FreePort.pick(), FreePort.pick()};
    String peers = "\"127.0.0.1:" + raft[0] + "\", \"127.0.0.1:" + raft[1] + "\", \"127.0.0.1:" + raft[2] + "\"";
    List<HeraldProcess> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = FreePort.pick();
      Path cfg = dir.resolve(alias + i + ".json");
      Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:" + port + "\", \"RaftEnabled\": true, "
          + "\"RaftInsecureTransport\": true, \"RaftBind\": \"127.0.0.1:" + raft[i] + "\", \"RaftDataDir\": \""
          + dir.resolve(alias + "-d" + i) + "\", \"RaftNodes\": [" + peers + "], "
          + FailoverIT.config(lab, alias, user.apply(i), extra)
          + " }");
      nodes.add(new HeraldProcess(cfg, port));
    }
    try {
      for (HeraldProcess n : nodes) n.start();
      for (HeraldProcess n : nodes) {
        await().atMost(Duration.ofSeconds(30)).until(() -> get(n, "/api/kv/mysql/master/" + alias).path("Value").asText()
            .equals(lab.address(1).toString()));
      }
      // every node sees the replicas connected (each node's own verdict counts)
      for (HeraldProcess n : nodes) {
        await().atMost(Duration.ofSeconds(15)).until(() ->
            get(n, "/api/replication-analysis").path("Details").toString().contains("\"Analysis\":\"NoProblem\""));
      }
      return nodes;
    } catch (RuntimeException | Error e) {
      for (HeraldProcess n : nodes) n.close();
      throw e;
    }
  }

  /**
   * The master hangs for these Herald accounts only (the fault-injection device: a global init_connect on server 1
   * that sleeps for them, longer than a probe waits), as it would behind a cut network path: their connects time out, the other nodes' do not.
   */
  private static void hangOnMaster(MariaDbLab lab, String... users) {
    String list = "'" + String.join("','", users) + "'";
    // 30 s: far longer than a probe waits (connect 2 s, read 3 s), short enough that the sleeping server threads
    // (one per attempt) never reach max_connections
    lab.sql(1, "SET GLOBAL init_connect = \"DO IF(SUBSTRING_INDEX(CURRENT_USER(), '@', 1) IN (" + list + "), SLEEP(30), 0)\"");
    for (String user : users) endSessions(lab, user);
  }

  /** Locks an account on server 1 without binlogging it, and ends its sessions there. */
  private static void lockOnMasterOnly(MariaDbLab lab, String user) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + lab.address(1) + "/?user=root&password=rootpass");
        Statement st = c.createStatement()) {
      st.execute("SET SESSION sql_log_bin = 0");
      st.execute("ALTER USER '" + user + "'@'127.0.0.1' ACCOUNT LOCK");
    }
    endSessions(lab, user);
  }

  private static void endSessions(MariaDbLab lab, String user) {
    for (var p : lab.sql(1, "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" + user + "'")) {
      try {
        lab.sql(1, "KILL " + p.get("ID"));
      } catch (IllegalStateException gone) {
        // ended on its own meanwhile
      }
    }
  }

  private static int rows(MariaDbLab lab, int server) {
    return Integer.parseInt(lab.value(server, "SELECT COUNT(*) FROM app.t"));
  }
}
