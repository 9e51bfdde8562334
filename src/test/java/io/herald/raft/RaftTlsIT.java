package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.FreePort;
import io.herald.testing.InProcessNode;
import io.herald.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raft over mutual TLS: nodes with certificates from the group's CA form a group and replicate; a node whose
 * certificate comes from another CA cannot join or feed the group.
 */
class RaftTlsIT {
  @TempDir Path dir;

  @Test
  void onlyNodesWithTheGroupsCertificateJoin() throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    Path ca = certs.ca("group");
    certs.ca("rogue");
    Path[][] nodeCerts = {certs.node("n1", "group"), certs.node("n2", "group"), certs.node("n3", "rogue")};
    int[] raft = {FreePort.pick(), FreePort.pick(), FreePort.pick()};
    String peers = "\"127.0.0.1:" + raft[0] + "\", \"127.0.0.1:" + raft[1] + "\", \"127.0.0.1:" + raft[2] + "\"";
    List<InProcessNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(InProcessNode.start(dir.resolve("d" + i), "\"RaftEnabled\": true, \"RaftBind\": \"127.0.0.1:" + raft[i]
            + "\", \"RaftNodes\": [" + peers + "], \"RaftTLSCertFile\": \"" + nodeCerts[i][0] + "\", \"RaftTLSKeyFile\": \""
            + nodeCerts[i][1] + "\", \"RaftTLSCAFile\": \"" + ca + "\""));
      }
      InProcessNode n1 = nodes.get(0);
      InProcessNode rogue = nodes.get(2);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          nodes.get(0).get("/api/leader-check").status() == 200 || nodes.get(1).get("/api/leader-check").status() == 200);
      assertThat(n1.post("/api/set-master/tls1/127.0.0.81/3306").status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(20)).until(() -> nodes.get(1).get("/api/master/tls1").status() == 200);
      assertThat(n1.get("/api/raft-status").body().path("RaftTLS").asBoolean()).isTrue();
      // the node with a certificate from another CA never receives the state, and never leads
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
        assertThat(rogue.get("/api/master/tls1").status()).isEqualTo(404);
        assertThat(rogue.get("/api/leader-check").status()).isEqualTo(404);
      });
    } finally {
      for (InProcessNode n : nodes) n.close();
    }
  }
}
