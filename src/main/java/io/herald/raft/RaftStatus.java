package io.herald.raft;

import java.util.List;
import java.util.Optional;

/**
 * A node's view of its raft group, answered locally.
 *
 * @param state orchestrator's words: {@code Leader}, {@code Follower}, {@code Candidate}, {@code Listener} or
 *     {@code Shutdown}
 * @param self this node's advertised address
 * @param leader the leader's advertised address, when known
 * @param snapshotInstalls how many snapshots the leader sent this node since it started (a catch-up by snapshot)
 */
public record RaftStatus(
    String state, String self, Optional<String> leader, long term, long appliedIndex, long snapshotIndex,
    List<String> peers, boolean healthy, long snapshotInstalls) {
  public RaftStatus {
    peers = List.copyOf(peers);
  }

  public boolean isLeader() {
    return state.equals("Leader");
  }
}
