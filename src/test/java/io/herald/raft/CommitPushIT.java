package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Ratis nodes in this JVM whose leader sends a heartbeat only every 4 s: a follower applies each change
 * within 2 s only because the leader tells it of every commit at once (CommitPushRpc), with no
 * commit-index entry in the log. A write sent to the leader goes straight into its own server; one sent to a
 * follower goes over gRPC to the leader (RaftWrites); both are checked.
 */
class CommitPushIT {
  /** The leader's heartbeat interval is half of this. */
  private static final long ELECTION_TIMEOUT_MILLIS = 8_000;
  private static final Alias ALIAS = new Alias("push");
  @TempDir Path dir;
  private InJvmGroup group;

  @AfterEach
  void close() {
    if (group != null) group.close();
  }

  @Test
  void everyFollowerAppliesEachChangeLongBeforeAHeartbeatCouldTellIt() throws Exception {
    group = new InJvmGroup(dir, Duration.ofSeconds(10), ELECTION_TIMEOUT_MILLIS);
    List<RatisNode> nodes = group.nodes;
    List<DesiredState> states = group.states;
    int leader = group.leader();
    int follower = (leader + 1) % 3;

    for (int round = 0; round < 10; round++) {
      // half the changes through the leader's own server, half over gRPC from a follower
      RatisNode via = nodes.get(round % 2 == 0 ? leader : follower);
      Master m = new Master(new HostPort("db-" + round + ".example.com", 3306), "", "");
      CommandResult r = via.submit(Command.SetMaster.declared(ALIAS, m, 0)).get(10, TimeUnit.SECONDS);
      assertThat(r.error()).isEmpty();
      long epoch = r.clusters().get(0).epoch();
      await("round " + round + ": every node applies epoch " + epoch)
          .atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
          .until(() -> states.stream().allMatch(s -> s.get(ALIAS).map(c -> c.epoch() == epoch && c.master().equals(m)).orElse(false)));
    }
    assertThat(group.leader()).as("no election meanwhile").isEqualTo(leader);
  }
}
