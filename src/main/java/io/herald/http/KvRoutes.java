package io.herald.http;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.KvPair;
import io.herald.publish.StoreStatus;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishing: orchestrator's {@code submit-masters-to-kv-stores}, the internal store's keys, and every store's
 * state. A submit goes through raft, so that every node checks (and where needed rewrites) its own stores.
 */
final class KvRoutes {
  private final ApiContext api;
  private final ApiJson json;
  private final Writes writes;
  private final ClusterRoutes clusters;

  KvRoutes(ApiContext api, ApiJson json, Writes writes, ClusterRoutes clusters) {
    this.api = api;
    this.json = json;
    this.writes = writes;
    this.clusters = clusters;
  }

  void register(ApiRoutes routes) {
    routes.write("/api/submit-masters-to-kv-stores", ctx -> submit(ctx, Optional.empty()));
    routes.write("/api/submit-masters-to-kv-stores/{clusterHint}", ctx -> submit(ctx, Optional.of(ctx.pathParam("clusterHint"))));
    routes.read("/api/kv-stores", ctx -> json.ok(ctx, api.stores().get().stream().map(KvRoutes::store).toList()));
    routes.read("/api/kv/<key>", this::readKey);
  }

  private void submit(Context ctx, Optional<String> hint) {
    Optional<Alias> alias = hint.map(h -> clusters.find(h).alias());
    CommandResult r = writes.apply(new Command.Submit(alias));
    List<Map<String, String>> details = new ArrayList<>();
    for (Cluster c : r.clusters()) {
      for (KvPair p : api.layout().entries(c).pairs()) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("Key", p.key());
        kv.put("Value", p.value());
        details.add(kv);
      }
    }
    json.ok(ctx, ApiResponse.ok("Submitted " + r.clusters().size() + " masters", details));
  }

  private static Map<String, Object> store(StoreStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("kind", s.kind());
    m.put("address", s.address());
    m.put("healthy", s.healthy());
    m.put("lastSuccess", s.lastSuccess().map(Object::toString).orElse(null));
    m.put("lastError", s.lastError().orElse(null));
    m.put("pending", s.pending());
    m.put("epochLag", s.epochLag());
    m.put("written", s.written());
    m.put("retries", s.retries());
    m.put("blocked", s.blocked().stream().map(b -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("alias", b.alias().value());
      x.put("heraldEpoch", b.desiredEpoch());
      x.put("storeEpoch", b.storeEpoch().isPresent() ? b.storeEpoch().getAsLong() : null);
      x.put("since", b.since().toString());
      return x;
    }).toList());
    return m;
  }

  private void readKey(Context ctx) {
    String key = ctx.pathParam("key");
    while (key.startsWith("/")) key = key.substring(1);
    String k = key;
    String value = api.internal().get(k).orElseThrow(() -> ApiException.notFound("no key '" + k + "' in the internal store"));
    json.ok(ctx, Map.of("Key", k, "Value", value));
  }
}
