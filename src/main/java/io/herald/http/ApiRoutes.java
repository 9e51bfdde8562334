package io.herald.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import java.util.ArrayList;
import java.util.List;

/**
 * How the route groups register endpoints: each says whether it changes state, and the route carries that as its
 * role, which {@link HttpApi}'s authorization reads from the matched route. A write route therefore cannot be left
 * open by forgetting a list. Not thread-safe: used while Javalin is configured, then read only.
 */
final class ApiRoutes {
  /** The access a route needs: a {@link #WRITE} route needs the basic-auth credentials when they are configured. */
  enum Access implements RouteRole { READ, WRITE }

  private final RoutesConfig routes;
  private final List<String> writes = new ArrayList<>();

  ApiRoutes(RoutesConfig routes) {
    this.routes = routes;
  }

  /** A read: GET only. */
  void read(String path, Handler handler) {
    routes.get(path, handler, Access.READ);
  }

  /** A state change answered on GET and POST, as orchestrator's are (submit, raft membership, discover, ...). */
  void write(String path, Handler handler) {
    routes.get(path, handler, Access.WRITE);
    routes.post(path, handler, Access.WRITE);
    writes.add("GET " + path);
    writes.add("POST " + path);
  }

  /** A state change answered on POST only. */
  void postWrite(String path, Handler handler) {
    routes.post(path, handler, Access.WRITE);
    writes.add("POST " + path);
  }

  /** Every write route registered so far, as {@code METHOD path-template}, in registration order. */
  List<String> writes() {
    return List.copyOf(writes);
  }
}
