package io.herald.topology;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * orchestrator's replication analysis of each cluster, as a function of the latest observations, with one fix: a
 * replica still sees its master while its IO thread is connected ({@link ReplicaStatus#connected()}), whatever its
 * SQL thread does. A master is down only when its probe failed in a way that {@link ProbeError#suggestsDown()}; one
 * that refuses Herald's user answers, so it is not dead. A replica confirms the loss of its master when its IO
 * thread is {@code Connecting}, or stopped with {@code Last_IO_Errno} set; one stopped without an error says nothing.
 */
public final class ReplicationAnalysis {
  private ReplicationAnalysis() {}

  /** Every cluster of the topology, in cluster-name order; {@code published} gives each one's published master. */
  public static List<ClusterAnalysis> of(Topology topology, Function<ClusterTree, Optional<HostPort>> published,
      AnalysisOptions options) {
    List<ClusterAnalysis> out = new ArrayList<>(topology.clusters().size());
    for (ClusterTree c : topology.clusters()) out.add(of(topology, c, published.apply(c), options));
    return List.copyOf(out);
  }

  /** One cluster, with the master Herald publishes for it (empty if none). */
  public static ClusterAnalysis of(Topology topology, ClusterTree cluster, Optional<HostPort> published,
      AnalysisOptions options) {
    List<InstanceProblem> problems = InstanceProblems.of(topology, cluster, published, options);
    Optional<HostPort> analyzed = cluster.presumedMaster();
    if (analyzed.isEmpty()) {
      return new ClusterAnalysis(cluster.name(), suggestion(topology, cluster.namedAfter(), options),
          Optional.empty(), Optional.empty(),
          AnalysisCode.AmbiguousMasterStructure, 0, 0, 0, cluster.problems(), problems,
          describe(cluster.problems()));
    }
    HostPort m = analyzed.get();
    Counts n = Counts.of(topology, m, options);
    AnalysisCode code = code(topology.observation(m), topology.knownState(m), n);
    AliasSuggestion alias = suggestion(topology, m, options);
    Optional<ProbeError> error = topology.observation(m).flatMap(Observation::error);
    String description = m + ": " + code + " (" + n.replicas + " replicas, " + n.valid + " reached, "
        + n.replicating + " replicating, " + n.connected + " IO connected, " + n.lost + " lost the master)"
        + error.map(e -> "; master probe failed (" + e.kind() + "): " + e.message()).orElse("");
    // a master is published only while it is seen: a dead one stays the root, but is never published anew
    Optional<HostPort> publish = cluster.master()
        .filter(x -> topology.observation(x).map(Observation::reachable).orElse(false));
    return new ClusterAnalysis(cluster.name(), alias, publish, analyzed, code, n.replicas, n.valid,
        n.replicating, cluster.problems(), problems, description);
  }

  /**
   * Aliases suggested by two or more clusters, each with the names of those clusters (sorted); empty when none. Such
   * clusters are reported, never merged: neither may be bound to the alias on the strength of the suggestion alone.
   */
  public static SortedMap<Alias, List<String>> sharedAliases(List<ClusterAnalysis> analyses) {
    SortedMap<Alias, List<String>> byAlias = new TreeMap<>();
    for (ClusterAnalysis a : analyses) {
      byAlias.computeIfAbsent(a.alias().alias(), x -> new ArrayList<>()).add(a.clusterName());
    }
    SortedMap<Alias, List<String>> shared = new TreeMap<>();
    byAlias.forEach((alias, names) -> {
      if (names.size() > 1) shared.put(alias, names.stream().sorted().toList());
    });
    return shared;
  }

  private static AnalysisCode code(Optional<Observation> master, Optional<InstanceState> known, Counts n) {
    if (master.isEmpty()) return AnalysisCode.MasterNotDiscovered;
    Optional<ProbeError> error = master.get().error();
    if (error.isPresent()) {
      if (!error.get().suggestsDown()) return AnalysisCode.UnreachableMaster;
      if (n.replicas == 0) return AnalysisCode.DeadMasterWithoutReplicas;
      if (n.valid == 0) return AnalysisCode.DeadMasterAndReplicas;
      if (n.connected > 0) {
        return n.connected == n.lagging ? AnalysisCode.UnreachableMasterWithLaggingReplicas
            : AnalysisCode.UnreachableMaster;
      }
      if (n.lost == 0) return known.isEmpty() ? AnalysisCode.MasterNotDiscovered : AnalysisCode.UnreachableMaster;
      return n.valid == n.replicas ? AnalysisCode.DeadMaster : AnalysisCode.DeadMasterAndSomeReplicas;
    }
    if (known.orElseThrow().readOnly()) return AnalysisCode.NoWriteableMasterStructureWarning;
    if (n.replicas == 1 && n.valid == 0) return AnalysisCode.MasterSingleReplicaDead;
    if (n.replicas == 1 && n.replicating == 0) return AnalysisCode.MasterSingleReplicaNotReplicating;
    if (n.replicas > 1 && n.replicating == 0) {
      return n.valid == n.replicas ? AnalysisCode.AllMasterReplicasNotReplicating
          : AnalysisCode.AllMasterReplicasNotReplicatingOrDead;
    }
    return AnalysisCode.NoProblem;
  }

  private static AliasSuggestion suggestion(Topology topology, HostPort key, AnalysisOptions options) {
    return AliasSuggestion.of(key, topology.knownState(key).flatMap(InstanceState::clusterAlias),
        options.clusterNameToAlias());
  }

  private static String describe(List<StructureProblem> problems) {
    return "no single master: " + String.join("; ", problems.stream().map(StructureProblem::message).toList());
  }

  /** The direct replicas of a master, counted by what their latest probe read. */
  private record Counts(int replicas, int valid, int replicating, int connected, int lost, int lagging) {
    static Counts of(Topology topology, HostPort master, AnalysisOptions options) {
      int replicas = 0, valid = 0, replicating = 0, connected = 0, lost = 0, lagging = 0;
      long limit = options.reasonableReplicationLag().toSeconds();
      for (HostPort r : topology.children(master)) {
        replicas++;
        Optional<ReplicaStatus> s = topology.observation(r).flatMap(Observation::state)
            .flatMap(InstanceState::replication);
        if (topology.observation(r).map(Observation::reachable).orElse(false)) valid++;
        if (s.isEmpty()) continue;
        ReplicaStatus rs = s.get();
        if (rs.connected() && rs.sqlRunning()) replicating++;
        if (rs.connected()) connected++;
        if (rs.connected() && rs.secondsBehindMaster().orElse(0) - rs.sqlDelay() > limit) lagging++;
        if (rs.io() == IoThread.CONNECTING || (rs.io() == IoThread.NO && rs.lastIoErrno() != 0)) lost++;
      }
      return new Counts(replicas, valid, replicating, connected, lost, lagging);
    }
  }
}
