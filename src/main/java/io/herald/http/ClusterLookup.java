package io.herald.http;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.discovery.AliasBinding;
import io.herald.discovery.Discovery;
import io.herald.discovery.DiscoveryView;
import io.herald.topology.ClusterTree;
import java.util.Optional;

/**
 * Resolves orchestrator's {@code clusterHint}: an alias, a cluster name (its master's {@code host:port}) or any
 * discovered instance's {@code host:port}, against the replicated desired state (declared and published clusters)
 * and this node's discovery view. Stateless; thread-safe.
 */
final class ClusterLookup {
  static final String DISCOVERY_OFF = "discovery is off on this node (MySQLTopologyUser is not configured)";
  private final ApiContext api;

  ClusterLookup(ApiContext api) {
    this.api = api;
  }

  /**
   * A cluster found by a hint: its entry in the desired state, its discovered tree, or both (never neither).
   *
   * @param view this node's discovery view; empty when discovery is off
   */
  record Found(String hint, Optional<Cluster> cluster, Optional<ClusterTree> tree, Optional<DiscoveryView> view) {
    /** The alias: the desired state's, else the one discovery bound, else empty (not published yet). */
    Optional<Alias> alias() {
      return cluster.map(Cluster::alias)
          .or(() -> tree.flatMap(t -> view.flatMap(v -> v.decision(t.name()))).flatMap(AliasBinding.Decision::alias));
    }

    /** orchestrator's cluster name: the published master's key, else the tree's name. */
    String name() {
      return cluster.map(c -> c.master().address().toString()).orElseGet(() -> tree.orElseThrow().name());
    }

    /** The discovered tree, or a 404 saying why there is none. */
    ClusterTree requireTree() {
      if (view.isEmpty()) throw ApiException.notFound(DISCOVERY_OFF);
      return tree.orElseThrow(() -> ApiException.notFound("cluster '" + hint + "' has no discovered instances"));
    }
  }

  Optional<DiscoveryView> view() {
    return api.discovery().map(Discovery::view);
  }

  /** The view, or a 404 saying discovery is off. */
  DiscoveryView requireView() {
    return view().orElseThrow(() -> ApiException.notFound(DISCOVERY_OFF));
  }

  /** Finds the cluster of a hint; 404 when neither the desired state nor discovery knows it. */
  Found find(String hint) {
    Optional<DiscoveryView> view = view();
    Optional<ClusterTree> tree = view.flatMap(v -> v.cluster(hint));
    Optional<Cluster> cluster = desired(hint);
    if (cluster.isEmpty() && tree.isPresent()) {
      cluster = view.get().decision(tree.get().name()).flatMap(AliasBinding.Decision::alias).flatMap(api.state()::get);
    }
    if (tree.isEmpty() && cluster.isPresent() && view.isPresent()) {
      tree = view.get().topology().clusterOf(cluster.get().master().address());
    }
    if (cluster.isEmpty() && tree.isEmpty()) throw ApiException.notFound("unknown cluster '" + hint + "'");
    return new Found(hint, cluster, tree, view);
  }

  /** A cluster of the desired state with its discovered tree, when its master is in one. */
  Found of(Cluster c) {
    Optional<DiscoveryView> view = view();
    Optional<ClusterTree> tree = view.flatMap(v -> v.topology().clusterOf(c.master().address()));
    return new Found(c.alias().value(), Optional.of(c), tree, view);
  }

  private Optional<Cluster> desired(String hint) {
    try {
      Optional<Cluster> byAlias = api.state().get(new Alias(hint));
      if (byAlias.isPresent()) return byAlias;
    } catch (IllegalArgumentException notAnAlias) {
      // a host:port is not an alias: try it as a cluster name
    }
    for (Cluster c : api.state().clusters()) {
      if (c.master().address().toString().equals(hint)) return Optional.of(c);
    }
    return Optional.empty();
  }
}
