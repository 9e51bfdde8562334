package io.herald.http;

import io.herald.cluster.HostPort;
import io.herald.discovery.AliasBinding;
import io.herald.discovery.DiscoveryView;
import io.herald.topology.ClusterAnalysis;
import io.herald.topology.ClusterTree;
import io.herald.topology.InstanceProblem;
import io.herald.topology.Observation;
import io.herald.topology.StructureProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * orchestrator's {@code replication-analysis} (and {@code replication-analysis/:clusterHint}): {@code Details} holds
 * one entry per discovered cluster, in cluster-name order, with orchestrator's fields and Herald's
 * {@code StructureProblems}, {@code Problems} and {@code PublishProblem}. Unlike orchestrator, a cluster without a
 * problem is listed too ({@code NoProblem}). With discovery off, {@code Details} is empty and the message says so.
 */
final class AnalysisRoutes {
  private final ApiJson json;
  private final ClusterLookup lookup;

  AnalysisRoutes(ApiJson json, ClusterLookup lookup) {
    this.json = json;
    this.lookup = lookup;
  }

  void register(ApiRoutes routes) {
    routes.read("/api/replication-analysis", ctx -> {
      Optional<DiscoveryView> view = lookup.view();
      List<Map<String, Object>> details = new ArrayList<>();
      view.ifPresent(v -> v.analyses().forEach(a -> details.add(entry(v, a))));
      json.ok(ctx, ApiResponse.ok(view.isPresent() ? "Analysis" : "Analysis: " + ClusterLookup.DISCOVERY_OFF, details));
    });
    routes.read("/api/replication-analysis/{clusterHint}", ctx -> {
      ClusterLookup.Found f = lookup.find(ctx.pathParam("clusterHint"));
      ClusterTree t = f.requireTree();
      DiscoveryView v = f.view().orElseThrow();
      List<Map<String, Object>> details = v.analysis(t.name()).map(a -> List.of(entry(v, a))).orElse(List.of());
      json.ok(ctx, ApiResponse.ok("Analysis", details));
    });
  }

  /** One cluster's entry of {@code Details}. */
  static Map<String, Object> entry(DiscoveryView v, ClusterAnalysis a) {
    Optional<ClusterTree> tree = v.topology().cluster(a.clusterName());
    Optional<AliasBinding.Decision> decision = v.decision(a.clusterName());
    HostPort analyzed = a.analyzedMaster().orElseGet(() -> tree.orElseThrow().namedAfter());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("AnalyzedInstanceKey", InstanceJson.key(analyzed));
    m.put("AnalyzedInstanceMasterKey", InstanceJson.noKey());
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("ClusterName", a.clusterName());
    cluster.put("ClusterAlias", decision.flatMap(AliasBinding.Decision::alias).map(x -> x.value())
        .orElse(a.clusterName()));
    cluster.put("SuggestedClusterAlias", a.alias().alias().value());
    cluster.put("ClusterDomain", "");
    cluster.put("CountInstances", tree.map(t -> t.members().size()).orElse(0));
    cluster.put("HeuristicLag", tree.map(t -> ClusterJson.heuristicLag(v.topology(), t)).orElse(0L));
    m.put("ClusterDetails", cluster);
    m.put("IsMaster", a.analyzedMaster().isPresent());
    m.put("LastCheckValid", v.topology().observation(analyzed).map(Observation::reachable).orElse(false));
    m.put("CountReplicas", a.countReplicas());
    m.put("CountValidReplicas", a.countValidReplicas());
    m.put("CountValidReplicatingReplicas", a.countReplicatingReplicas());
    m.put("CountReplicatingReplicas", a.countReplicatingReplicas());
    m.put("Analysis", a.code().name());
    m.put("Description", a.description());
    m.put("StructureAnalysis", structureAnalysis(a));
    m.put("StructureProblems", a.structure().stream().map(AnalysisRoutes::structure).toList());
    m.put("Problems", a.problems().stream().map(AnalysisRoutes::problem).toList());
    m.put("Publishable", a.publishable());
    m.put("PublishProblem", decision.flatMap(AliasBinding.Decision::problem).orElse(""));
    return m;
  }

  /**
   * orchestrator's warnings list, which orchestrator-client prints for a NoProblem cluster: the structure problems,
   * then the distinct codes of the instances' problems; {@code NoProblem} alone when there is none (orchestrator
   * leaves such clusters out; Herald lists every cluster).
   */
  private static java.util.List<String> structureAnalysis(io.herald.topology.ClusterAnalysis a) {
    java.util.List<String> out = new java.util.ArrayList<>(a.structure().stream().map(StructureProblem::name).toList());
    a.problems().stream().map(p -> p.code().name()).distinct().sorted().forEach(out::add);
    if (out.isEmpty()) out.add(a.code().name());
    return out;
  }

  private static Map<String, Object> structure(StructureProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Code", p.name());
    m.put("Message", p.message());
    return m;
  }

  private static Map<String, Object> problem(InstanceProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Key", InstanceJson.key(p.instance()));
    m.putAll(InstanceJson.problem(p));
    return m;
  }
}
