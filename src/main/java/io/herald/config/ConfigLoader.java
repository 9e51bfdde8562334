package io.herald.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.Secret;
import io.herald.kv.consul.ConsulOptions;
import io.herald.kv.etcd.EtcdOptions;
import io.herald.kv.etcd.EtcdTls;
import io.herald.kv.zookeeper.ZooKeeperOptions;
import io.herald.publish.PublishOptions;
import io.herald.raft.RaftOptions;
import io.herald.raft.RaftTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Herald's JSON configuration (orchestrator's key names, plus Herald's own) into a checked
 * {@link HeraldConfig}. Unknown keys become warnings; a wrong type or value is a {@link ConfigException} naming the
 * key. No file means the embedded defaults: HTTP on 127.0.0.1:3000, data under ./herald-data, internal store only.
 */
public final class ConfigLoader {
  public static final int DEFAULT_RAFT_PORT = 10008;
  /** A key given twice and anything after the object are errors, not silently the last value or ignored. */
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private final Map<String, String> env;

  /** @param env the process environment (secrets may be read from it) */
  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public HeraldConfig defaults() {
    try {
      return parse(new ObjectMapper().createObjectNode(), true);
    } catch (ConfigException e) {
      throw new IllegalStateException("embedded defaults are invalid", e);
    }
  }

  public HeraldConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigException("", "config file " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException("", "cannot read config file " + file + ": " + e.getMessage());
    }
    JsonNode root;
    try {
      root = STRICT.readTree(text);
    } catch (JsonProcessingException e) {
      // a parse error says where; a broken limit (nesting deeper than Jackson's 1000 levels) may know no location
      var where = e.getLocation();
      throw new ConfigException("", "config file " + file + " is not valid JSON: " + e.getOriginalMessage()
          + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr()));
    }
    if (root == null || !root.isObject()) throw new ConfigException("", "config file " + file + " must hold a JSON object");
    return parse((ObjectNode) root, false);
  }

  private HeraldConfig parse(ObjectNode root, boolean embedded) throws ConfigException {
    JsonSettings s = new JsonSettings(root);
    HttpOptions http = http(s, embedded);
    boolean raftEnabled = s.bool("RaftEnabled", false);
    RaftOptions raft = raft(s, raftEnabled);
    s.string("HTTPAdvertise"); // accepted: writes reach the leader through raft, not by HTTP redirection
    KeyLayout layout;
    if (root.path("KVClusterMasterPrefix").isTextual() && root.get("KVClusterMasterPrefix").asText().isBlank()) {
      // not "unset": orchestrator would publish under an empty prefix, never silently under mysql/master
      throw new ConfigException("KVClusterMasterPrefix", "must not be empty");
    }
    try {
      boolean beside = s.bool("HeraldEpochKey", true);
      // an epoch prefix configured explicitly is this deployment's: epoch keys it left there may be deleted
      layout = new KeyLayout(s.string("KVClusterMasterPrefix", KeyLayout.DEFAULT_PREFIX), beside,
          s.string("HeraldEpochKeyPrefix", KeyLayout.DEFAULT_EPOCH_PREFIX),
          !beside || root.hasNonNull("HeraldEpochKeyPrefix"));
    } catch (IllegalArgumentException e) {
      String key = e.getMessage().startsWith("HeraldEpochKeyPrefix") ? "HeraldEpochKeyPrefix" : "KVClusterMasterPrefix";
      throw new ConfigException(key, e.getMessage());
    }
    Duration storeTimeout = s.seconds("KVStoreTimeoutSeconds", 5, 1, 300);
    Optional<ConsulOptions> consul = consul(s, storeTimeout);
    Optional<ZooKeeperOptions> zk = zookeeper(s, storeTimeout);
    Optional<EtcdOptions> etcd = etcd(s, storeTimeout);
    PublishOptions publish;
    try {
      publish = new PublishOptions(s.millis("KVRetryMinMillis", 100, 1, 60_000),
          s.seconds("KVRetryMaxSeconds", 10, 1, 3600), (int) s.integer("KVBatchSize", 1000, 1, 100_000),
          s.seconds("KVAntiEntropySeconds", 60, 1, 86_400), s.seconds("KVHealthCheckSeconds", 10, 1, 3600));
    } catch (IllegalArgumentException e) {
      // the only check left to the record: the backoff's floor above its cap
      throw new ConfigException("KVRetryMinMillis", "must not exceed KVRetryMaxSeconds (" + e.getMessage() + ")");
    }
    Duration resolve = s.millis("ResolveTimeoutMillis", 2000, 1, 60_000);
    DiscoveryConfig.Parsed mysql = DiscoveryConfig.parse(s, this::secret);
    io.herald.recovery.RecoveryOptions recovery = RecoveryConfig.parse(s, this::secret);
    List<String> warnings = new ArrayList<>(mysql.warnings());
    for (String k : s.unread()) warnings.add("config: unknown key " + k + " ignored");
    return new HeraldConfig(http, raft, layout, consul, zk, etcd, publish, resolve, mysql.mysql(), mysql.discovery(),
        mysql.analysis(), recovery, warnings);
  }

  private HttpOptions http(JsonSettings s, boolean embedded) throws ConfigException {
    String listen = s.string("ListenAddress", embedded ? "127.0.0.1:3000" : ":3000");
    int colon = listen.lastIndexOf(':');
    if (colon < 0) throw new ConfigException("ListenAddress", "expected [host]:port, got '" + listen + "'");
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    int port = port("ListenAddress", listen.substring(colon + 1));
    String method = s.string("AuthenticationMethod", "");
    Optional<String> user = s.string("HTTPAuthUser");
    Optional<String> password = s.string("HTTPAuthPassword");
    Optional<HttpOptions.BasicAuth> auth = Optional.empty();
    if (method.equals("basic")) {
      if (user.isEmpty() || password.isEmpty()) {
        throw new ConfigException("HTTPAuthUser", "AuthenticationMethod basic needs HTTPAuthUser and HTTPAuthPassword");
      }
      if (user.get().contains(":")) {
        throw new ConfigException("HTTPAuthUser", "must not contain ':' (basic auth splits user and password at the first ':', so no client could log in)");
      }
      auth = Optional.of(new HttpOptions.BasicAuth(user.get(), new Secret(password.get())));
    } else if (!method.isEmpty()) {
      throw new ConfigException("AuthenticationMethod", "Herald supports \"\" (none) or \"basic\", not '" + method + "'");
    }
    return new HttpOptions(host.isEmpty() ? "0.0.0.0" : host, port, auth);
  }

  private static int port(String key, String text) throws ConfigException {
    try {
      int p = Integer.parseInt(text.trim());
      if (p < 0 || p > 65535) throw new NumberFormatException();
      return p;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + text + "' is not a port (0..65535)");
    }
  }

  private RaftOptions raft(JsonSettings s, boolean enabled) throws ConfigException {
    int defaultPort = (int) s.integer("DefaultRaftPort", DEFAULT_RAFT_PORT, 1, 65535);
    Path dataDir = Path.of(s.string("RaftDataDir", "herald-data"));
    String bind = withPort("RaftBind", s.string("RaftBind", "127.0.0.1:" + defaultPort), defaultPort);
    String advertise = withPort("RaftAdvertise", s.string("RaftAdvertise", bind), defaultPort);
    List<String> nodes = new ArrayList<>();
    for (String n : s.strings("RaftNodes")) nodes.add(withPort("RaftNodes", n, defaultPort));
    Duration writeTimeout = s.seconds("RaftWriteTimeoutSeconds", 10, 1, 600);
    Duration snapshotDelay = s.millis("RaftSnapshotDelayMillis", 1000, 0, 3_600_000);
    long autoSnapshot = s.integer("RaftAutoSnapshotEntries", 10_000, 1, Long.MAX_VALUE);
    long segment = s.integer("RaftLogSegmentSizeKB", 8192, 1, 1_048_576) * 1024;
    Optional<RaftTls> tls = raftTls(s);
    boolean insecure = s.bool("RaftInsecureTransport", false);
    Duration closeThreshold = s.seconds("RaftCloseThresholdSeconds", 60, 2, 3600);
    if (!enabled) {
      if (insecure) throw new ConfigException("RaftInsecureTransport", "applies only with RaftEnabled: a standalone node's raft port always uses TLS with a certificate of its own");
      // a group of one on a free loopback port chosen at start (port 0): nothing else needs to reach it
      return new RaftOptions("127.0.0.1:0", "127.0.0.1:0", dataDir, List.of("127.0.0.1:0"), writeTimeout,
          snapshotDelay, autoSnapshot, segment, true, tls, closeThreshold, false);
    }
    if (nodes.isEmpty()) nodes.add(advertise);
    if (!nodes.contains(advertise)) {
      throw new ConfigException("RaftNodes", nodes + " does not list this node's RaftAdvertise " + advertise);
    }
    if (nodes.stream().distinct().count() != nodes.size()) throw new ConfigException("RaftNodes", "lists a node twice: " + nodes);
    if (tls.isPresent() && insecure) {
      throw new ConfigException("RaftInsecureTransport", "contradicts RaftTLSCertFile: choose mutual TLS or an insecure transport");
    }
    if (tls.isEmpty() && !insecure) {
      throw new ConfigException("RaftTLSCertFile", "a raft group needs mutual TLS: without it anyone who reaches "
          + bind + " can change every cluster's master. Make certificates with 'herald certs' and set RaftTLSCertFile, "
          + "RaftTLSKeyFile and RaftTLSCAFile, or set \"RaftInsecureTransport\": true to accept a plaintext transport");
    }
    return new RaftOptions(bind, advertise, dataDir, nodes, writeTimeout, snapshotDelay, autoSnapshot, segment, false, tls,
        closeThreshold, insecure);
  }

  private static Optional<RaftTls> raftTls(JsonSettings s) throws ConfigException {
    Optional<String> cert = s.string("RaftTLSCertFile");
    Optional<String> key = s.string("RaftTLSKeyFile");
    Optional<String> ca = s.string("RaftTLSCAFile");
    if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) return Optional.empty();
    if (cert.isEmpty() || key.isEmpty() || ca.isEmpty()) {
      throw new ConfigException("RaftTLSCertFile", "RaftTLSCertFile, RaftTLSKeyFile and RaftTLSCAFile go together");
    }
    for (var e : Map.of("RaftTLSCertFile", cert.get(), "RaftTLSKeyFile", key.get(), "RaftTLSCAFile", ca.get()).entrySet()) {
      if (!Files.isReadable(Path.of(e.getValue()))) throw new ConfigException(e.getKey(), "cannot read " + e.getValue());
    }
    return Optional.of(new RaftTls(Path.of(cert.get()), Path.of(key.get()), Path.of(ca.get())));
  }

  private static String withPort(String key, String address, int defaultPort) throws ConfigException {
    String a = address.trim();
    if (a.isEmpty()) throw new ConfigException(key, "empty address");
    int colon = a.lastIndexOf(':');
    if (colon < 0 || a.endsWith("]")) return a + ":" + defaultPort;
    port(key, a.substring(colon + 1));
    if (colon == 0) throw new ConfigException(key, "'" + a + "' has no host");
    return a;
  }

  private Optional<Secret> secret(JsonSettings s, String key) throws ConfigException {
    Optional<String> inline = s.string(key);
    Optional<String> file = s.string(key + "File");
    Optional<String> envName = s.string(key + "Env");
    int given = (inline.isPresent() ? 1 : 0) + (file.isPresent() ? 1 : 0) + (envName.isPresent() ? 1 : 0);
    if (given > 1) throw new ConfigException(key, "set only one of " + key + ", " + key + "File, " + key + "Env");
    if (inline.isPresent()) return Optional.of(new Secret(inline.get()));
    if (file.isPresent()) {
      try {
        String v = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
        if (v.isEmpty()) throw new ConfigException(key + "File", "file " + file.get() + " is empty");
        return Optional.of(new Secret(v));
      } catch (IOException e) {
        throw new ConfigException(key + "File", "cannot read " + file.get() + ": " + e.getMessage());
      }
    }
    if (envName.isPresent()) {
      String v = env.get(envName.get());
      if (v == null || v.isBlank()) throw new ConfigException(key + "Env", "environment variable " + envName.get() + " is not set");
      return Optional.of(new Secret(v.trim()));
    }
    return Optional.empty();
  }

  private Optional<ConsulOptions> consul(JsonSettings s, Duration timeout) throws ConfigException {
    Optional<String> address = s.string("ConsulAddress");
    String scheme = s.string("ConsulScheme", "http");
    Optional<Secret> token = secret(s, "ConsulAclToken");
    String provider = s.string("ConsulKVStoreProvider", "consul");
    int maxKvs = (int) s.integer("ConsulMaxKVsPerTransaction", 64, 5, 64);
    boolean crossDc = s.bool("ConsulCrossDataCenterDistribution", false);
    Optional<String> ca = s.string("ConsulCAFile");
    boolean skipVerify = s.bool("ConsulSSLSkipVerify", false);
    if (address.isEmpty()) return Optional.empty();
    if (!scheme.equals("http") && !scheme.equals("https")) throw new ConfigException("ConsulScheme", "must be http or https, not '" + scheme + "'");
    if (!provider.equals("consul") && !provider.equals("consul-txn")) {
      throw new ConfigException("ConsulKVStoreProvider", "must be consul or consul-txn, not '" + provider + "'");
    }
    if (ca.isPresent() && !Files.isReadable(Path.of(ca.get()))) throw new ConfigException("ConsulCAFile", "cannot read " + ca.get());
    String addr = address.get().replaceFirst("^https?://", "");
    return Optional.of(new ConsulOptions(addr, scheme, token, provider.equals("consul-txn"), maxKvs, crossDc,
        ca.map(Path::of), skipVerify, timeout));
  }

  private Optional<ZooKeeperOptions> zookeeper(JsonSettings s, Duration timeout) throws ConfigException {
    Optional<String> address = s.string("ZkAddress");
    Optional<Secret> digest = secret(s, "ZkDigestAuth");
    boolean worldReadable = s.bool("ZkAclWorldReadable", true);
    Duration session = s.seconds("ZkSessionTimeoutSeconds", 15, 1, 600);
    if (address.isEmpty()) return Optional.empty();
    if (digest.isPresent() && !digest.get().value().contains(":")) throw new ConfigException("ZkDigestAuth", "must be user:password");
    return Optional.of(new ZooKeeperOptions(ZooKeeperOptions.withDefaultPorts(address.get()), digest, worldReadable,
        session, timeout));
  }

  private Optional<EtcdOptions> etcd(JsonSettings s, Duration timeout) throws ConfigException {
    Optional<String> endpoints = s.string("EtcdEndpoints");
    Optional<String> user = s.string("EtcdUser");
    Optional<Secret> password = secret(s, "EtcdPassword");
    Optional<Path> ca = s.string("EtcdCAFile").map(Path::of);
    Optional<Path> cert = s.string("EtcdCertFile").map(Path::of);
    Optional<Path> key = s.string("EtcdKeyFile").map(Path::of);
    Optional<String> serverName = s.string("EtcdServerName");
    boolean skipVerify = s.bool("EtcdSSLSkipVerify", false);
    if (endpoints.isEmpty()) return Optional.empty();
    readable("EtcdCAFile", ca);
    readable("EtcdCertFile", cert);
    readable("EtcdKeyFile", key);
    try {
      EtcdOptions.Tls tls = new EtcdOptions.Tls(ca, cert, key, serverName, skipVerify);
      EtcdOptions o = new EtcdOptions(EtcdOptions.parseEndpoints(endpoints.get()), user, password, tls, timeout);
      if (tls.enabled()) EtcdTls.context(tls); // every file parses and the key fits its certificate, or no start
      return Optional.of(o);
    } catch (EtcdOptions.Invalid e) {
      throw new ConfigException(e.key(), e.getMessage().substring(e.key().length() + 2));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("EtcdEndpoints", e.getMessage());
    }
  }

  private static void readable(String key, Optional<Path> file) throws ConfigException {
    if (file.isEmpty()) return;
    if (!Files.isRegularFile(file.get()) || !Files.isReadable(file.get())) {
      throw new ConfigException(key, "cannot read " + file.get() + (Files.exists(file.get()) ? "" : " (no such file)"));
    }
  }
}
