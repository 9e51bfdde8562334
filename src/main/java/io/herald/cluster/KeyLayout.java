package io.herald.cluster;

import java.util.List;
import java.util.Optional;

/**
 * orchestrator's key layout: {@code <prefix><alias>} = {@code host:port}, and {@code /hostname}, {@code /port},
 * {@code /ipv4}, {@code /ipv6} below it. Herald's fencing epoch lives at {@code <prefix><alias>/epoch}, or, for
 * consumers that list a cluster's children, under a separate prefix ({@code <epochPrefix><alias>}). An epoch key
 * left at the other place by a switch of {@code HeraldEpochKey} is deleted (see {@link #formerEpochKey}).
 * Immutable and thread-safe.
 */
public record KeyLayout(String prefix, boolean epochBesideMaster, String epochPrefix, boolean epochPrefixOwned) {
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

  /**
   * A layout that owns the epoch prefix only while it uses it: with the epoch beside the master, keys under
   * {@code epochPrefix} may be another deployment's (the prefix defaults to the same value everywhere), so none of
   * them is ever deleted.
   */
  public KeyLayout(String prefix, boolean epochBesideMaster, String epochPrefix) {
    this(prefix, epochBesideMaster, epochPrefix, !epochBesideMaster);
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

  /** The same keys as {@link #pairs}, every value empty: a cluster published blank ({@link Cluster#wiped}). */
  public List<KvPair> blankPairs(Alias alias) {
    String key = masterKey(alias);
    return List.of(new KvPair(key, ""), new KvPair(key + "/hostname", ""), new KvPair(key + "/port", ""),
        new KvPair(key + "/ipv4", ""), new KvPair(key + "/ipv6", ""));
  }

  /**
   * Where the other setting of {@code HeraldEpochKey} puts the epoch: a key left there after a switch, which a store
   * deletes when it writes the cluster. With the epoch apart, that is {@code <prefix><alias>/epoch} (under this
   * deployment's own prefix); with the epoch beside the master, {@code <epochPrefix><alias>}, but only when the
   * epoch prefix is known to be this deployment's ({@code epochPrefixOwned}: configured explicitly) and does not
   * overlap the master prefix; empty otherwise.
   */
  public Optional<String> formerEpochKey(Alias alias) {
    if (!epochBesideMaster) return Optional.of(masterKey(alias) + "/epoch");
    if (!epochPrefixOwned || epochPrefix.startsWith(prefix) || prefix.startsWith(epochPrefix)) return Optional.empty();
    return Optional.of(epochPrefix + alias.value());
  }

  /** The cluster's entries (blank when wiped), with the former epoch key to delete where a store still holds it. */
  public ClusterEntries entries(Cluster c) {
    return new ClusterEntries(c.alias(), c.epoch(), epochKey(c.alias()),
        c.wiped() ? blankPairs(c.alias()) : pairs(c.alias(), c.master()), formerEpochKey(c.alias()));
  }
}
