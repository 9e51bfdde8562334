package io.herald.http;

import io.herald.cluster.HostPort;
import io.herald.discovery.DiscoveryView;
import io.herald.topology.ClusterTree;
import io.herald.topology.TopologyText;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * What this node's discovery sees, in orchestrator's shapes: {@code instance/:host/:port},
 * {@code instance-replicas/:host/:port}, {@code cluster/:clusterHint}, {@code topology/:clusterHint} and
 * {@code all-instances}. Answered locally from the node's latest view (observations are per node). With discovery
 * off, {@code all-instances} is an empty list and the others answer 404 saying so.
 */
final class InstanceRoutes {
  private final ApiJson json;
  private final ClusterLookup lookup;

  InstanceRoutes(ApiJson json, ClusterLookup lookup) {
    this.json = json;
    this.lookup = lookup;
  }

  void register(ApiRoutes routes) {
    routes.read("/api/instance/{host}/{port}", ctx -> {
      HostPort key = key(ctx);
      json.ok(ctx, InstanceJson.of(known(key), key));
    });
    routes.read("/api/instance-replicas/{host}/{port}", ctx -> {
      HostPort key = key(ctx);
      DiscoveryView v = known(key);
      json.ok(ctx, v.topology().children(key).stream().map(r -> InstanceJson.of(v, r)).toList());
    });
    routes.read("/api/cluster/{clusterHint}", ctx -> {
      ClusterLookup.Found f = lookup.find(ctx.pathParam("clusterHint"));
      ClusterTree t = f.requireTree();
      DiscoveryView v = f.view().orElseThrow();
      json.ok(ctx, t.members().stream().map(m -> InstanceJson.of(v, m)).toList());
    });
    routes.read("/api/topology/{clusterHint}", this::topology);
    routes.read("/api/all-instances", ctx -> json.ok(ctx, lookup.view().map(InstanceRoutes::all).orElse(List.of())));
  }

  private void topology(Context ctx) {
    ClusterLookup.Found f = lookup.find(ctx.pathParam("clusterHint"));
    ClusterTree t = f.requireTree();
    String text = TopologyText.render(f.view().orElseThrow().topology(), t);
    String of = f.alias().map(a -> a.value() + " (" + t.name() + ")").orElse(t.name());
    json.ok(ctx, ApiResponse.ok("Topology for " + of, text));
  }

  private static List<Map<String, Object>> all(DiscoveryView v) {
    return v.topology().instances().stream().map(k -> InstanceJson.of(v, k)).toList();
  }

  /** The view, when it knows the instance; 404 otherwise (or when discovery is off). */
  private DiscoveryView known(HostPort key) {
    DiscoveryView v = lookup.requireView();
    if (!v.topology().instances().contains(key)) throw ApiException.notFound("unknown instance " + key);
    return v;
  }

  /** The instance key of {@code :host/:port}; 400 naming what is wrong. */
  static HostPort key(Context ctx) {
    try {
      return HostPort.checked(ctx.pathParam("host"), HostPort.parsePort(ctx.pathParam("port")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
