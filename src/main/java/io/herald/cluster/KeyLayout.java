package io.herald.cluster;

import java.util.List;

/**
 * orchestrator's key layout: {@code <prefix><alias>} = {@code host:port}, and {@code /hostname}, {@code /port},
 * {@code /ipv4}, {@code /ipv6} below it. Herald's fencing epoch lives at {@code <prefix><alias>/epoch}, or, for
 * consumers that list a cluster's children, under a separate prefix ({@code <epochPrefix><alias>}).
 * Immutable and thread-safe.
 */
public record KeyLayout(String prefix, boolean epochBesideMaster, String epochPrefix) {
  public static final String DEFAULT_PREFIX = "mysql/master";
  public static final String DEFAULT_EPOCH_PREFIX = "herald/epoch";

  public KeyLayout {
    prefix = normalise(prefix, "KVClusterMasterPrefix");
    epochPrefix = normalise(epochPrefix, "HeraldEpochKeyPrefix");
    if (!epochBesideMaster && (epochPrefix.startsWith(prefix) || prefix.startsWith(epochPrefix))) {
      throw new IllegalArgumentException("HeraldEpochKeyPrefix '" + epochPrefix
          + "' must not overlap KVClusterMasterPrefix '" + prefix + "'");
    }
  }

  public static KeyLayout defaults() {
    return new KeyLayout(DEFAULT_PREFIX, true, DEFAULT_EPOCH_PREFIX);
  }

  /** Strips leading slashes and ends the prefix in exactly one '/'; no empty, '.' or '..' element. */
  static String normalise(String p, String name) {
    String s = p == null ? "" : p.trim();
    while (s.startsWith("/")) s = s.substring(1);
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    if (s.isEmpty()) throw new IllegalArgumentException(name + " must not be empty");
    if (s.contains("//")) throw new IllegalArgumentException(name + " '" + p + "' has an empty path element");
    for (String element : s.split("/")) {
      if (element.equals(".") || element.equals("..")) {
        // ZooKeeper refuses relative paths, and Consul and etcd would store keys no consumer looks for
        throw new IllegalArgumentException(name + " '" + p + "' has a '" + element + "' path element");
      }
    }
    return s + "/";
  }

  public String masterKey(Alias alias) {
    return prefix + alias.value();
  }

  public String epochKey(Alias alias) {
    return epochBesideMaster ? masterKey(alias) + "/epoch" : epochPrefix + alias.value();
  }

  /** The orchestrator-compatible pairs, in orchestrator's order (no epoch). */
  public List<KvPair> pairs(Alias alias, Master master) {
    String key = masterKey(alias);
    HostPort a = master.address();
    return List.of(
        new KvPair(key, a.toString()),
        new KvPair(key + "/hostname", a.host()),
        new KvPair(key + "/port", Integer.toString(a.port())),
        new KvPair(key + "/ipv4", master.ipv4()),
        new KvPair(key + "/ipv6", master.ipv6()));
  }

  public ClusterEntries entries(Cluster c) {
    return new ClusterEntries(c.alias(), c.epoch(), epochKey(c.alias()), pairs(c.alias(), c.master()));
  }
}
