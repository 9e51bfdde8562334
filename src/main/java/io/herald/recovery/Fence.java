package io.herald.recovery;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.mysql.Demotion;
import io.herald.mysql.ReplicationControlException;
import io.herald.raft.Recovery;
import io.herald.topology.GtidPosition;
import io.herald.topology.InstanceState;
import io.herald.topology.Observation;
import io.herald.topology.Topology;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps masters that a recovery replaced from taking writes, on the leader: a deposed master seen writable by the
 * latest probe gets {@code read_only=1} and its privileged sessions killed, on the first probe that reaches it. It is
 * never published again by discovery (its cluster's alias stays with the successor's tree). When it has nothing the
 * successor lacks (its {@code gtid_binlog_pos} within the recovery's fork point) and {@code RejoinDeposedMasters}
 * is on, it is made a replica of the cluster's master; one that diverged is left read_only and reported, with the
 * transactions it has beyond the fork point.
 */
final class Fence {
  private static final Logger LOG = LoggerFactory.getLogger(Fence.class);
  private final RecoveryContext ctx;
  /** When each instance was last acted on: it is not acted on again until a newer probe shows it. */
  private final Map<HostPort, Instant> actedAt = new ConcurrentHashMap<>();
  private final Map<HostPort, String> reported = new ConcurrentHashMap<>();

  Fence(RecoveryContext ctx) {
    this.ctx = ctx;
  }

  /** One pass over the deposed masters this node's latest probes reached. */
  void check(Topology topology) {
    Map<HostPort, Alias> deposed = ctx.desired().deposedMasters();
    actedAt.keySet().retainAll(deposed.keySet());
    for (Map.Entry<HostPort, Alias> e : deposed.entrySet()) {
      HostPort h = e.getKey();
      Optional<Observation> o = topology.observation(h);
      if (o.isEmpty() || o.get().state().isEmpty()) continue;
      Instant last = actedAt.get(h);
      if (last != null && !o.get().attemptedAt().isAfter(last)) continue;
      // a probe from before the recovery that replaced it ended shows the master as it was (writable): not a return
      Optional<Recovery> replaced = ctx.desired().replacingRecovery(h);
      if (replaced.isPresent() && o.get().attemptedAt().toEpochMilli() <= replaced.get().endedAt()) continue;
      InstanceState s = o.get().state().get();
      try {
        if (!s.readOnly()) {
          fence(h, e.getValue());
        } else if (s.replication().isEmpty()) {
          rejoin(h, e.getValue(), s);
        }
      } catch (ReplicationControlException x) {
        once(h, "cannot fence " + h + ": " + x.getMessage());
      }
    }
  }

  private void fence(HostPort h, Alias alias) throws ReplicationControlException {
    ctx.raftGuard();
    actedAt.put(h, ctx.clock().instant());
    if (ctx.control().setReadOnly(h, true).status() != io.herald.mysql.ReadOnlyChange.Status.SET) return; // read_only already
    var killed = ctx.control().killWriteSessions(h);
    LOG.warn("cluster {}: {} was its master before a recovery and is writable again: set read_only=1 ({})", alias, h, killed);
  }

  private void rejoin(HostPort h, Alias alias, InstanceState s) throws ReplicationControlException {
    if (!ctx.options().rejoinDeposedMasters() || ctx.options().replicaCredentials().isEmpty()) return;
    Optional<Cluster> c = ctx.desired().get(alias);
    Optional<Recovery> replaced = ctx.desired().replacingRecovery(h);
    if (c.isEmpty() || replaced.isEmpty() || replaced.get().forkPoint().isEmpty()) return;
    GtidPosition fork = GtidPosition.parse(replaced.get().forkPoint());
    GtidPosition own = GtidPosition.of(s.gtidBinlogPos());
    if (!fork.contains(own)) {
      once(h, "cluster " + alias + ": " + h + " (its master before recovery " + replaced.get().id() + ") has transactions "
          + "beyond the fork point " + fork + ": gtid_binlog_pos " + own + "; left read_only, not rejoined");
      actedAt.put(h, ctx.clock().instant());
      return;
    }
    HostPort master = c.get().master().address();
    ctx.raftGuard();
    actedAt.put(h, ctx.clock().instant());
    Demotion d = ctx.control().demoteToReplica(h, master, ctx.options().replicaCredentials().get(), true);
    LOG.warn("cluster {}: old master {} rejoined as a replica of {}: {}", alias, h, master, d);
  }

  private void once(HostPort h, String message) {
    if (!message.equals(reported.put(h, message))) LOG.warn(message);
  }
}
