package io.herald.config;

import io.herald.cluster.KeyLayout;
import io.herald.kv.consul.ConsulOptions;
import io.herald.kv.etcd.EtcdOptions;
import io.herald.kv.zookeeper.ZooKeeperOptions;
import io.herald.publish.PublishOptions;
import io.herald.raft.RaftOptions;
import io.herald.discovery.DiscoveryOptions;
import io.herald.mysql.MySqlOptions;
import io.herald.topology.AnalysisOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Herald's whole configuration, checked once at startup. Immutable; a store is configured when its option is
 * present.
 *
 * @param raft the raft group; with {@code RaftEnabled} false, a standalone group of one
 * @param resolveTimeout how long resolving a master's IPv4/IPv6 addresses may take before they are published empty
 * @param mysql how to reach the MySQL/MariaDB instances; empty when discovery is off (no {@code MySQLTopologyUser})
 * @param discovery seeds, poll interval and filters of discovery
 * @param analysis what the topology analysis depends on
 * @param recovery how failed masters are recovered
 * @param warnings one line per unknown key, to be logged at startup
 */
public record HeraldConfig(
    HttpOptions http, RaftOptions raft, KeyLayout layout, Optional<ConsulOptions> consul,
    Optional<ZooKeeperOptions> zookeeper, Optional<EtcdOptions> etcd, PublishOptions publish, Duration resolveTimeout,
    Optional<MySqlOptions> mysql, DiscoveryOptions discovery, AnalysisOptions analysis,
    io.herald.recovery.RecoveryOptions recovery, List<String> warnings) {
  public HeraldConfig {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(consul, "consul");
    Objects.requireNonNull(zookeeper, "zookeeper");
    Objects.requireNonNull(etcd, "etcd");
    Objects.requireNonNull(publish, "publish");
    Objects.requireNonNull(resolveTimeout, "resolveTimeout");
    Objects.requireNonNull(mysql, "mysql");
    Objects.requireNonNull(discovery, "discovery");
    Objects.requireNonNull(analysis, "analysis");
    Objects.requireNonNull(recovery, "recovery");
    warnings = List.copyOf(warnings);
  }

  /** {@code RaftEnabled}: this node is one of a configured group, not a standalone group of one. */
  public boolean raftEnabled() {
    return !raft.standalone();
  }
}
