package io.herald.recovery;

import static io.herald.recovery.FailoverIT.awaitDiscovered;
import static io.herald.recovery.FailoverIT.config;
import static io.herald.recovery.FailoverIT.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.InProcessNode;
import io.herald.testing.MariaDbLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What must not be failed over, on real servers: a master that refuses Herald (its account locked there: Herald
 * cannot read it, as when only Herald's network path to it is cut) while its replicas still replicate, even with
 * their SQL threads stopped; and a successor is never a replica with errant GTIDs.
 */
class NotADeadMasterIT {
  @TempDir Path dir;

  @Test
  void aMasterOnlyHeraldCannotReadIsNotFailedOverEvenWhenTheReplicasSqlThreadsAreStopped() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24965, 3, "2->1, 3->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"), config(lab, "nd1", ""))) {
      awaitDiscovered(node, lab, "nd1", 2);
      lab.sql(2, "STOP SLAVE SQL_THREAD");
      lab.sql(3, "STOP SLAVE SQL_THREAD");
      lab.sql(MariaDbLab.Login.ROOT, 1, "ALTER USER 'herald'@'127.0.0.1' ACCOUNT LOCK");
      for (Map<String, String> p : lab.sql(MariaDbLab.Login.ROOT, 1, "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'herald'")) {
        lab.sql(MariaDbLab.Login.ROOT, 1, "KILL " + p.get("ID"));
      }
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.discovery().view().analysis(lab.address(1).toString())
            .map(a -> a.code().name()).orElse("").equals("UnreachableMaster"));
        // several polls later: still only unreachable, nothing begun, nothing changed
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() ->
            node.get("/api/audit-recovery").body().isEmpty() && published(node, "nd1").equals(lab.address(1).toString()));
        assertThat(node.get("/api/failure-reports/nd1").body().path("Details").path("DeadMasterQuorum").asBoolean()).isFalse();
        assertThat(lab.value(2, "SELECT @@global.read_only")).isEqualTo("1");
        assertThat(lab.value(3, "SELECT @@global.read_only")).isEqualTo("1");
      } finally {
        lab.sql(MariaDbLab.Login.ROOT, 1, "ALTER USER 'herald'@'127.0.0.1' ACCOUNT UNLOCK");
      }
    }
  }

  @Test
  void aReplicaWithErrantGtidsIsNeverPromoted() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24960, 3, "2->1, 3->1");
        InProcessNode node = InProcessNode.start(dir.resolve("n"), config(lab, "nd2", ""))) {
      AckedWriter.createTable(lab, 1);
      awaitDiscovered(node, lab, "nd2", 2);
      lab.awaitCaughtUp(2, 1, Duration.ofSeconds(10));
      lab.awaitCaughtUp(3, 1, Duration.ofSeconds(10));
      // a write made on replica 2 itself (in a domain of its own, so replication goes on): an errant GTID
      lab.sql(MariaDbLab.Login.ROOT, 2, "SET STATEMENT gtid_domain_id = 7 FOR INSERT INTO app.t VALUES (999, 0)");
      await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/api/instance/127.0.0.1/24961").text().contains("ERRANT_GTIDS"));
      lab.kill9(1);
      // 2 and 3 received the same; the tie would go to 2 (the lower key), but its errant GTID rules it out
      await().atMost(Duration.ofSeconds(15)).until(() -> published(node, "nd2").equals(lab.address(3).toString()));
      assertThat(node.get("/api/audit-recovery").body().get(0).path("Steps").toString())
          .contains(lab.address(2) + " (errant GTIDs 7-2-1)");
      assertThat(lab.value(2, "SELECT @@global.read_only")).isEqualTo("1");
    }
  }
}
