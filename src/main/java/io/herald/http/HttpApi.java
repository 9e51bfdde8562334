package io.herald.http;

import io.herald.config.HttpOptions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's HTTP API on Javalin: orchestrator-compatible where orchestrator has the endpoint, Herald's own
 * otherwise. Errors are {@code {"Code":"ERROR","Message":..,"Details":null}} with 4xx for bad or unknown input and
 * 5xx for faults. With basic auth configured, every mutating endpoint requires it, including the GET routes that
 * change state (submit, raft membership and snapshot, discover, forget, forget-cluster, adopt-cluster): a route says
 * so when it is registered ({@link ApiRoutes#write}), and authorization reads it from the matched route. Any method
 * other than GET, HEAD and OPTIONS needs the credentials too, whatever it matches.
 *
 * <p>Discovery endpoints answer from this node's own view. When discovery is off (no {@code MySQLTopologyUser}), the
 * lists ({@code all-instances}, {@code replication-analysis}) are empty, as orchestrator's are with nothing
 * discovered, and the endpoints about one instance or cluster answer 404 saying discovery is off.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private final ApiContext api;
  private final ApiJson json = new ApiJson();
  private Javalin app;
  /** Set once by start(). */
  private volatile List<String> writeRoutes = List.of();

  public HttpApi(ApiContext api) {
    this.api = api;
  }

  /** 200 with {@code Healthy: true}, or 503 with {@code Healthy: false} and the problems. */
  private void health(Context ctx) {
    List<String> problems = api.health().get();
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("Healthy", problems.isEmpty());
    body.put("Raft", api.raft().status().state());
    body.put("Clusters", api.state().size());
    body.put("Problems", problems);
    if (problems.isEmpty()) json.ok(ctx, body); else json.send(ctx, 503, body);
  }

  /** Starts listening; returns the bound port (useful when configured with port 0). */
  public int start() {
    HttpOptions o = api.options();
    Writes writes = new Writes(api.raft());
    ClusterLookup lookup = new ClusterLookup(api);
    ClusterRoutes clusters = new ClusterRoutes(api, json, writes, lookup);
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.router.ignoreTrailingSlashes = true;
      cfg.jetty.host = o.host();
      cfg.jetty.port = o.port();
      cfg.http.prefer405over404 = true;
      // requests Jetty refuses before routing (NUL or bad UTF-8 in the path, over-long URLs) answer in JSON too
      JsonErrorHandler errors = new JsonErrorHandler(json);
      cfg.jetty.modifyServer(server -> server.setErrorHandler(errors));
      cfg.routes.before(this::authorize);
      cfg.routes.beforeMatched(this::authorize);
      ApiRoutes routes = new ApiRoutes(cfg.routes);
      clusters.register(routes);
      new KvRoutes(api, json, writes, clusters).register(routes);
      new RaftRoutes(api, json).register(routes);
      new InstanceRoutes(json, lookup).register(routes);
      new AnalysisRoutes(json, lookup).register(routes);
      new RecoveryRoutes(api, json, writes).register(routes);
      new FailoverRoutes(api, json, writes, lookup).register(routes);
      new SeedRoutes(api, json, writes, lookup).register(routes);
      routes.read("/api/health", this::health);
      routes.read("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(api.metrics().get()));
      writeRoutes = routes.writes();
      cfg.routes.exception(ApiException.class, (e, ctx) -> json.error(ctx, e.status(), e.getMessage()));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("http {} {} failed", ctx.method(), ctx.path(), e);
        json.error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
      });
      cfg.routes.error(404, "*", ctx -> {
        // routes answer their own 404s; anything else is Javalin's plain "not found" for an unknown path
        if (ctx.attribute(ApiJson.ANSWERED) == null) {
          json.error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
        }
      });
      cfg.routes.error(405, "*", ctx -> json.error(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path()));
    }).start();
    LOG.info("http API listening on {}:{}{}", o.host(), app.port(), o.auth().isPresent() ? " (basic auth on writes)" : "");
    return app.port();
  }

  /** The routes that need credentials when basic auth is on, as {@code METHOD path-template}; empty before start. */
  public List<String> writeRoutes() {
    return writeRoutes;
  }

  /**
   * Whether the request needs credentials: a method other than GET, HEAD and OPTIONS (checked before routing, for
   * every path), or a route registered as a write (checked once the route is matched).
   */
  private static boolean mutating(Context ctx) {
    return ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD && ctx.method() != HandlerType.OPTIONS
        || ctx.routeRoles().contains(ApiRoutes.Access.WRITE);
  }

  /** Runs before routing and again once a route matched (then with the route's roles). */
  private void authorize(Context ctx) {
    if (api.options().auth().isEmpty() || !mutating(ctx)) return;
    HttpOptions.BasicAuth want = api.options().auth().get();
    java.util.Optional<BasicCredentials> got = BasicCredentials.parse(ctx.header("Authorization"));
    if (got.isPresent() && same(got.get().user(), want.user()) && same(got.get().password(), want.password().value())) {
      return;
    }
    ctx.header("WWW-Authenticate", "Basic realm=\"herald\"");
    throw new ApiException(401, "authentication required for " + ctx.method() + " " + ctx.path());
  }

  private static boolean same(String a, String b) {
    return a != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    if (app != null) app.stop();
  }
}
