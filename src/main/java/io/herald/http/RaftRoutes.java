package io.herald.http;

import io.herald.cluster.HostPort;
import io.herald.raft.MembershipRefusedException;
import io.herald.raft.RaftStatus;
import io.herald.raft.RaftTransport;
import io.herald.raft.RaftUnavailableException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** orchestrator's raft endpoints, answered locally by every node. */
final class RaftRoutes {
  private final ApiContext api;
  private final ApiJson json;

  RaftRoutes(ApiContext api, ApiJson json) {
    this.api = api;
    this.json = json;
  }

  void register(ApiRoutes routes) {
    routes.read("/api/leader-check", ctx -> {
      boolean leader = api.raft().status().isLeader();
      if (leader) json.ok(ctx, "OK"); else json.send(ctx, 404, ApiResponse.error("Not leader"));
    });
    routes.read("/api/raft-state", ctx -> json.ok(ctx, api.raft().status().state()));
    routes.read("/api/raft-leader", ctx -> json.ok(ctx, api.raft().status().leader()
        .orElseThrow(() -> new ApiException(503, "no raft leader known"))));
    routes.read("/api/raft-health", ctx -> {
      RaftStatus s = api.raft().status();
      java.util.List<String> problems = api.health().get();
      if (!s.healthy() || !problems.isEmpty()) {
        throw new ApiException(500, "unhealthy: state " + s.state() + ", leader " + s.leader().orElse("unknown")
            + (problems.isEmpty() ? "" : "; " + String.join("; ", problems)));
      }
      json.ok(ctx, "healthy");
    });
    routes.read("/api/raft-peers", ctx -> json.ok(ctx, api.raft().status().peers()));
    routes.read("/api/raft-status", ctx -> json.ok(ctx, status(api.raft().status())));
    routes.write("/api/raft-snapshot", this::snapshot);
    routes.write("/api/raft-add-peer/{addr}", ctx -> membership(ctx, true));
    routes.write("/api/raft-remove-peer/{addr}", ctx -> membership(ctx, false));
  }

  private Map<String, Object> status(RaftStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("RaftAdvertise", s.self());
    m.put("State", s.state());
    m.put("Healthy", s.healthy());
    m.put("IsPartOfQuorum", s.healthy());
    m.put("Leader", s.leader().orElse(""));
    m.put("Term", s.term());
    m.put("AppliedIndex", s.appliedIndex());
    m.put("SnapshotIndex", s.snapshotIndex());
    m.put("SnapshotsInstalled", s.snapshotInstalls());
    m.put("Peers", s.peers());
    m.put("FollowerLastContactMillis", s.followerSilenceMillis());
    m.put("RaftTLS", api.transport() != RaftTransport.INSECURE);
    m.put("RaftTransport", api.transport().name());
    if (api.transport() == RaftTransport.INSECURE) {
      m.put("RaftTransportWarning", "insecure raft transport: anyone who reaches the raft port can change the state");
    }
    m.put("HTTPAuth", api.options().auth().isPresent());
    return m;
  }

  private void snapshot(Context ctx) {
    try {
      long index = api.raft().snapshot();
      json.ok(ctx, ApiResponse.ok("Snapshot taken at index " + index, index));
    } catch (RaftUnavailableException e) {
      throw new ApiException(503, e.getMessage());
    }
  }

  private void membership(Context ctx, boolean add) {
    String addr = ctx.pathParam("addr");
    try {
      HostPort.parse(addr); // the same rules as a master's address; the peer keeps the spelling it was given
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("peer address must be host:port: " + e.getMessage());
    }
    try {
      if (add) api.raft().addPeer(addr); else api.raft().removePeer(addr);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (MembershipRefusedException e) {
      throw new ApiException(e.reason() == MembershipRefusedException.Reason.NOT_A_MEMBER ? 404 : 409, e.getMessage());
    } catch (RaftUnavailableException e) {
      throw new ApiException(503, e.getMessage());
    }
    json.ok(ctx, ApiResponse.ok((add ? "Added" : "Removed") + " raft peer " + addr, api.raft().status().peers()));
  }
}
