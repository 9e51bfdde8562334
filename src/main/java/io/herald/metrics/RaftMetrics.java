package io.herald.metrics;

import io.herald.raft.RaftStatus;
import io.herald.raft.RaftTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * This node's raft state for Prometheus: whether it leads, its term, applied and snapshot indexes, snapshots
 * installed by the leader, and on the leader how long each configured follower has been silent.
 */
public final class RaftMetrics {
  private RaftMetrics() {}

  /** Registers the gauges, read from {@code status} at each scrape; {@code peers} are the configured peers. */
  public static void watch(MeterRegistry registry, Supplier<RaftStatus> status, List<String> peers,
      RaftTransport transport) {
    Gauge.builder("herald.raft.insecure.transport", () -> transport == RaftTransport.INSECURE ? 1 : 0)
        .description("1 when the raft port takes plaintext from anyone (RaftInsecureTransport), 0 with TLS")
        .register(registry);
    Gauge.builder("herald.raft.leader", () -> status.get().isLeader() ? 1 : 0)
        .description("1 on the leader, 0 elsewhere").register(registry);
    Gauge.builder("herald.raft.healthy", () -> status.get().healthy() ? 1 : 0)
        .description("1 when the node is part of a group with a leader").register(registry);
    Gauge.builder("herald.raft.term", () -> status.get().term()).description("this node's raft term").register(registry);
    Gauge.builder("herald.raft.applied.index", () -> status.get().appliedIndex())
        .description("last raft log index applied to the desired state").register(registry);
    Gauge.builder("herald.raft.snapshot.index", () -> status.get().snapshotIndex())
        .description("raft log index of the newest snapshot, -1 when none").register(registry);
    Gauge.builder("herald.raft.snapshots.installed", () -> status.get().snapshotInstalls())
        .description("snapshots the leader sent this node since it started").register(registry);
    for (String peer : peers) {
      Gauge.builder("herald.raft.follower.silence", () -> {
        Long ms = status.get().followerSilenceMillis().get(peer);
        return ms == null ? Double.NaN : ms / 1000.0;
      }).tag("peer", peer).baseUnit("seconds")
          .description("on the leader: time since the follower last answered; NaN elsewhere").register(registry);
    }
  }
}
