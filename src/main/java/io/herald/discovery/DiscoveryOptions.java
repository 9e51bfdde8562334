package io.herald.discovery;

import io.herald.cluster.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How this node discovers and watches the MySQL/MariaDB topologies (orchestrator's discovery keys).
 *
 * @param seeds {@code DiscoverySeeds}: instances to start crawling from (the group's {@code discover} requests add
 *     more)
 * @param pollInterval {@code InstancePollSeconds}: each known instance is probed this often (default 1 s)
 * @param maxConcurrentProbes threads probing at once; a hung instance holds one of them for at most the connect
 *     and read timeouts
 * @param ignoreHosts {@code DiscoveryIgnoreHostnameFilters}: instances whose host matches are never probed
 * @param ignoreReplicaHosts {@code DiscoveryIgnoreReplicaHostnameFilters}: replicas not followed when crawling down
 * @param ignoreMasterHosts {@code DiscoveryIgnoreMasterHostnameFilters}: sources not followed when crawling up
 * @param unseenForget {@code UnseenInstanceForgetHours}: an instance found by crawling and unreachable this long
 *     is dropped by this node (seeds stay until forgotten)
 */
public record DiscoveryOptions(
    List<HostPort> seeds, Duration pollInterval, int maxConcurrentProbes, List<Pattern> ignoreHosts,
    List<Pattern> ignoreReplicaHosts, List<Pattern> ignoreMasterHosts, Duration unseenForget) {
  public DiscoveryOptions {
    seeds = List.copyOf(seeds);
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) throw new IllegalArgumentException("InstancePollSeconds must be positive");
    if (maxConcurrentProbes < 1) throw new IllegalArgumentException("maxConcurrentProbes must be positive");
    ignoreHosts = List.copyOf(ignoreHosts);
    ignoreReplicaHosts = List.copyOf(ignoreReplicaHosts);
    ignoreMasterHosts = List.copyOf(ignoreMasterHosts);
    Objects.requireNonNull(unseenForget, "unseenForget");
  }

  /** Whether crawling may follow {@code key}, reached as a replica ({@code asReplica}) or as a source. */
  boolean follows(HostPort key, boolean asReplica) {
    if (matches(ignoreHosts, key)) return false;
    return !matches(asReplica ? ignoreReplicaHosts : ignoreMasterHosts, key);
  }

  /** Whether {@code key} may be probed at all. */
  boolean probes(HostPort key) {
    return !matches(ignoreHosts, key);
  }

  private static boolean matches(List<Pattern> filters, HostPort key) {
    for (Pattern p : filters) {
      if (p.matcher(key.host()).find()) return true;
    }
    return false;
  }
}
