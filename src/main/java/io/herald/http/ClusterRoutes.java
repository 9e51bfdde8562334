package io.herald.http;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Clusters and masters: orchestrator's read endpoints ({@code clusters}, {@code clusters-info}, {@code masters},
 * {@code master/:clusterHint}) and Herald's {@code set-master}.
 */
final class ClusterRoutes {
  private final ApiContext api;
  private final ApiJson json;
  private final Writes writes;

  ClusterRoutes(ApiContext api, ApiJson json, Writes writes) {
    this.api = api;
    this.json = json;
    this.writes = writes;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/clusters", ctx -> json.ok(ctx, sorted().stream().map(c -> c.master().address().toString()).toList()));
    routes.get("/api/clusters-info", ctx -> json.ok(ctx, sorted().stream().map(ClusterRoutes::info).toList()));
    routes.get("/api/masters", ctx -> json.ok(ctx, sorted().stream().map(ClusterRoutes::instance).toList()));
    routes.get("/api/master/{clusterHint}", ctx -> json.ok(ctx, instance(find(ctx.pathParam("clusterHint")))));
    routes.get("/api/cluster-info/{clusterHint}", ctx -> json.ok(ctx, info(find(ctx.pathParam("clusterHint")))));
    routes.post("/api/set-master/{alias}/{host}/{port}", this::setMaster);
  }

  private void setMaster(Context ctx) {
    Alias alias;
    HostPort address;
    try {
      alias = new Alias(ctx.pathParam("alias"));
      address = HostPort.checked(ctx.pathParam("host"), HostPort.parsePort(ctx.pathParam("port")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Master master = api.resolver().resolve(address);
    CommandResult r = writes.apply(new Command.SetMaster(alias, master));
    Cluster c = r.clusters().get(0);
    json.ok(ctx, ApiResponse.ok("Set master of " + alias + " to " + address + " at epoch " + c.epoch(), info(c)));
  }

  private List<Cluster> sorted() {
    List<Cluster> all = new ArrayList<>(api.state().clusters());
    all.sort(Comparator.comparing(Cluster::alias));
    return all;
  }

  /** Finds a cluster by alias, or by cluster name (its master's host:port), as orchestrator's cluster hints do. */
  Cluster find(String hint) {
    try {
      Optional<Cluster> byAlias = api.state().get(new Alias(hint));
      if (byAlias.isPresent()) return byAlias.get();
    } catch (IllegalArgumentException notAnAlias) {
      // fall through to the cluster-name lookup
    }
    for (Cluster c : api.state().clusters()) {
      if (c.master().address().toString().equals(hint)) return c;
    }
    throw ApiException.notFound("unknown cluster '" + hint + "'");
  }

  static Map<String, Object> info(Cluster c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ClusterName", c.master().address().toString());
    m.put("ClusterAlias", c.alias().value());
    m.put("ClusterDomain", "");
    m.put("CountInstances", 1);
    m.put("HeuristicLag", 0);
    m.put("HasAutomatedMasterRecovery", false);
    m.put("HasAutomatedIntermediateMasterRecovery", false);
    m.put("Master", key(c.master().address()));
    m.put("Epoch", c.epoch());
    return m;
  }

  static Map<String, Object> instance(Cluster c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Key", key(c.master().address()));
    m.put("InstanceAlias", "");
    m.put("MasterKey", Map.of("Hostname", "", "Port", 0));
    m.put("ClusterName", c.master().address().toString());
    m.put("SuggestedClusterAlias", c.alias().value());
    m.put("ReadOnly", false);
    m.put("IsLastCheckValid", true);
    m.put("Epoch", c.epoch());
    return m;
  }

  private static Map<String, Object> key(HostPort a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Hostname", a.host());
    m.put("Port", a.port());
    return m;
  }
}
