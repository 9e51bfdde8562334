package io.herald.recovery;

import static io.herald.recovery.FailoverIT.awaitDiscovered;
import static io.herald.recovery.FailoverIT.config;
import static io.herald.recovery.FailoverIT.published;
import static io.herald.recovery.FailoverIT.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.InProcessNode;
import io.herald.testing.MariaDbLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * graceful-master-takeover[-auto] against real servers under a writer: the designated replica takes over with no
 * acknowledged write lost, the other replica and the old master follow it; a replica that cannot catch up in time
 * leaves the old master writable and published.
 */
class GracefulTakeoverIT {
  @TempDir Path dir;

  private static Map<String, String> slaveStatus(MariaDbLab lab, int server) {
    return lab.sql(server, "SHOW SLAVE STATUS").get(0);
  }

  @Test
  void theDesignatedReplicaTakesOverUnderAWriterAndTheOldMasterFollowsIt() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24940, 3, "2->1, 3->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"), config(lab, "gt", ""))) {
      AckedWriter.createTable(lab, 1);
      awaitDiscovered(node, lab, "gt", 2);
      Set<Integer> acked;
      try (AckedWriter w = new AckedWriter(node, "gt", 200_000, 60_000).start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> w.acked().size() >= 50);
        InProcessNode.Reply r = node.post("/api/graceful-master-takeover/gt/127.0.0.1/24941");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().path("Details").path("SuccessorKey").path("Port").asInt()).isEqualTo(24941);
        assertThat(published(node, "gt")).isEqualTo(lab.address(2).toString());
        int before = w.acked().size();
        await().atMost(Duration.ofSeconds(15)).until(() -> w.acked().size() >= before + 20);
        w.close();
        acked = w.acked();
      }
      assertThat(rows(lab, 2)).containsAll(acked);
      assertThat(lab.value(1, "SELECT @@global.read_only")).isEqualTo("1");
      assertThat(slaveStatus(lab, 1).get("Master_Port")).isEqualTo("24941");
      assertThat(slaveStatus(lab, 1).get("Slave_IO_Running")).isEqualTo("No"); // started only with -auto
      assertThat(slaveStatus(lab, 3).get("Master_Port")).isEqualTo("24941");
      JsonNode rec = node.get("/api/audit-recovery").body().get(0);
      assertThat(rec.path("Kind").asText()).isEqualTo("GRACEFUL");
      assertThat(rec.path("IsSuccessful").asBoolean()).isTrue();

      // and back to server 1 with -auto: the old master (2) is started under it this time
      lab.sql(1, "START SLAVE");
      lab.awaitCaughtUp(1, 2, Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(10)).until(() ->
          node.discovery().view().topology().children(lab.address(2)).contains(lab.address(1)));
      InProcessNode.Reply back = node.post("/api/graceful-master-takeover-auto/gt/127.0.0.1/24940");
      assertThat(back.status()).as(back.text()).isEqualTo(200);
      assertThat(published(node, "gt")).isEqualTo(lab.address(1).toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> "Yes".equals(slaveStatus(lab, 2).get("Slave_IO_Running"))
          && "24940".equals(slaveStatus(lab, 2).get("Master_Port")));
      // a graceful takeover never blocks a later automatic recovery
      assertThat(node.get("/api/blocked-recoveries").body().size()).isZero();
    }
  }

  @Test
  void aReplicaThatCannotCatchUpInTimeLeavesTheOldMasterWritableAndPublished() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24945, 3, "2->1, 3->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"),
            config(lab, "gt2", "\"ReasonableMaintenanceReplicationLagSeconds\": 1"))) {
      AckedWriter.createTable(lab, 1);
      awaitDiscovered(node, lab, "gt2", 2);
      lab.sql(2, "STOP SLAVE SQL_THREAD");
      lab.sql(1, "INSERT INTO app.t VALUES (1, 0)");
      InProcessNode.Reply r = node.post("/api/graceful-master-takeover/gt2/127.0.0.1/24946");
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.text()).contains("did not apply", "ReasonableMaintenanceReplicationLagSeconds", "writable again");
      assertThat(lab.value(1, "SELECT @@global.read_only")).isEqualTo("0");
      assertThat(published(node, "gt2")).isEqualTo(lab.address(1).toString());
      assertThat(lab.value(2, "SELECT @@global.read_only")).isEqualTo("1");
      assertThat(slaveStatus(lab, 2).get("Master_Port")).isEqualTo("24945");
      assertThat(node.post("/api/graceful-master-takeover/gt2/127.0.0.1/24999").status()).isEqualTo(400);
      assertThat(node.post("/api/graceful-master-takeover/gt2").status()).isEqualTo(400); // two replicas: name one
      assertThat(node.post("/api/graceful-master-takeover/nosuch").status()).isEqualTo(404);

      // force-master-takeover discards the live master at once: 3 promoted, the old master fenced read_only
      assertThat(node.post("/api/force-master-takeover/gt2/127.0.0.1/24999").status()).isEqualTo(400);
      InProcessNode.Reply forced = node.post("/api/force-master-takeover/gt2/127.0.0.1/24947");
      assertThat(forced.status()).as(forced.text()).isEqualTo(200);
      assertThat(forced.body().path("Details").path("SuccessorKey").path("Port").asInt()).isEqualTo(24947);
      assertThat(published(node, "gt2")).isEqualTo(lab.address(3).toString());
      assertThat(lab.value(3, "SELECT @@global.read_only")).isEqualTo("0");
      await().atMost(Duration.ofSeconds(5)).until(() -> lab.value(1, "SELECT @@global.read_only").equals("1"));
      assertThat(forced.body().path("Details").path("Steps").toString()).contains("promoting the designated 127.0.0.1:24947");
    }
  }
}
