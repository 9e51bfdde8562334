package io.herald.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.Recovery;
import io.herald.testing.InProcessNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader without discovery (no MySQLTopologyUser) cannot drive a recovery another node began: it ends it with the
 * reason instead of leaving it active for ever (which would freeze discovery's changes of that cluster), and the
 * cluster can be recovered again afterwards.
 */
class UndrivableRecoveriesIT {
  @TempDir Path dir;

  @Test
  void aLeaderWithoutDiscoveryEndsARecoveryItCannotDriveAndSaysWhy() throws Exception {
    try (InProcessNode node = InProcessNode.start(dir.resolve("n"), "")) {
      assertThat(node.post("/api/set-master/und/127.0.0.41/3306").status()).isEqualTo(200);
      long epoch = node.get("/api/kv/mysql/master/und/epoch").body().path("Value").asLong();
      assertThat(epoch).isPositive();
      String self = node.get("/api/raft-status").body().path("RaftAdvertise").asText();
      CommandResult begun = node.raft().submit(new Command.BeginRecovery(Alias.of("und"), epoch,
          new HostPort("127.0.0.41", 3306), Recovery.Kind.MANUAL, "recover", self, List.of(self), 0,
          System.currentTimeMillis(), Optional.empty())).get(10, TimeUnit.SECONDS);
      assertThat(begun.error()).isEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          node.get("/api/audit-recovery").body().path(0).path("State").asText().equals("ABORTED"));
      JsonNode r = node.get("/api/audit-recovery").body().get(0);
      assertThat(r.path("Id").asLong()).isEqualTo(begun.index());
      assertThat(r.path("AllErrors").toString()).contains("has no discovery", "MySQLTopologyUser");
      assertThat(node.get("/api/kv/mysql/master/und").body().path("Value").asText()).isEqualTo("127.0.0.41:3306");
      // nothing stays active: a next recovery of the cluster may begin (and is ended the same way)
      CommandResult again = node.raft().submit(new Command.BeginRecovery(Alias.of("und"), epoch,
          new HostPort("127.0.0.41", 3306), Recovery.Kind.MANUAL, "recover", self, List.of(self), 0,
          System.currentTimeMillis(), Optional.empty())).get(10, TimeUnit.SECONDS);
      assertThat(again.error()).isEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/api/audit-recovery").body().size() == 2
          && node.get("/api/audit-recovery").body().path(0).path("State").asText().equals("ABORTED"));
    }
  }
}
