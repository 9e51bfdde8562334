package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The analysis of one cluster, as orchestrator's {@code /api/replication-analysis} reports it plus Herald's problems.
 *
 * @param clusterName the master's (or root's) {@code host:port}, see {@link ClusterTree#name()}
 * @param alias what the cluster's alias would be if it had none yet: the suggestion of its presumed master, or for an
 *     ambiguous cluster of the instance it is named after (so that the alias whose topology is ambiguous is known)
 * @param master the master discovery may publish: the cluster's unambiguous master ({@link ClusterTree#master()}),
 *     reached by its latest probe; empty when the structure is ambiguous ({@code structure} not empty) or the master
 *     is not reachable now (a dead master stays the root and the subject of the code, but is never published anew)
 * @param analyzedMaster the instance the code is about (the master or the single read-only/unseen root)
 * @param code the analysis
 * @param countReplicas direct replicas of the analysed master
 * @param countValidReplicas of those, the ones whose last probe succeeded
 * @param countReplicatingReplicas of those, the ones with both IO and SQL threads running
 * @param structure why no master can be published, in enum order
 * @param problems per-instance problems, sorted by instance, then code
 * @param description one line for an operator
 */
public record ClusterAnalysis(
    String clusterName, AliasSuggestion alias, Optional<HostPort> master, Optional<HostPort> analyzedMaster,
    AnalysisCode code, int countReplicas, int countValidReplicas, int countReplicatingReplicas,
    List<StructureProblem> structure, List<InstanceProblem> problems, String description) {
  public ClusterAnalysis {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(analyzedMaster, "analyzedMaster");
    Objects.requireNonNull(code, "code");
    structure = List.copyOf(structure);
    problems = List.copyOf(problems);
    Objects.requireNonNull(description, "description");
  }

  /** Discovery may publish {@link #master()}: it is unambiguous. */
  public boolean publishable() {
    return master.isPresent();
  }
}
