package io.herald.kv.etcd;

import io.herald.cluster.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of an etcd store.
 *
 * @param endpoints {@code EtcdEndpoints}: comma-separated {@code http(s)://host:port}, all of one scheme; https only
 *     with {@link Tls} on
 * @param user {@code EtcdUser}, with {@code password} ({@code EtcdPassword}); both or neither
 * @param tls how the connections are encrypted and verified ({@link Tls#NONE}: plain http)
 * @param timeout the limit for each call
 */
public record EtcdOptions(List<URI> endpoints, Optional<String> user, Optional<Secret> password, Tls tls,
    Duration timeout) {
  public EtcdOptions {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) throw new Invalid("EtcdEndpoints", "must list at least one endpoint");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isPresent() != password.isPresent()) {
      throw new Invalid(user.isPresent() ? "EtcdPassword" : "EtcdUser", "EtcdUser and EtcdPassword must be set together");
    }
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(timeout, "timeout");
    long https = endpoints.stream().filter(u -> "https".equals(u.getScheme())).count();
    if (https != 0 && https != endpoints.size()) {
      throw new Invalid("EtcdEndpoints", "mixes http:// and https:// endpoints; use one scheme for all");
    }
    if (https > 0 && !tls.enabled()) {
      throw new Invalid("EtcdEndpoints", "https endpoints need TLS: set EtcdCAFile (the CA that signed etcd's "
          + "certificate) or, to encrypt without verifying, EtcdSSLSkipVerify");
    }
    if (https == 0 && tls.anySet().isPresent()) {
      throw new Invalid(tls.anySet().get(), "is set but EtcdEndpoints are http://, which would be spoken to in plain "
          + "text; use https:// endpoints or remove " + tls.anySet().get());
    }
  }

  /** Without TLS. */
  public EtcdOptions(List<URI> endpoints, Optional<String> user, Optional<Secret> password, Duration timeout) {
    this(endpoints, user, password, Tls.NONE, timeout);
  }

  /** Whether the connections are TLS (every endpoint is https). */
  public boolean usesTls() {
    return tls.enabled();
  }

  /**
   * TLS to etcd.
   *
   * @param caFile {@code EtcdCAFile}: PEM certificates that etcd's server certificate must chain to
   * @param certFile {@code EtcdCertFile}: PEM client certificate (chain) for mutual TLS, with {@code keyFile}
   * @param keyFile {@code EtcdKeyFile}: its unencrypted private key (PKCS#8 PEM; PKCS#1 RSA and SEC1 EC PEM too)
   * @param serverName {@code EtcdServerName}: the name checked in the server certificate (and sent as SNI and
   *     authority) instead of each endpoint's host
   * @param skipVerify {@code EtcdSSLSkipVerify}: encrypt but accept any server certificate; never with a CA
   */
  public record Tls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile, Optional<String> serverName,
      boolean skipVerify) {
    public static final Tls NONE = new Tls(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);

    public Tls {
      Objects.requireNonNull(caFile, "caFile");
      Objects.requireNonNull(certFile, "certFile");
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(serverName, "serverName");
      if (certFile.isPresent() != keyFile.isPresent()) {
        throw new Invalid(certFile.isPresent() ? "EtcdKeyFile" : "EtcdCertFile",
            "EtcdCertFile and EtcdKeyFile must be set together (a client certificate and its key)");
      }
      if (skipVerify && caFile.isPresent()) {
        throw new Invalid("EtcdSSLSkipVerify", "is true while EtcdCAFile is set; set one: EtcdCAFile to verify "
            + "etcd's certificate, or EtcdSSLSkipVerify to accept any");
      }
      if (serverName.isPresent() && !serverName.get().matches("[A-Za-z0-9._:\\-\\[\\]]+")) {
        throw new Invalid("EtcdServerName", "'" + serverName.get() + "' is not a host name or IP address");
      }
    }

    /** Whether TLS is on: a CA to verify with, or verification skipped. */
    public boolean enabled() {
      return caFile.isPresent() || skipVerify;
    }

    /** The first TLS key that is set, if any: a TLS setting on http endpoints is refused by its name. */
    Optional<String> anySet() {
      if (caFile.isPresent()) return Optional.of("EtcdCAFile");
      if (skipVerify) return Optional.of("EtcdSSLSkipVerify");
      if (certFile.isPresent()) return Optional.of("EtcdCertFile");
      if (keyFile.isPresent()) return Optional.of("EtcdKeyFile");
      if (serverName.isPresent()) return Optional.of("EtcdServerName");
      return Optional.empty();
    }
  }

  /** A setting that is wrong, with the configuration key to blame. */
  public static final class Invalid extends IllegalArgumentException {
    private final String key;

    public Invalid(String key, String message) {
      super(key + ": " + message);
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  /** Parses {@code http://h1:p1,http://h2:p2}; a bare {@code host:port} gets {@code http://}. */
  public static List<URI> parseEndpoints(String text) {
    var out = new java.util.ArrayList<URI>();
    for (String s : text.split(",")) {
      String t = s.trim();
      if (t.isEmpty()) continue;
      URI u;
      try {
        u = URI.create(t.contains("://") ? t : "http://" + t);
      } catch (IllegalArgumentException e) {
        throw new Invalid("EtcdEndpoints", "an endpoint is not scheme://host:port");
      }
      if (u.getUserInfo() != null) {
        throw new Invalid("EtcdEndpoints", "credentials do not belong in the URL (they would show in "
            + "logs and the API); use EtcdUser and EtcdPassword");
      }
      if (u.getHost() == null || u.getPort() < 1) {
        throw new Invalid("EtcdEndpoints", "'" + t + "' is not scheme://host:port");
      }
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        throw new Invalid("EtcdEndpoints", "'" + u.getScheme() + "://" + u.getHost() + ":" + u.getPort()
            + "': the scheme must be http or https");
      }
      out.add(u);
    }
    return out;
  }

  public static EtcdOptions plain(String endpoints) {
    return new EtcdOptions(parseEndpoints(endpoints), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
  }
}
