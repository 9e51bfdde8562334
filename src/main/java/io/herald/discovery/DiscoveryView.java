package io.herald.discovery;

import io.herald.cluster.HostPort;
import io.herald.topology.ClusterAnalysis;
import io.herald.topology.ClusterTree;
import io.herald.topology.Topology;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What this node knows of the MySQL side at one moment: the topology built from its latest observations, the
 * analysis of each cluster, and which alias each cluster is. Immutable; replaced as a whole after each change.
 */
public record DiscoveryView(Instant at, Topology topology, List<ClusterAnalysis> analyses, List<AliasBinding.Decision> decisions) {
  public DiscoveryView {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(topology, "topology");
    analyses = List.copyOf(analyses);
    decisions = List.copyOf(decisions);
  }

  /** The cluster tree of a cluster name, an alias, or any member's {@code host:port} (orchestrator's clusterHint). */
  public Optional<ClusterTree> cluster(String hint) {
    for (AliasBinding.Decision d : decisions) {
      if (d.alias().isPresent() && d.alias().get().value().equals(hint)) return topology.cluster(d.clusterName());
    }
    return topology.cluster(hint);
  }

  public Optional<ClusterAnalysis> analysis(String clusterName) {
    return analyses.stream().filter(a -> a.clusterName().equals(clusterName)).findFirst();
  }

  public Optional<AliasBinding.Decision> decision(String clusterName) {
    return decisions.stream().filter(d -> d.clusterName().equals(clusterName)).findFirst();
  }

  /** The alias bound to the cluster of {@code instance}, when it has one. */
  public Optional<String> aliasOf(HostPort instance) {
    return topology.clusterOf(instance).flatMap(t -> decision(t.name())).flatMap(AliasBinding.Decision::alias)
        .map(a -> a.value());
  }
}
