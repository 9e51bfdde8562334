package io.herald.testing;

import io.herald.cluster.HostPort;

/** The config of a test node that discovers from one seed of the test servers; internal store only. */
public final class DiscoveryNodeConfig {
  private DiscoveryNodeConfig() {}

  /** Discovery from {@code seed}, polling every second, naming the cluster {@code alias}. */
  public static String of(HostPort seed, String alias) {
    return "\"MySQLTopologyUser\": \"" + TestServers.mariaDbUser() + "\", \"MySQLTopologyPassword\": \""
        + TestServers.mariaDbPassword().value() + "\", \"InstancePollSeconds\": 1, \"DiscoverySeeds\": [\"" + seed
        + "\"], \"DetectClusterAliasQuery\": \"SELECT '" + alias + "'\"";
  }
}
