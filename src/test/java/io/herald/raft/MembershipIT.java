package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.FreePort;
import io.herald.testing.InProcessNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Membership changes through raft: a node is added to a running group, receives its state, and is removed. */
class MembershipIT {
  @TempDir Path dir;

  @Test
  void aPeerAddedThroughTheApiJoinsCatchesUpAndCanBeRemoved() throws Exception {
    int raftA = FreePort.pick();
    int raftB = FreePort.pick();
    String a = "127.0.0.1:" + raftA;
    String b = "127.0.0.1:" + raftB;
    try (InProcessNode nodeA = InProcessNode.start(dir.resolve("a"), "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"" + a
        + "\", \"RaftNodes\": [\"" + a + "\"]")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.get("/api/leader-check").status() == 200);
      assertThat(nodeA.post("/api/set-master/mem1/127.0.0.111/3306").status()).isEqualTo(200);
      // the new node starts knowing both members; it holds nothing until the group takes it in
      try (InProcessNode nodeB = InProcessNode.start(dir.resolve("b"), "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"" + b
          + "\", \"RaftNodes\": [\"" + a + "\", \"" + b + "\"]")) {
        assertThat(nodeB.get("/api/master/mem1").status()).isEqualTo(404);
        InProcessNode.Reply added = nodeA.post("/api/raft-add-peer/" + b);
        assertThat(added.status()).as(added.text()).isEqualTo(200);
        assertThat(nodeA.get("/api/raft-peers").body().toString()).contains(a, b);
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeB.get("/api/master/mem1").status() == 200);
        assertThat(nodeB.get("/api/master/mem1").body().path("Key").path("Hostname").asText()).isEqualTo("127.0.0.111");

        InProcessNode.Reply removed = nodeA.post("/api/raft-remove-peer/" + b);
        assertThat(removed.status()).as(removed.text()).isEqualTo(200);
        assertThat(nodeA.get("/api/raft-peers").body().toString()).contains(a).doesNotContain(b);
        assertThat(nodeA.post("/api/set-master/mem2/127.0.0.112/3306").status()).isEqualTo(200);
      }
    }
  }

  /**
   * Removing a non-member is 404, removing the only member 409; adding a peer that does not answer fails with 503
   * within about RaftWriteTimeoutSeconds, and the group is unchanged and still takes writes.
   */
  @Test
  void membershipChangesThatCannotBeDoneAreRefusedQuickly() throws Exception {
    String a = "127.0.0.1:" + FreePort.pick();
    String nobody = "127.0.0.1:" + FreePort.pick();
    try (InProcessNode nodeA = InProcessNode.start(dir.resolve("a"), "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, "
        + "\"RaftWriteTimeoutSeconds\": 3, \"RaftBind\": \"" + a + "\", \"RaftNodes\": [\"" + a + "\"]")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.get("/api/leader-check").status() == 200);
      InProcessNode.Reply notMember = nodeA.post("/api/raft-remove-peer/" + nobody);
      assertThat(notMember.status()).as(notMember.text()).isEqualTo(404);
      assertThat(notMember.body().path("Message").asText()).contains("not a member");
      InProcessNode.Reply last = nodeA.post("/api/raft-remove-peer/" + a);
      assertThat(last.status()).as(last.text()).isEqualTo(409);
      assertThat(last.body().path("Message").asText()).contains("only member");

      long started = System.nanoTime();
      InProcessNode.Reply unreachable = nodeA.post("/api/raft-add-peer/" + nobody);
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(unreachable.status()).as(unreachable.text()).isEqualTo(503);
      assertThat(unreachable.body().path("Code").asText()).isEqualTo("ERROR");
      assertThat(tookMillis).as("answered after %d ms", tookMillis).isLessThan(6_000);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(nodeA.get("/api/raft-peers").body().toString()).contains(a).doesNotContain(nobody));
      await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.post("/api/set-master/mem3/127.0.0.113/3306").status() == 200);
    }
  }

  /** RaftNodes changed after the first start is not applied: the node says so and how to change membership. */
  @Test
  void aChangedRaftNodesIsReportedAtStart() throws Exception {
    String a = "127.0.0.1:" + FreePort.pick();
    String b = "127.0.0.1:" + FreePort.pick();
    String base = "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"" + a + "\", ";
    try (InProcessNode first = InProcessNode.start(dir.resolve("a"), base + "\"RaftNodes\": [\"" + a + "\"]")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> first.get("/api/leader-check").status() == 200);
      // an acknowledged change: the log (and its configuration entry, the stored membership) is on disk. Closed
      // before that, the node would restart from the configured RaftNodes, as a group never started
      assertThat(first.post("/api/set-master/mem9/127.0.0.119/3306").status()).isEqualTo(200);
    }
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RatisNode.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try (InProcessNode again = InProcessNode.start(dir.resolve("a"), base + "\"RaftNodes\": [\"" + a + "\", \"" + b + "\"]")) {
      // under a heavy load (a whole suite beside other builds on 2 cores) this election once took over 30 s
      await().atMost(Duration.ofSeconds(90)).until(() -> again.get("/api/leader-check").status() == 200);
      assertThat(again.get("/api/raft-peers").body().toString()).contains(a).doesNotContain(b);
      assertThat(seen.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
          .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
          .anySatisfy(m -> assertThat(m).contains("RaftNodes").contains(b).contains("using the stored membership")
              .contains("raft-add-peer").contains("raft-remove-peer"));
    } finally {
      log.detachAppender(seen);
    }
  }

  @Test
  void aBadPeerAddressIsRefused() throws Exception {
    int raftA = FreePort.pick();
    String a = "127.0.0.1:" + raftA;
    try (InProcessNode nodeA = InProcessNode.start(dir.resolve("a"), "\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"" + a
        + "\", \"RaftNodes\": [\"" + a + "\"]")) {
      for (String bad : new String[] {"not-a-peer", "127.0.0.1:99999", "127.0.0.1:0", "-x:10008", "127.0.0.1:+1"}) {
        for (String op : new String[] {"add", "remove"}) {
          InProcessNode.Reply r = nodeA.post("/api/raft-" + op + "-peer/" + bad);
          assertThat(r.status()).as(op + " " + bad).isEqualTo(400);
          assertThat(r.body().path("Code").asText()).isEqualTo("ERROR");
        }
      }
      assertThat(nodeA.get("/api/raft-peers").text()).doesNotContain("99999");
    }
  }
}
