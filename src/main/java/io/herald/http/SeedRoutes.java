package io.herald.http;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.discovery.Discovery;
import io.herald.discovery.DiscoveryView;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.topology.Topology;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What discovery follows, changed through raft so the whole group shares it: orchestrator's
 * {@code discover/:host/:port}, {@code forget/:host/:port}, {@code forget-cluster/:clusterHint}, and Herald's
 * {@code adopt-cluster/:alias} (hand a declared cluster over to discovery). All state-changing, GET or POST, behind
 * basic auth when it is configured ({@link HttpApi}). Herald's {@code seeds} (a read) lists the group's seeds and
 * forgotten instances.
 *
 * <p>{@code discover} and {@code forget-cluster} need this node's discovery (404 when it is off); {@code forget} and
 * {@code adopt-cluster} change only the group's state and work on any node. {@code discover} commits the seed, probes
 * the instance here at once and waits up to {@link #PROBE_WAIT} for that probe, answering with the instance (or
 * {@code Details} null when the probe did not finish in time). An instance that cannot be read answers 502 with
 * {@code Code} ERROR, as orchestrator does, and the instance in {@code Details}: it stays seeded and is retried,
 * as the message says. {@code forget-cluster} forgets the members this node sees; the cluster's published
 * master stays in the desired state, as orchestrator's KV entries stay.
 */
final class SeedRoutes {
  static final Duration PROBE_WAIT = Duration.ofSeconds(5);
  private final ApiContext api;
  private final ApiJson json;
  private final Writes writes;
  private final ClusterLookup lookup;

  SeedRoutes(ApiContext api, ApiJson json, Writes writes, ClusterLookup lookup) {
    this.api = api;
    this.json = json;
    this.writes = writes;
    this.lookup = lookup;
  }

  void register(ApiRoutes routes) {
    routes.write("/api/discover/{host}/{port}", this::discover);
    routes.write("/api/forget/{host}/{port}", this::forget);
    routes.write("/api/forget-cluster/{clusterHint}", this::forgetCluster);
    routes.write("/api/adopt-cluster/{alias}", this::adopt);
    routes.read("/api/seeds", this::seeds);
  }

  private void discover(Context ctx) throws InterruptedException {
    HostPort key = InstanceRoutes.key(ctx);
    Discovery discovery = api.discovery().orElseThrow(() -> ApiException.notFound(ClusterLookup.DISCOVERY_OFF));
    Instant asked = Instant.now();
    writes.apply(new Command.Discover(key));
    discovery.probeNow(key);
    Optional<DiscoveryView> seen = probed(discovery, key, asked);
    if (seen.isEmpty()) {
      json.ok(ctx, ApiResponse.ok("Instance " + key + " seeded; its probe has not finished yet", null));
      return;
    }
    var error = seen.get().topology().observation(key).orElseThrow().error();
    if (error.isPresent()) {
      // as orchestrator answers a discover it cannot read: an error, though the seed is committed and retried
      json.send(ctx, 502, new ApiResponse("ERROR", "Instance " + key + " is seeded, but it cannot be read (retried "
          + "every poll): " + error.get().kind() + ": " + error.get().message(), InstanceJson.of(seen.get(), key)));
      return;
    }
    json.ok(ctx, ApiResponse.ok("Instance discovered: " + key, InstanceJson.of(seen.get(), key)));
  }

  /** Waits (bounded) until this node's view holds a probe of {@code key} started at or after {@code since}. */
  private static Optional<DiscoveryView> probed(Discovery discovery, HostPort key, Instant since)
      throws InterruptedException {
    long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
    while (true) {
      DiscoveryView v = discovery.view();
      if (v.topology().observation(key).filter(o -> !o.attemptedAt().isBefore(since.minusMillis(50))).isPresent()) {
        return Optional.of(v);
      }
      if (System.nanoTime() > deadline) return Optional.empty();
      Thread.sleep(20); // the view is rebuilt within 20 ms of a probe; nothing to be notified by
    }
  }

  private void forget(Context ctx) {
    HostPort key = InstanceRoutes.key(ctx);
    writes.apply(new Command.Forget(List.of(key)));
    json.ok(ctx, ApiResponse.ok("Instance forgotten: " + key, InstanceJson.key(key)));
  }

  private void forgetCluster(Context ctx) {
    ClusterLookup.Found f = lookup.find(ctx.pathParam("clusterHint"));
    List<HostPort> members = f.requireTree().members();
    writes.apply(new Command.Forget(members));
    json.ok(ctx, ApiResponse.ok("Forgot " + members.size() + " instances of cluster " + f.name(),
        members.stream().map(InstanceJson::key).toList()));
  }

  /**
   * Herald's own read: the group's seeds (added by {@code discover}; a node's {@code DiscoverySeeds} are its own
   * config and not listed), forgotten instances (with the log index of their forget), and the instances this node
   * probes ({@code Probed}: empty when discovery is off).
   */
  private void seeds(Context ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Probed", api.discovery().map(d -> d.known().stream().sorted(Topology.keyOrder())
        .map(InstanceJson::key).toList()).orElse(List.of()));
    m.put("Seeds", api.state().seeds().stream().map(InstanceJson::key).toList());
    List<Map<String, Object>> forgotten = new ArrayList<>();
    api.state().forgotten().entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Topology.keyOrder())).forEach(e -> {
          Map<String, Object> f = InstanceJson.key(e.getKey());
          f.put("ForgottenAt", e.getValue());
          forgotten.add(f);
        });
    m.put("Forgotten", forgotten);
    json.ok(ctx, m);
  }

  private void adopt(Context ctx) {
    Alias alias;
    try {
      alias = new Alias(ctx.pathParam("alias"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    CommandResult r = writes.apply(new Command.Adopt(alias));
    json.ok(ctx, ApiResponse.ok("Cluster " + alias + " is handed over to discovery",
        ClusterJson.info(lookup.of(r.clusters().get(0)))));
  }
}
