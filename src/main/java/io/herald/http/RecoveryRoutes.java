package io.herald.http;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.cluster.PromotionRule;
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
  /** orchestrator's CandidateInstanceExpireMinutes default. */
  static final java.time.Duration CANDIDATE_EXPIRY = java.time.Duration.ofMinutes(60);
  /** A downtime without a duration lasts this long. */
  static final java.time.Duration DEFAULT_DOWNTIME = java.time.Duration.ofMinutes(60);
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
    routes.write("/api/begin-downtime/{host}/{port}/{owner}/{reason}", ctx -> beginDowntime(ctx, null));
    routes.write("/api/begin-downtime/{host}/{port}/{owner}/{reason}/{duration}",
        ctx -> beginDowntime(ctx, ctx.pathParam("duration")));
    routes.write("/api/end-downtime/{host}/{port}", ctx -> {
      HostPort h = instance(ctx);
      writes.apply(new Command.EndDowntime(h));
      json.ok(ctx, ApiResponse.ok("Downtime ended: " + h, InstanceJson.key(h)));
    });
    routes.write("/api/register-candidate/{host}/{port}/{promotionRule}", ctx -> {
      HostPort h = instance(ctx);
      PromotionRule rule;
      try {
        rule = PromotionRule.parse(ctx.pathParam("promotionRule"));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
      long now = System.currentTimeMillis();
      writes.apply(new Command.RegisterCandidate(h, rule, now, now + CANDIDATE_EXPIRY.toMillis()));
      json.ok(ctx, ApiResponse.ok("Registered candidate " + h + " as " + rule.orchestratorName(), InstanceJson.key(h)));
    });
    routes.read("/api/downtimes", ctx -> {
      long now = System.currentTimeMillis();
      json.ok(ctx, api.state().downtimes().stream().filter(d -> d.activeAt(now)).map(d -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Key", InstanceJson.key(d.instance()));
        m.put("Owner", d.owner());
        m.put("Reason", d.reason());
        m.put("BeginsAt", java.time.Instant.ofEpochMilli(d.beginsAt()).toString());
        m.put("EndsAt", java.time.Instant.ofEpochMilli(d.endsAt()).toString());
        return m;
      }).toList());
    });
    routes.read("/api/candidates", ctx -> {
      long now = System.currentTimeMillis();
      json.ok(ctx, api.state().candidates().stream().filter(c -> c.validAt(now)).map(c -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Key", InstanceJson.key(c.instance()));
        m.put("PromotionRule", c.rule().orchestratorName());
        m.put("ExpiresAt", java.time.Instant.ofEpochMilli(c.expiresAt()).toString());
        return m;
      }).toList());
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

  private static HostPort instance(io.javalin.http.Context ctx) {
    try {
      return HostPort.checked(ctx.pathParam("host"), HostPort.parsePort(ctx.pathParam("port")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private void beginDowntime(io.javalin.http.Context ctx, String durationText) {
    HostPort h = instance(ctx);
    java.time.Duration d = durationText == null ? DEFAULT_DOWNTIME : duration(durationText);
    long now = System.currentTimeMillis();
    try {
      writes.apply(new Command.BeginDowntime(h, ctx.pathParam("owner"), ctx.pathParam("reason"), now, now + d.toMillis()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    json.ok(ctx, ApiResponse.ok("Downtime begun: " + h, InstanceJson.key(h)));
  }

  /** orchestrator's durations: seconds, or a number with s, m, h or d; positive, at most a year. */
  static java.time.Duration duration(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})([smhd]?)").matcher(text);
    if (!m.matches()) throw ApiException.badRequest("invalid duration '" + text + "': seconds, or a number with s, m, h or d");
    long n = Long.parseLong(m.group(1));
    java.time.Duration d = switch (m.group(2)) {
      case "m" -> java.time.Duration.ofMinutes(n);
      case "h" -> java.time.Duration.ofHours(n);
      case "d" -> java.time.Duration.ofDays(n);
      default -> java.time.Duration.ofSeconds(n);
    };
    if (d.isZero() || d.compareTo(java.time.Duration.ofDays(366)) > 0) throw ApiException.badRequest("duration must be 1 s to 366 d");
    return d;
  }
}
