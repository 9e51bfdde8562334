package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.testing.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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
  private final List<RatisNode> nodes = new ArrayList<>();
  private final List<DesiredState> states = new ArrayList<>();

  @AfterEach
  void close() {
    for (RatisNode n : nodes) n.close();
  }

  @Test
  void everyFollowerAppliesEachChangeLongBeforeAHeartbeatCouldTellIt() throws Exception {
    List<String> peers = List.of("127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + FreePort.pick());
    for (int i = 0; i < 3; i++) {
      RaftOptions o = new RaftOptions(peers.get(i), peers.get(i), dir.resolve("n" + i), peers, Duration.ofSeconds(10),
          Duration.ofSeconds(1), 100_000, 8 << 20, false, Optional.empty(), Duration.ofSeconds(60), true);
      DesiredState state = new DesiredState();
      states.add(state);
      nodes.add(new RatisNode(o, state, new StateListener() {
        @Override
        public void onApplied(List<Cluster> changed) {}

        @Override
        public void onReset(Collection<Cluster> all) {}
      }, ELECTION_TIMEOUT_MILLIS));
    }
    for (RatisNode n : nodes) n.start();
    await().atMost(Duration.ofSeconds(40)).until(() -> leader() >= 0);
    int leader = leader();
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
    assertThat(leader()).as("no election meanwhile").isEqualTo(leader);
  }

  /** The index of the node every node names as leader, or -1. */
  private int leader() {
    Optional<String> first = Optional.empty();
    for (RatisNode n : nodes) {
      Optional<String> l = n.status().leader();
      if (l.isEmpty() || (first.isPresent() && !first.equals(l))) return -1;
      first = l;
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).status().self().equals(first.get())) return i;
    }
    return -1;
  }
}
