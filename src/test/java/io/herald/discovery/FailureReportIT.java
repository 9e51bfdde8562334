package io.herald.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.InProcessNode;
import io.herald.testing.MariaDbLab;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure detection goes through raft: when the master of a real cluster is killed, the node commits one report
 * of DeadMaster at the cluster's epoch (and one NoProblem before), and the group's quorum says the master is dead;
 * the global recoveries switch is a raft command too.
 */
class FailureReportIT {
  @TempDir Path dir;

  @Test
  void aKilledMasterIsReportedDeadThroughRaftOnce() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24800, 3, "2->1, 3->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"), "\"MySQLTopologyUser\": \"herald\", "
            + "\"MySQLTopologyPassword\": \"" + lab.password(MariaDbLab.Login.HERALD).value() + "\", \"InstancePollSeconds\": 1, "
            + "\"DiscoverySeeds\": [\"" + lab.address(1) + "\"], \"DetectClusterAliasQuery\": \"SELECT 'fr'\"")) {
      await().atMost(Duration.ofSeconds(15)).until(() -> node.get("/api/master/fr").status() == 200);
      String self = node.get("/api/raft-status").body().path("RaftAdvertise").asText();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          reports(node).path("Reports").path(self).path("Analysis").asText().equals("NoProblem"));
      assertThat(reports(node).path("DeadMasterQuorum").asBoolean()).isFalse();
      lab.kill9(1);
      await().atMost(Duration.ofSeconds(15)).until(() -> reports(node).path("DeadMasterQuorum").asBoolean());
      JsonNode mine = reports(node).path("Reports").path(self);
      assertThat(mine.path("Analysis").asText()).isEqualTo("DeadMaster");
      assertThat(mine.path("Current").asBoolean()).isTrue();
      // the verdict stays DeadMaster: no raft entry per probe round (4 rounds pass; Ratis may add a metadata entry)
      long applied = node.get("/api/raft-status").body().path("AppliedIndex").asLong();
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
          node.get("/api/raft-status").body().path("AppliedIndex").asLong() - applied <= 1);

      assertThat(node.get("/api/check-global-recoveries").body().path("Details").asText()).isEqualTo("enabled");
      assertThat(node.post("/api/disable-global-recoveries").status()).isEqualTo(200);
      assertThat(node.get("/api/check-global-recoveries").body().path("Details").asText()).isEqualTo("disabled");
      assertThat(node.get("/api/failure-reports/nosuch").status()).isEqualTo(404);
    }
  }

  private static JsonNode reports(InProcessNode node) {
    return node.get("/api/failure-reports/fr").body().path("Details");
  }
}
