package io.herald.topology;

import io.herald.cluster.HostPort;
import io.herald.topology.InstanceProblem.Code;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The problems of each instance of a cluster, as a function of the topology and of the master Herald publishes for
 * the cluster. An unreachable instance has only {@link Code#UNREACHABLE} (its last state is no evidence of now);
 * an instance never probed has none.
 */
public final class InstanceProblems {
  private InstanceProblems() {}

  /**
   * The problems of {@code cluster}'s members, sorted by instance, then code.
   *
   * @param published the master Herald publishes for this cluster; when empty, the cluster's discovered master
   *     stands in (and with neither, every writable member is flagged when there are two or more)
   */
  public static List<InstanceProblem> of(Topology topology, ClusterTree cluster, Optional<HostPort> published,
      AnalysisOptions options) {
    Optional<HostPort> master = published.or(cluster::master);
    long writable = cluster.members().stream()
        .filter(m -> topology.observation(m).flatMap(Observation::state).map(s -> !s.readOnly()).orElse(false))
        .count();
    List<InstanceProblem> out = new ArrayList<>();
    for (HostPort m : cluster.members()) {
      Optional<Observation> o = topology.observation(m);
      if (o.isEmpty()) continue;
      if (o.get().error().isPresent()) {
        ProbeError e = o.get().error().get();
        out.add(InstanceProblem.of(m, Code.UNREACHABLE, "unreachable (" + e.kind() + "): " + e.message()));
        continue;
      }
      InstanceState s = o.get().state().orElseThrow();
      if (!s.readOnly() && (master.isPresent() ? !master.get().equals(m) : writable > 1)) {
        out.add(InstanceProblem.of(m, Code.WRITABLE_NOT_MASTER, master
            .map(x -> "writable (read_only OFF) but the master is " + x)
            .orElse("writable (read_only OFF), one of " + writable + " writable instances")));
      }
      s.replication().ifPresent(r -> replication(m, r, topology, cluster, master, options, out));
      errant(o.get(), master.flatMap(topology::observation)).ifPresent(out::add);
      s.missingPrivileges().filter(p -> !p.isEmpty()).ifPresent(p -> out.add(InstanceProblem.of(m,
          Code.MISSING_GRANTS, "missing privileges for a failover: " + String.join(", ", new TreeSet<>(p)))));
      if (master.filter(m::equals).isPresent() && s.semiSync().masterEnabled() && !s.semiSync().masterActive()) {
        out.add(InstanceProblem.of(m, Code.SEMI_SYNC_FELL_BACK_TO_ASYNC, "semi-sync is enabled but "
            + "Rpl_semi_sync_master_status is OFF: commits do not wait for a replica (" + s.semiSync().masterClients()
            + " clients)"));
      }
    }
    out.sort(Comparator.comparing(InstanceProblem::instance, Topology.keyOrder())
        .thenComparing(InstanceProblem::code));
    return List.copyOf(out);
  }

  private static void replication(HostPort m, ReplicaStatus r, Topology topology, ClusterTree cluster,
      Optional<HostPort> master, AnalysisOptions options, List<InstanceProblem> out) {
    boolean directReplicaOfRoot = cluster.roots().contains(r.source()) || cluster.cycle().contains(r.source());
    if (directReplicaOfRoot && master.isPresent() && !master.get().equals(r.source())) {
      out.add(InstanceProblem.of(m, Code.NOT_REPLICATING_FROM_MASTER,
          "replicates from " + r.source() + ", not from the master " + master.get()));
    }
    List<String> broken = new ArrayList<>();
    if (r.lastIoErrno() != 0) broken.add("IO error " + r.lastIoErrno() + ": " + r.lastIoError());
    if (r.lastSqlErrno() != 0) broken.add("SQL error " + r.lastSqlErrno() + ": " + r.lastSqlError());
    if (!r.sqlRunning()) broken.add("SQL thread stopped");
    if (!broken.isEmpty()) {
      out.add(InstanceProblem.of(m, Code.REPLICATION_BROKEN, "replication from " + r.source() + " broken: "
          + String.join("; ", broken)));
    } else if (r.io() == IoThread.NO) {
      out.add(InstanceProblem.of(m, Code.REPLICATION_STOPPED, "IO thread stopped without an error"));
    }
    long limit = options.reasonableReplicationLag().toSeconds();
    if (r.secondsBehindMaster().isPresent() && r.secondsBehindMaster().getAsLong() - r.sqlDelay() > limit) {
      out.add(InstanceProblem.of(m, Code.LAGGING, r.secondsBehindMaster().getAsLong() + " s behind " + r.source()
          + (r.sqlDelay() > 0 ? " (SQL_Delay " + r.sqlDelay() + " s)" : "") + ", more than " + limit + " s"));
    }
  }

  /**
   * Errant GTIDs of a reachable instance against a reachable master with a binary log. When the master was read
   * after the instance (its probe started after the instance's probe ended) every pair counts; otherwise the pairs
   * of the master's own server id are left out, since the master may have written those between the two reads,
   * while the other pairs (the replica's own writes, earlier masters') cannot have grown on the master since.
   * Probes of one round run at once, so without this an errant write would be judged only by chance.
   */
  static Optional<InstanceProblem> errant(Observation instance, Optional<Observation> master) {
    if (master.isEmpty() || master.get().key().equals(instance.key())) return Optional.empty();
    Optional<InstanceState> ms = master.get().state().filter(InstanceState::logBin);
    Optional<InstanceState> is = instance.state();
    if (ms.isEmpty() || is.isEmpty()) return Optional.empty();
    GtidList errant = ErrantGtids.of(is.get().gtidBinlogState(), ms.get().gtidBinlogState());
    if (master.get().attemptedAt().isBefore(instance.attemptedAt().plus(instance.latency()))) {
      long own = ms.get().serverId();
      errant = new GtidList(errant.gtids().stream().filter(g -> g.serverId() != own).toList());
    }
    if (errant.isEmpty()) return Optional.empty();
    return Optional.of(new InstanceProblem(instance.key(), Code.ERRANT_GTIDS, "errant GTIDs " + errant
        + ": not in the gtid_binlog_state of the master " + master.get().key(), errant));
  }
}
