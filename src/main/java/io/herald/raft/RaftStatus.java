package io.herald.raft;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A node's view of its raft group, answered locally.
 *
 * @param state orchestrator's words: {@code Leader}, {@code Follower}, {@code Candidate}, {@code Listener} or
 *     {@code Shutdown}
 * @param self this node's advertised address
 * @param leader the leader's advertised address, when known
 * @param snapshotInstalls how many snapshots the leader sent this node since it started (a catch-up by snapshot)
 * @param followerSilenceMillis on the leader, for each follower, milliseconds since it last answered; empty on
 *     other nodes
 */
public record RaftStatus(
    String state, String self, Optional<String> leader, long term, long appliedIndex, long snapshotIndex,
    List<String> peers, boolean healthy, long snapshotInstalls, Map<String, Long> followerSilenceMillis) {
  public RaftStatus {
    peers = List.copyOf(peers);
    followerSilenceMillis = Collections.unmodifiableMap(new TreeMap<>(followerSilenceMillis));
  }

  /** The status of a node that is not running. */
  static RaftStatus shutdown(String self, List<String> peers) {
    return new RaftStatus("Shutdown", self, Optional.empty(), 0, -1, -1, peers, false, 0, Map.of());
  }

  public boolean isLeader() {
    return state.equals("Leader");
  }
}
