package io.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.InProcessNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** orchestrator's downtime and register-candidate endpoints: raft commands, listed back, bad input refused as JSON. */
class OperatorIntentIT {
  @TempDir Path dir;

  @Test
  void downtimesAndCandidatesGoThroughRaftAndBadInputIsRefused() throws Exception {
    try (InProcessNode node = InProcessNode.start(dir.resolve("d"), "")) {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
          .until(() -> node.get("/api/leader-check").status() == 200);
      assertThat(node.post("/api/begin-downtime/127.0.0.1/23306/ops/upgrade/10m").status()).isEqualTo(200);
      var list = node.get("/api/downtimes").body();
      assertThat(list).hasSize(1);
      assertThat(list.get(0).path("Key").path("Port").asInt()).isEqualTo(23306);
      assertThat(list.get(0).path("Owner").asText()).isEqualTo("ops");
      assertThat(node.post("/api/end-downtime/127.0.0.1/23306").status()).isEqualTo(200);
      assertThat(node.get("/api/downtimes").body()).isEmpty();
      assertThat(node.post("/api/end-downtime/127.0.0.1/23306").status()).isEqualTo(404);
      for (String bad : new String[] {"/api/begin-downtime/127.0.0.1/23306/ops/upgrade/10x",
          "/api/begin-downtime/127.0.0.1/23306/ops/upgrade/0", "/api/begin-downtime/127.0.0.1/03306/ops/upgrade",
          "/api/register-candidate/127.0.0.1/23306/must", "/api/register-candidate/127.0.0.1/23306/always"}) {
        InProcessNode.Reply r = node.post(bad);
        assertThat(r.status()).as(bad).isEqualTo(400);
        assertThat(r.body().path("Code").asText()).as(bad).isEqualTo("ERROR");
      }
      assertThat(node.post("/api/register-candidate/127.0.0.1/23307/must_not").status()).isEqualTo(200);
      var candidates = node.get("/api/candidates").body();
      assertThat(candidates).hasSize(1);
      assertThat(candidates.get(0).path("PromotionRule").asText()).isEqualTo("must_not");
    }
  }
}
