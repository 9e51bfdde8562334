package io.herald.http;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.discovery.DiscoveryView;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.Recovery;
import io.herald.topology.ClusterAnalysis;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recoveries on request and their record, with orchestrator's paths and shapes: recover, force-master-failover,
 * force-master-takeover,
 * graceful-master-takeover[-auto], ack-recovery, ack-all-recoveries, audit-recovery, blocked-recoveries. A request
 * commits the recovery's begin through raft from any node; the leader drives it; the request answers when it ended
 * (at most {@link #WAIT}).
 */
final class FailoverRoutes {
  /** How long a request waits for the recovery it began to end. */
  static final Duration WAIT = Duration.ofSeconds(120);
  private static final int PAGE = 50;
  private final ApiContext api;
  private final ApiJson json;
  private final Writes writes;
  private final ClusterLookup lookup;

  FailoverRoutes(ApiContext api, ApiJson json, Writes writes, ClusterLookup lookup) {
    this.api = api;
    this.json = json;
    this.writes = writes;
    this.lookup = lookup;
  }

  void register(ApiRoutes routes) {
    routes.read("/api/audit-recovery", ctx -> json.ok(ctx, page(api.state().recoveries(), 0, Integer.MAX_VALUE)));
    routes.read("/api/audit-recovery/{page}", ctx -> json.ok(ctx, page(api.state().recoveries(), pageNumber(ctx), PAGE)));
    routes.read("/api/audit-recovery/id/{id}", ctx -> {
      long id = number(ctx.pathParam("id"));
      json.ok(ctx, page(api.state().recovery(id).stream().toList(), 0, PAGE));
    });
    routes.read("/api/audit-recovery/cluster/{clusterName}", ctx -> json.ok(ctx, page(ofCluster(ctx.pathParam("clusterName")), 0, PAGE)));
    routes.read("/api/audit-recovery/cluster/{clusterName}/{page}",
        ctx -> json.ok(ctx, page(ofCluster(ctx.pathParam("clusterName")), pageNumber(ctx), PAGE)));
    routes.read("/api/audit-recovery/alias/{clusterAlias}", ctx -> json.ok(ctx, page(ofCluster(ctx.pathParam("clusterAlias")), 0, PAGE)));
    routes.read("/api/blocked-recoveries", ctx -> json.ok(ctx, blocked()));
    routes.write("/api/recover/{host}/{port}", ctx -> recover(ctx, hostPort(ctx, "host", "port").toString()));
    routes.write("/api/force-master-failover/{clusterHint}", ctx -> forced(ctx, ctx.pathParam("clusterHint")));
    routes.write("/api/force-master-failover/{host}/{port}", ctx -> forced(ctx, hostPort(ctx, "host", "port").toString()));
    for (String cmd : List.of("graceful-master-takeover", "graceful-master-takeover-auto")) {
      routes.write("/api/" + cmd + "/{clusterHint}", ctx -> takeover(ctx, cmd, ctx.pathParam("clusterHint"), Optional.empty()));
      routes.write("/api/" + cmd + "/{host}/{port}", ctx -> takeover(ctx, cmd, hostPort(ctx, "host", "port").toString(),
          Optional.empty()));
      routes.write("/api/" + cmd + "/{clusterHint}/{designatedHost}/{designatedPort}", ctx -> takeover(ctx, cmd,
          ctx.pathParam("clusterHint"), Optional.of(hostPort(ctx, "designatedHost", "designatedPort"))));
      routes.write("/api/" + cmd + "/{host}/{port}/{designatedHost}/{designatedPort}", ctx -> takeover(ctx, cmd,
          hostPort(ctx, "host", "port").toString(), Optional.of(hostPort(ctx, "designatedHost", "designatedPort"))));
    }
    routes.write("/api/force-master-takeover/{clusterHint}/{designatedHost}/{designatedPort}", ctx -> {
      DiscoveryView view = view();
      Cluster c = cluster(ctx.pathParam("clusterHint"));
      HostPort designated = hostPort(ctx, "designatedHost", "designatedPort");
      if (!view.topology().children(c.master().address()).contains(designated)) {
        throw ApiException.badRequest(designated + " is not a direct replica of the master " + c.master().address());
      }
      Recovery r = beginAndWait(c, Recovery.Kind.MANUAL, "force-master-takeover", Optional.of(designated));
      json.ok(ctx, ApiResponse.ok("force-master-takeover: successor promoted", RecoveryJson.of(r)));
    });
    routes.write("/api/ack-recovery/cluster/{clusterHint}", ctx -> ack(ctx, Optional.of(cluster(ctx.pathParam("clusterHint")).alias())));
    routes.write("/api/ack-recovery/cluster/alias/{clusterAlias}",
        ctx -> ack(ctx, Optional.of(cluster(ctx.pathParam("clusterAlias")).alias())));
    routes.write("/api/ack-all-recoveries", ctx -> ack(ctx, Optional.empty()));
  }

  private static List<Map<String, Object>> page(List<Recovery> all, int page, int size) {
    return all.stream().skip((long) page * size).limit(size).map(RecoveryJson::of).toList();
  }

  private static int pageNumber(Context ctx) {
    long n = number(ctx.pathParam("page"));
    if (n > 1_000_000) throw ApiException.badRequest("page must be at most 1000000");
    return (int) n;
  }

  private static long number(String text) {
    if (!text.matches("[0-9]{1,18}")) throw ApiException.badRequest("expected a number, got '" + text + "'");
    return Long.parseLong(text);
  }

  private List<Recovery> ofCluster(String hint) {
    Optional<Alias> alias = Optional.empty();
    try {
      alias = lookup.find(hint).alias();
    } catch (ApiException unknown) {
      // a cluster Herald no longer knows may still have recoveries: match the hint as recorded
    }
    Optional<Alias> a = alias;
    return api.state().recoveries().stream().filter(r -> a.map(r.alias()::equals).orElse(false)
        || r.alias().value().equals(hint) || r.failedMaster().toString().equals(hint)).toList();
  }

  private Cluster cluster(String hint) {
    ClusterLookup.Found f = lookup.find(hint);
    return f.cluster().orElseThrow(() -> ApiException.notFound("cluster '" + hint + "' has no published master"));
  }

  private static HostPort hostPort(Context ctx, String host, String port) {
    try {
      return HostPort.checked(ctx.pathParam(host), HostPort.parsePort(ctx.pathParam(port)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private DiscoveryView view() {
    return lookup.requireView(); // a recovery needs this node's discovery (the leader's drives it)
  }

  /** orchestrator's recover: the instance must be a cluster's master that this node's analysis calls failed. */
  private void recover(Context ctx, String instance) {
    DiscoveryView view = view();
    Cluster c = api.state().clusters().stream().filter(x -> x.master().address().toString().equals(instance)).findFirst()
        .orElseThrow(() -> ApiException.notFound(instance + " is not the master of any cluster"));
    Optional<ClusterAnalysis> a = view.topology().clusterOf(c.master().address()).flatMap(t -> view.analysis(t.name()));
    if (a.isEmpty() || !a.get().code().actionable()) {
      throw new ApiException(409, "no recovery needed: the analysis of " + instance + " is "
          + a.map(x -> x.code().name()).orElse("unknown"));
    }
    Recovery r = beginAndWait(c, Recovery.Kind.MANUAL, "recover", Optional.empty());
    json.ok(ctx, ApiResponse.ok("Recovery executed on " + instance, InstanceJson.key(r.successor().orElseThrow())));
  }

  private void forced(Context ctx, String hint) {
    view();
    Cluster c = cluster(hint);
    Recovery r = beginAndWait(c, Recovery.Kind.MANUAL, "force-master-failover", Optional.empty());
    json.ok(ctx, ApiResponse.ok("force-master-failover: successor promoted", RecoveryJson.of(r)));
  }

  private void takeover(Context ctx, String command, String hint, Optional<HostPort> designated) {
    DiscoveryView view = view();
    Cluster c = cluster(hint);
    HostPort master = c.master().address();
    List<HostPort> replicas = view.topology().children(master);
    if (designated.isPresent() && !replicas.contains(designated.get())) {
      throw ApiException.badRequest(designated.get() + " is not a direct replica of the master " + master);
    }
    if (designated.isEmpty() && !command.endsWith("-auto")) {
      if (replicas.size() != 1) {
        throw ApiException.badRequest("the master " + master + " has " + replicas.size() + " direct replicas: name the "
            + "designated one, or use graceful-master-takeover-auto");
      }
      designated = Optional.of(replicas.get(0));
    }
    Recovery r = beginAndWait(c, Recovery.Kind.GRACEFUL, command, designated);
    json.ok(ctx, ApiResponse.ok(command + ": successor promoted", RecoveryJson.of(r)));
  }

  private Recovery beginAndWait(Cluster c, Recovery.Kind kind, String command, Optional<HostPort> designated) {
    var status = api.raft().status();
    Command.BeginRecovery begin;
    try {
      begin = new Command.BeginRecovery(c.alias(), c.epoch(), c.master().address(), kind, command, status.self(),
          status.peers(), 0, System.currentTimeMillis(), designated);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    CommandResult begun = writes.apply(begin);
    long id = begun.index();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Recovery> r = api.state().recovery(id);
      if (r.isPresent() && !r.get().active()) {
        if (r.get().state() == Recovery.State.SUCCEEDED) return r.get();
        throw new ApiException(409, command + " of " + c.alias() + " (recovery " + id + ") " + r.get().state().name()
            .toLowerCase() + ": " + r.get().reason());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(503, "interrupted while waiting for recovery " + id);
      }
    }
    throw new ApiException(504, "recovery " + id + " of " + c.alias() + " still in progress after " + WAIT.toSeconds()
        + " s; see /api/audit-recovery/id/" + id);
  }

  private void ack(Context ctx, Optional<Alias> alias) {
    String comment = Optional.ofNullable(ctx.queryParam("comment")).orElse("");
    String by = api.options().auth().isPresent() ? api.options().auth().get().user() : "api";
    try {
      writes.apply(new Command.AckRecoveries(alias, by, comment, System.currentTimeMillis()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    json.ok(ctx, ApiResponse.ok("Acknowledged " + alias.map(a -> "recoveries of " + a).orElse("all recoveries"), null));
  }

  /** Clusters whose master a majority reports dead but a recent unacknowledged recovery blocks. */
  private List<Map<String, Object>> blocked() {
    long now = System.currentTimeMillis();
    List<String> peers = api.raft().status().peers();
    long block = api.recoveryBlock().toMillis();
    return api.state().clusters().stream().filter(c -> api.state().deadMasterQuorum(c.alias(), peers))
        .flatMap(c -> api.state().blockingRecovery(c.alias(), now, block).stream().map(b -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("FailedInstanceKey", InstanceJson.key(c.master().address()));
          m.put("ClusterName", c.master().address().toString());
          m.put("ClusterAlias", c.alias().value());
          m.put("Analysis", "DeadMaster");
          m.put("LastBlockedTimestamp", RecoveryJson.time(now));
          m.put("BlockingRecoveryId", b.id());
          return m;
        })).toList();
  }
}
