package io.herald.http;

import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.topology.ClusterTree;
import io.herald.topology.InstanceState;
import io.herald.topology.Observation;
import io.herald.topology.ReplicaStatus;
import io.herald.topology.Topology;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * orchestrator's {@code ClusterInfo} shape for a cluster found by {@link ClusterLookup}, plus Herald's
 * {@code Master}, {@code Epoch} and {@code Origin}. A declared cluster whose master discovery has not seen counts one
 * instance; a discovered tree not published yet has epoch 0, origin "" and its presumed master (if any). Pure.
 */
final class ClusterJson {
  private ClusterJson() {}

  static Map<String, Object> info(ClusterLookup.Found f) {
    Optional<ClusterTree> tree = f.tree();
    Optional<Topology> topology = f.view().map(v -> v.topology());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ClusterName", f.name());
    m.put("ClusterAlias", f.alias().map(a -> a.value()).orElse(f.name()));
    m.put("ClusterDomain", "");
    m.put("CountInstances", tree.map(t -> t.members().size()).orElse(1));
    m.put("HeuristicLag", tree.flatMap(t -> topology.map(x -> heuristicLag(x, t))).orElse(0L));
    m.put("HasAutomatedMasterRecovery", false);
    m.put("HasAutomatedIntermediateMasterRecovery", false);
    m.put("Master", f.cluster().map(c -> InstanceJson.key(c.master().address()))
        .or(() -> tree.flatMap(ClusterTree::presumedMaster).map(InstanceJson::key)).orElseGet(InstanceJson::noKey));
    m.put("Epoch", f.cluster().map(Cluster::epoch).orElse(0L));
    m.put("Origin", f.cluster().map(c -> c.origin().name().toLowerCase(Locale.ROOT)).orElse(""));
    return m;
  }

  /** The largest {@code Seconds_Behind_Master} among the members' latest states (0 when none replicates). */
  static long heuristicLag(Topology t, ClusterTree tree) {
    long max = 0;
    for (HostPort k : tree.members()) {
      max = Math.max(max, t.observation(k).flatMap(Observation::state).flatMap(InstanceState::replication)
          .map(ReplicaStatus::secondsBehindMaster).map(l -> l.orElse(0)).orElse(0L));
    }
    return max;
  }
}
