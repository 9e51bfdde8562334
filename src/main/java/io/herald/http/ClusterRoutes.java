package io.herald.http;

import io.herald.cluster.Alias;
import io.herald.publish.BlockedCluster;
import io.herald.publish.StoreStatus;
import java.util.OptionalLong;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.discovery.DiscoveryView;
import io.herald.raft.Command;
import io.herald.raft.DesiredState;
import io.herald.raft.CommandResult;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Clusters and masters: orchestrator's read endpoints ({@code clusters}, {@code clusters-info}, {@code masters},
 * {@code master/:clusterHint}, {@code cluster-info/:clusterHint}) and Herald's {@code set-master}. The lists hold the
 * clusters of the desired state (declared ones and discovered ones once published); a discovered cluster shows its
 * real instance count and lag, and its master the full instance shape. {@code cluster-info} also answers for a
 * discovered tree that is not published yet.
 */
final class ClusterRoutes {
  private final ApiContext api;
  private final ApiJson json;
  private final Writes writes;
  private final ClusterLookup lookup;

  ClusterRoutes(ApiContext api, ApiJson json, Writes writes, ClusterLookup lookup) {
    this.api = api;
    this.json = json;
    this.writes = writes;
    this.lookup = lookup;
  }

  void register(ApiRoutes routes) {
    routes.read("/api/clusters", ctx -> json.ok(ctx, sorted().stream().map(c -> c.master().address().toString()).toList()));
    routes.read("/api/clusters-info", ctx ->
        json.ok(ctx, sorted().stream().map(c -> ClusterJson.info(lookup.of(c))).toList(), ClusterRoutes::infoLines));
    routes.read("/api/masters", ctx -> json.ok(ctx, sorted().stream().map(this::master).toList()));
    routes.read("/api/master/{clusterHint}", ctx -> json.ok(ctx, master(find(ctx.pathParam("clusterHint")))));
    routes.read("/api/cluster-info/{clusterHint}", ctx ->
        json.ok(ctx, ClusterJson.info(lookup.find(ctx.pathParam("clusterHint")))));
    routes.postWrite("/api/set-master/{alias}/{host}/{port}", this::setMaster);
    routes.postWrite("/api/take-over/{alias}", this::takeOver);
  }

  /**
   * Publishes the cluster's current master again at an epoch above the one a store holds it at (a store blocked by
   * a foreign or rebuilt-group epoch): the epoch given as {@code ?epoch=N}, else the highest this node's stores
   * report for the cluster. Compare-and-set on the cluster's epoch, so a master change meanwhile wins.
   */
  private void takeOver(Context ctx) {
    Alias alias;
    long above = 0;
    try {
      alias = new Alias(ctx.pathParam("alias"));
      String given = ctx.queryParam("epoch");
      if (given != null) {
        if (!given.matches("[0-9]{1,19}")) throw new IllegalArgumentException("epoch must be a whole number, not '" + given + "'");
        above = Long.parseLong(given);
        if (above >= DesiredState.MAX_EPOCH) throw new IllegalArgumentException("epoch must be below " + DesiredState.MAX_EPOCH);
      }
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("epoch is too large: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Cluster c = api.state().get(alias).orElseThrow(() -> ApiException.notFound("unknown cluster alias '" + ctx.pathParam("alias") + "'"));
    for (StoreStatus s : api.stores().get()) {
      for (BlockedCluster b : s.blocked()) {
        if (b.alias().equals(alias) && b.storeEpoch().isPresent()) above = Math.max(above, b.storeEpoch().getAsLong());
      }
    }
    if (above >= DesiredState.MAX_EPOCH) {
      throw new ApiException(409, "a store holds " + alias + " at epoch " + above + ", beyond the largest Herald issues ("
          + DesiredState.MAX_EPOCH + "): delete the cluster's keys in that store by hand, then submit-masters-to-kv-stores");
    }
    if (above == 0) {
      throw new ApiException(409, "no store of this node reports " + alias + " at a newer epoch; run take-over on the node "
          + "whose stores do, or give the epoch a store holds (?epoch=N)");
    }
    CommandResult r = writes.apply(new Command.SetMaster(alias, c.master(), c.origin(), OptionalLong.of(c.epoch()),
        System.currentTimeMillis(), above));
    Cluster now = r.clusters().get(0);
    json.ok(ctx, ApiResponse.ok("Took over " + alias + ": master " + now.master().address() + " at epoch " + now.epoch()
        + " (above " + above + ")", ClusterJson.info(lookup.of(now))));
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
    CommandResult r = writes.apply(Command.SetMaster.declared(alias, master, System.currentTimeMillis()));
    Cluster c = r.clusters().get(0);
    json.ok(ctx, ApiResponse.ok("Set master of " + alias + " to " + address + " at epoch " + c.epoch(),
        ClusterJson.info(lookup.of(c))), body -> body.message() + "\n");
  }

  /** clusters-info as text: {@code alias name epoch}, a line per cluster (what {@code herald clusters} prints). */
  private static String infoLines(List<Map<String, Object>> infos) {
    StringBuilder b = new StringBuilder();
    for (Map<String, Object> m : infos) {
      b.append(m.get("ClusterAlias")).append(' ').append(m.get("ClusterName")).append(' ').append(m.get("Epoch")).append('\n');
    }
    return b.toString();
  }

  private List<Cluster> sorted() {
    List<Cluster> all = new ArrayList<>(api.state().clusters());
    all.sort(Comparator.comparing(Cluster::alias));
    return all;
  }

  /**
   * The desired-state cluster of a hint (alias, cluster name, or a discovered member's host:port); 404 when there is
   * none, including a discovered tree that has no alias yet.
   */
  Cluster find(String hint) {
    ClusterLookup.Found f = lookup.find(hint);
    return f.cluster().orElseThrow(() -> ApiException.notFound("cluster '" + hint + "' is discovered but not "
        + "published (no alias bound yet): see /api/replication-analysis"));
  }

  /** orchestrator's instance shape of a cluster's master: from discovery when it has seen it, else the minimum. */
  private Map<String, Object> master(Cluster c) {
    HostPort a = c.master().address();
    Optional<DiscoveryView> view = lookup.view().filter(v -> v.topology().instances().contains(a));
    Map<String, Object> m = view.map(v -> InstanceJson.of(v, a)).orElseGet(() -> minimal(a));
    m.put("SuggestedClusterAlias", c.alias().value());
    m.put("Epoch", c.epoch());
    return m;
  }

  private static Map<String, Object> minimal(HostPort a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Key", InstanceJson.key(a));
    m.put("InstanceAlias", "");
    m.put("MasterKey", InstanceJson.noKey());
    m.put("ClusterName", a.toString());
    m.put("SuggestedClusterAlias", "");
    m.put("ReadOnly", false);
    m.put("IsLastCheckValid", true);
    return m;
  }
}
