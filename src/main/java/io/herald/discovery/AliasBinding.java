package io.herald.discovery;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Origin;
import io.herald.topology.AnalysisCode;
import io.herald.topology.ClusterAnalysis;
import io.herald.topology.InstanceState;
import io.herald.topology.Observation;
import io.herald.topology.ClusterTree;
import io.herald.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which alias each discovered cluster is, and which master changes discovery should commit. Pure: a function of
 * the topology, its analysis and the replicated desired state.
 *
 * <p>A cluster keeps its alias across master changes: a tree that holds an alias's desired master (as master or,
 * after a switchover, as a replica) <em>is</em> that alias. A tree holding no alias's master takes the alias its
 * analysis suggests ({@code DetectClusterAliasQuery}, {@code ClusterNameToAlias}, or derived from the master), unless
 * another writable topology holds that alias's master, or another tree suggests the same alias: then both are
 * reported and neither is published. Only unambiguous masters (the analysis' {@code publishable}) are followed, and
 * declared clusters never.
 */
public final class AliasBinding {
  private AliasBinding() {}

  /** What discovery decided for one cluster tree. */
  public record Decision(String clusterName, Optional<Alias> alias, Optional<MasterChange> change, Optional<String> problem) {}

  /** The published master of a tree: the desired master of the alias bound to it, when there is one. */
  public static Optional<HostPort> published(ClusterTree tree, Collection<Cluster> desired) {
    return bound(tree, desired).map(c -> c.master().address());
  }

  private static Optional<Cluster> bound(ClusterTree tree, Collection<Cluster> desired) {
    Cluster found = null;
    for (Cluster c : desired) {
      if (!tree.members().contains(c.master().address())) continue;
      if (found != null) return Optional.empty(); // two aliases' masters in one tree: reported by decide()
      found = c;
    }
    return Optional.ofNullable(found);
  }

  private static List<Cluster> boundAll(ClusterTree tree, Collection<Cluster> desired) {
    List<Cluster> out = new ArrayList<>();
    for (Cluster c : desired) if (tree.members().contains(c.master().address())) out.add(c);
    return out;
  }

  public static List<Decision> decide(Topology topology, List<ClusterAnalysis> analyses, Collection<Cluster> desired) {
    Map<String, ClusterTree> trees = new HashMap<>();
    for (ClusterTree t : topology.clusters()) trees.put(t.name(), t);
    Map<Alias, Cluster> byAlias = new HashMap<>();
    for (Cluster c : desired) byAlias.put(c.alias(), c);
    // which topology holds each instance, and whether the alias of a master may leave it (see released())
    Map<HostPort, String> publishableTreeOf = new HashMap<>();
    Map<String, ClusterAnalysis> analysisOf = new HashMap<>();
    for (ClusterAnalysis a : analyses) analysisOf.put(a.clusterName(), a);
    Map<Alias, List<String>> suggested = new TreeMap<>();
    for (ClusterAnalysis a : analyses) {
      ClusterTree t = trees.get(a.clusterName());
      if (t == null) continue;
      if (a.publishable()) for (HostPort m : t.members()) publishableTreeOf.put(m, a.clusterName());
      if (a.publishable() && boundAll(t, desired).isEmpty()) {
        suggested.computeIfAbsent(a.alias().alias(), k -> new ArrayList<>()).add(a.clusterName());
      }
    }
    List<Decision> out = new ArrayList<>();
    for (ClusterAnalysis a : analyses) {
      ClusterTree t = trees.get(a.clusterName());
      if (t != null) out.add(decide(a, t, boundAll(t, desired), byAlias, publishableTreeOf, suggested, topology, analysisOf));
    }
    return out;
  }

  private static Decision decide(ClusterAnalysis a, ClusterTree t, List<Cluster> bound, Map<Alias, Cluster> byAlias,
      Map<HostPort, String> publishableTreeOf, Map<Alias, List<String>> suggested, Topology topology,
      Map<String, ClusterAnalysis> analysisOf) {
    String name = a.clusterName();
    if (bound.size() > 1) {
      List<String> aliases = bound.stream().map(c -> c.alias().value()).sorted().toList();
      return new Decision(name, Optional.empty(), Optional.empty(),
          Optional.of("one topology holds the masters of several aliases " + aliases + "; nothing is published for it"));
    }
    if (bound.size() == 1) {
      Cluster c = bound.get(0);
      if (!a.publishable()) return new Decision(name, Optional.of(c.alias()), Optional.empty(), Optional.empty());
      HostPort m = a.master().orElseThrow();
      if (m.equals(c.master().address())) return new Decision(name, Optional.of(c.alias()), Optional.empty(), Optional.empty());
      if (c.origin() == Origin.DECLARED) {
        return new Decision(name, Optional.of(c.alias()), Optional.empty(), Optional.of("the servers show " + m
            + " as master, but " + c.alias() + " is declared with " + c.master().address() + " (adopt-cluster hands it to discovery)"));
      }
      return new Decision(name, Optional.of(c.alias()), Optional.of(new MasterChange(c.alias(), m, c.epoch(), name, true)),
          Optional.empty());
    }
    if (!a.publishable()) return new Decision(name, Optional.empty(), Optional.empty(), Optional.empty());
    Alias alias = a.alias().alias();
    List<String> claimants = suggested.getOrDefault(alias, List.of());
    if (claimants.size() > 1) {
      return new Decision(name, Optional.empty(), Optional.empty(), Optional.of("topologies " + claimants
          + " all claim alias " + alias + "; none is published until one is renamed or forgotten"));
    }
    Cluster existing = byAlias.get(alias);
    HostPort m = a.master().orElseThrow();
    if (existing == null) {
      return new Decision(name, Optional.of(alias), Optional.of(new MasterChange(alias, m, 0, name, false)), Optional.empty());
    }
    String other = publishableTreeOf.get(existing.master().address());
    if (other != null || existing.origin() == Origin.DECLARED || !released(existing.master().address(), topology, analysisOf)) {
      return new Decision(name, Optional.empty(), Optional.empty(), Optional.of("alias " + alias + " belongs to "
          + (other != null ? "topology " + other : (existing.origin() == Origin.DECLARED ? "declared" : "unreachable")
              + " master " + existing.master().address())
          + "; this topology is not published under it"));
    }
    // the alias's old master is gone from every topology, dead, or left read-only: the cluster moved
    return new Decision(name, Optional.of(alias), Optional.of(new MasterChange(alias, m, existing.epoch(), name, false)),
        Optional.empty());
  }

  /**
   * Whether an alias's published master no longer holds it: gone from the topology, analysed as dead (its replicas
   * confirm it), or reached and read-only. An old master that is only unreachable from Herald (replicas still
   * connected to it, a timeout) keeps its alias: another writable server answering the same alias query is then a
   * clone or a detached replica, not the cluster.
   */
  private static boolean released(HostPort oldMaster, Topology topology, Map<String, ClusterAnalysis> analysisOf) {
    Optional<io.herald.topology.ClusterTree> tree = topology.clusterOf(oldMaster);
    if (tree.isEmpty()) return true;
    Optional<Observation> o = topology.observation(oldMaster);
    if (o.flatMap(Observation::state).map(InstanceState::readOnly).orElse(false)) return true;
    ClusterAnalysis a = analysisOf.get(tree.get().name());
    return a != null && a.analyzedMaster().equals(Optional.of(oldMaster)) && DEAD.contains(a.code());
  }

  private static final java.util.Set<AnalysisCode> DEAD = java.util.EnumSet.of(AnalysisCode.DeadMaster,
      AnalysisCode.DeadMasterAndSomeReplicas, AnalysisCode.DeadMasterAndReplicas, AnalysisCode.DeadMasterWithoutReplicas);
}
