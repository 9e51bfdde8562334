package io.herald.config;

import io.herald.cluster.HostPort;
import io.herald.cluster.Secret;
import io.herald.discovery.DiscoveryOptions;
import io.herald.mysql.MySqlOptions;
import io.herald.topology.AnalysisOptions;
import io.herald.topology.ClusterAliasRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The MySQL side of the configuration (orchestrator's {@code MySQLTopology*}, discovery and classification keys).
 * Discovery runs when {@code MySQLTopologyUser} is set (in the file or in a credentials file).
 */
final class DiscoveryConfig {
  private DiscoveryConfig() {}

  record Parsed(Optional<MySqlOptions> mysql, DiscoveryOptions discovery, AnalysisOptions analysis, List<String> warnings) {}

  static Parsed parse(JsonSettings s, SecretReader secrets) throws ConfigException {
    Optional<String> user = s.string("MySQLTopologyUser");
    Optional<Secret> password = secrets.secret(s, "MySQLTopologyPassword");
    Optional<String> credentialsFile = s.string("MySQLTopologyCredentialsConfigFile");
    if (credentialsFile.isPresent()) {
      Map<String, String> client = clientSection(Path.of(credentialsFile.get()));
      if (user.isEmpty() && client.containsKey("user")) user = Optional.of(client.get("user"));
      if (password.isEmpty() && client.containsKey("password")) password = Optional.of(new Secret(client.get("password")));
    }
    Duration connect = s.seconds("MySQLConnectTimeoutSeconds", 2, 1, 300);
    Duration read = s.seconds("MySQLDiscoveryReadTimeoutSeconds", 3, 1, 600);
    boolean byShowSlaveHosts = s.bool("DiscoverByShowSlaveHosts", true);
    Optional<String> aliasQuery = s.string("DetectClusterAliasQuery");
    Optional<String> dcQuery = s.string("DetectDataCenterQuery");
    Optional<Pattern> dcPattern = pattern(s, "DataCenterPattern");
    Optional<Path> ca = s.string("MySQLTopologySSLCAFile").map(Path::of);
    for (String pem : List.of("MySQLTopologySSLCertFile", "MySQLTopologySSLPrivateKeyFile")) {
      if (s.string(pem).isPresent()) {
        throw new ConfigException(pem, "the MariaDB driver takes no PEM client key: put the client certificate and key "
            + "in a PKCS#12 file (openssl pkcs12 -export) and set MySQLTopologySSLKeyStoreFile");
      }
    }
    Optional<Path> keyStore = s.string("MySQLTopologySSLKeyStoreFile").map(Path::of);
    Optional<Secret> keyStorePassword = secrets.secret(s, "MySQLTopologySSLKeyStorePassword");
    boolean skipVerify = s.bool("MySQLTopologySSLSkipVerify", false);
    s.bool("MySQLTopologyUseMutualTLS", false); // implied by a key store
    for (Optional<Path> f : List.of(ca, keyStore)) {
      if (f.isPresent() && !Files.isReadable(f.get())) {
        throw new ConfigException(f == ca ? "MySQLTopologySSLCAFile" : "MySQLTopologySSLKeyStoreFile", "cannot read " + f.get());
      }
    }
    List<HostPort> seeds = new ArrayList<>();
    for (String seed : s.strings("DiscoverySeeds")) {
      try {
        seeds.add(HostPort.parse(seed));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("DiscoverySeeds", e.getMessage());
      }
    }
    Duration poll = s.seconds("InstancePollSeconds", 1, 1, 3600);
    int concurrency = (int) s.integer("DiscoveryMaxConcurrency", 64, 1, 1024);
    DiscoveryOptions discovery = new DiscoveryOptions(seeds, poll, concurrency, patterns(s, "DiscoveryIgnoreHostnameFilters"),
        patterns(s, "DiscoveryIgnoreReplicaHostnameFilters"), patterns(s, "DiscoveryIgnoreMasterHostnameFilters"),
        Duration.ofHours(s.integer("UnseenInstanceForgetHours", 240, 1, 100_000)));
    List<ClusterAliasRule> rules = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, String> e : s.stringMap("ClusterNameToAlias").entrySet()) {
      try {
        java.util.regex.Pattern.compile(e.getKey());
      } catch (PatternSyntaxException bad) {
        throw new ConfigException("ClusterNameToAlias", "invalid regular expression '" + e.getKey() + "': " + bad.getDescription());
      }
      try {
        rules.add(ClusterAliasRule.of(e.getKey(), e.getValue()));
      } catch (IllegalArgumentException bad) {
        // orchestrator takes any text (its sample maps to "test suite"): keep such a file loading, without the rule
        warnings.add("config: ClusterNameToAlias rule '" + e.getKey() + "' ignored: " + bad.getMessage());
      }
    }
    AnalysisOptions analysis = new AnalysisOptions(s.seconds("ReasonableReplicationLagSeconds", 10, 0, 86_400), rules);
    if (user.isEmpty()) {
      if (!seeds.isEmpty()) throw new ConfigException("MySQLTopologyUser", "DiscoverySeeds needs MySQLTopologyUser to probe them");
      return new Parsed(Optional.empty(), discovery, analysis, warnings);
    }
    if (password.isEmpty()) throw new ConfigException("MySQLTopologyPassword", "MySQLTopologyUser is set without a password");
    try {
      return new Parsed(Optional.of(new MySqlOptions(user.get(), password.get(), connect, read, byShowSlaveHosts, aliasQuery,
          dcQuery, dcPattern, ca, keyStore, keyStorePassword, skipVerify)), discovery, analysis, warnings);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("MySQLTopologyUser", e.getMessage());
    }
  }

  /** The {@code user} and {@code password} of a my.cnf-style file's {@code [client]} section. */
  static Map<String, String> clientSection(Path file) throws ConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("MySQLTopologyCredentialsConfigFile", "cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new java.util.HashMap<>();
    boolean inClient = false;
    for (String raw : lines) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.startsWith("[")) {
        inClient = line.equalsIgnoreCase("[client]");
        continue;
      }
      int eq = line.indexOf('=');
      if (!inClient || eq < 0) continue;
      String key = line.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
      String value = line.substring(eq + 1).trim();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      if (key.equals("user") || key.equals("password")) out.put(key, value);
    }
    if (!out.containsKey("user")) {
      throw new ConfigException("MySQLTopologyCredentialsConfigFile", file + " has no user= in a [client] section");
    }
    return out;
  }

  private static Optional<Pattern> pattern(JsonSettings s, String key) throws ConfigException {
    Optional<String> p = s.string(key);
    if (p.isEmpty()) return Optional.empty();
    try {
      return Optional.of(Pattern.compile(p.get()));
    } catch (PatternSyntaxException e) {
      throw new ConfigException(key, "invalid regular expression: " + e.getDescription());
    }
  }

  private static List<Pattern> patterns(JsonSettings s, String key) throws ConfigException {
    List<Pattern> out = new ArrayList<>();
    for (String p : s.strings(key)) {
      try {
        out.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        throw new ConfigException(key, "invalid regular expression '" + p + "': " + e.getDescription());
      }
    }
    return out;
  }

  /** Reads a secret given inline, from a file ({@code <key>File}) or from the environment ({@code <key>Env}). */
  interface SecretReader {
    Optional<Secret> secret(JsonSettings s, String key) throws ConfigException;
  }
}
