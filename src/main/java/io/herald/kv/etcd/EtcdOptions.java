package io.herald.kv.etcd;

import io.herald.cluster.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of an etcd store.
 *
 * @param endpoints {@code EtcdEndpoints}: comma-separated {@code http(s)://host:port}
 * @param user {@code EtcdUser}, with {@code password} ({@code EtcdPassword}); both or neither
 * @param timeout the limit for each call
 */
public record EtcdOptions(List<URI> endpoints, Optional<String> user, Optional<Secret> password, Duration timeout) {
  public EtcdOptions {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) throw new IllegalArgumentException("EtcdEndpoints must list at least one endpoint");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException("EtcdUser and EtcdPassword must be set together");
    }
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Parses {@code http://h1:p1,http://h2:p2}; a bare {@code host:port} gets {@code http://}. */
  public static List<URI> parseEndpoints(String text) {
    var out = new java.util.ArrayList<URI>();
    for (String s : text.split(",")) {
      String t = s.trim();
      if (t.isEmpty()) continue;
      URI u = URI.create(t.contains("://") ? t : "http://" + t);
      if (u.getHost() == null || u.getPort() < 1) {
        throw new IllegalArgumentException("EtcdEndpoints: '" + t + "' is not scheme://host:port");
      }
      // the client is built without TLS: an https endpoint would be spoken to in plain text
      if (!"http".equals(u.getScheme())) {
        throw new IllegalArgumentException("EtcdEndpoints: '" + u.getScheme() + "://" + u.getHost() + ":" + u.getPort()
            + "': only http is supported (no TLS to etcd yet)");
      }
      if (u.getUserInfo() != null) {
        throw new IllegalArgumentException("EtcdEndpoints: credentials do not belong in the URL (they would show in "
            + "logs and the API); use EtcdUser and EtcdPassword");
      }
      out.add(u);
    }
    return out;
  }

  public static EtcdOptions plain(String endpoints) {
    return new EtcdOptions(parseEndpoints(endpoints), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
  }
}
