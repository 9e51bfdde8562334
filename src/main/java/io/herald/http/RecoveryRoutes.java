package io.herald.http;

import io.herald.cluster.Alias;
import io.herald.raft.Command;
import io.herald.raft.FailureReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recovery switches and failure detection, as the group sees them: orchestrator's global recoveries endpoints, and
 * Herald's per-cluster failure reports (each node's latest verdict on the master, and whether a majority of the
 * group reports it dead at its current epoch, the condition for a failover).
 */
final class RecoveryRoutes {
  private final ApiContext api;
  private final ApiJson json;
  private final Writes writes;

  RecoveryRoutes(ApiContext api, ApiJson json, Writes writes) {
    this.api = api;
    this.json = json;
    this.writes = writes;
  }

  void register(ApiRoutes routes) {
    routes.write("/api/disable-global-recoveries", ctx -> {
      writes.apply(new Command.SetRecoveries(false));
      json.ok(ctx, ApiResponse.ok("Globally disabled recoveries", "disabled"));
    });
    routes.write("/api/enable-global-recoveries", ctx -> {
      writes.apply(new Command.SetRecoveries(true));
      json.ok(ctx, ApiResponse.ok("Globally enabled recoveries", "enabled"));
    });
    routes.read("/api/check-global-recoveries", ctx -> {
      boolean on = api.state().recoveriesEnabled();
      json.ok(ctx, ApiResponse.ok("Global recoveries " + (on ? "enabled" : "disabled"), on ? "enabled" : "disabled"));
    });
    routes.read("/api/failure-reports/{alias}", ctx -> {
      Alias alias;
      try {
        alias = new Alias(ctx.pathParam("alias"));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
      var cluster = api.state().get(alias).orElseThrow(() -> ApiException.notFound("unknown cluster alias '" + alias + "'"));
      List<String> peers = api.raft().status().peers();
      Map<String, Object> reports = new TreeMap<>();
      for (FailureReport r : api.state().failureReports(alias).values()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Analysis", r.analysis());
        m.put("Dead", r.dead());
        m.put("Epoch", r.epoch());
        m.put("Current", r.epoch() == cluster.epoch());
        m.put("At", r.at());
        reports.put(r.node(), m);
      }
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("ClusterAlias", alias.value());
      d.put("Epoch", cluster.epoch());
      d.put("Peers", peers);
      d.put("Reports", reports);
      d.put("DeadMasterQuorum", api.state().deadMasterQuorum(alias, peers));
      json.ok(ctx, ApiResponse.ok("Failure reports of " + alias, d));
    });
  }
}
