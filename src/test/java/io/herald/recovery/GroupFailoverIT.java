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
 * with the same successor: exactly one server is promoted, and every surviving node publishes it.
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

  private String published(HeraldProcess n) {
    return get(n, "/api/kv/mysql/master/grp").path("Value").asText();
  }

  @Test
  void aLeaderKilledInTheMiddleOfAFailoverIsReplacedByOneThatFinishesItWithTheSameSuccessor() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24950, 3, "2->1, 3->1")) {
      int[] raft = {FreePort.pick(), FreePort.pick(), FreePort.pick()};
      String peers = "\"127.0.0.1:" + raft[0] + "\", \"127.0.0.1:" + raft[1] + "\", \"127.0.0.1:" + raft[2] + "\"";
      List<HeraldProcess> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          int port = FreePort.pick();
          Path cfg = dir.resolve("n" + i + ".json");
          Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:" + port + "\", \"RaftEnabled\": true, "
              + "\"RaftInsecureTransport\": true, \"RaftBind\": \"127.0.0.1:" + raft[i] + "\", \"RaftDataDir\": \""
              + dir.resolve("d" + i) + "\", \"RaftNodes\": [" + peers + "], " + FailoverIT.config(lab, "grp", "") + " }");
          nodes.add(new HeraldProcess(cfg, port));
        }
        for (HeraldProcess n : nodes) n.start();
        for (HeraldProcess n : nodes) {
          await().atMost(Duration.ofSeconds(30)).until(() -> published(n).equals(lab.address(1).toString()));
        }
        // every node sees the replicas connected before the master dies (each node's own verdict counts)
        for (HeraldProcess n : nodes) {
          await().atMost(Duration.ofSeconds(15)).until(() ->
              get(n, "/api/replication-analysis").path("Details").toString().contains("\"Analysis\":\"NoProblem\""));
        }
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
          await().atMost(Duration.ofSeconds(40)).until(() -> published(n).equals(lab.address(2).toString()));
        }
        JsonNode recoveries = get(nodes.get(0), "/api/audit-recovery");
        assertThat(recoveries.size()).isEqualTo(1);
        JsonNode r = recoveries.get(0);
        assertThat(r.path("IsSuccessful").asBoolean()).isTrue();
        assertThat(r.path("Steps").toString()).contains("resumed by", "relay log applied");
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

  private static int rows(MariaDbLab lab, int server) {
    return Integer.parseInt(lab.value(server, "SELECT COUNT(*) FROM app.t"));
  }
}
