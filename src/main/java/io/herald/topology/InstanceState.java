package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one successful probe read from a MySQL/MariaDB instance. Immutable; built by the {@code mysql} adapter.
 *
 * @param key the address Herald reaches the instance at (how it was seeded or discovered)
 * @param serverId {@code @@server_id}
 * @param version {@code @@version}
 * @param readOnly {@code @@read_only}
 * @param logBin {@code @@log_bin}
 * @param logSlaveUpdates {@code @@log_slave_updates}
 * @param binlogFormat {@code @@binlog_format}
 * @param gtidStrictMode {@code @@gtid_strict_mode}
 * @param gtidDomainId {@code @@gtid_domain_id}
 * @param gtidCurrentPos {@code @@gtid_current_pos}
 * @param gtidBinlogPos {@code @@gtid_binlog_pos}
 * @param gtidSlavePos {@code @@gtid_slave_pos}
 * @param gtidBinlogState {@code @@gtid_binlog_state}
 * @param replication its replication from a source; empty when {@code SHOW SLAVE STATUS} is empty
 * @param replicas the replicas it serves: {@code SHOW SLAVE HOSTS} ({@code report_host:report_port}), or
 *     the hosts of the processlist's Binlog Dump threads with this instance's port when that is not available
 * @param semiSync semi-sync settings and status
 * @param clusterAlias what {@code DetectClusterAliasQuery} returned on this instance (empty when not configured,
 *     not run here, or empty)
 * @param dataCenter from {@code DetectDataCenterQuery} or {@code DataCenterPattern}; empty when unknown
 * @param missingPrivileges privileges a failover needs that {@code SHOW GRANTS} does not give Herald's user; empty
 *     when not checked yet
 */
public record InstanceState(
    HostPort key, long serverId, String version, boolean readOnly, boolean logBin, boolean logSlaveUpdates,
    String binlogFormat, boolean gtidStrictMode, long gtidDomainId, GtidList gtidCurrentPos, GtidList gtidBinlogPos,
    GtidList gtidSlavePos, GtidList gtidBinlogState, Optional<ReplicaStatus> replication, List<HostPort> replicas,
    SemiSync semiSync, Optional<String> clusterAlias, Optional<String> dataCenter,
    Optional<Set<String>> missingPrivileges) {
  public InstanceState {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(binlogFormat, "binlogFormat");
    Objects.requireNonNull(gtidCurrentPos, "gtidCurrentPos");
    Objects.requireNonNull(gtidBinlogPos, "gtidBinlogPos");
    Objects.requireNonNull(gtidSlavePos, "gtidSlavePos");
    Objects.requireNonNull(gtidBinlogState, "gtidBinlogState");
    Objects.requireNonNull(replication, "replication");
    replicas = List.copyOf(replicas);
    Objects.requireNonNull(semiSync, "semiSync");
    Objects.requireNonNull(clusterAlias, "clusterAlias");
    Objects.requireNonNull(dataCenter, "dataCenter");
    missingPrivileges = missingPrivileges.map(Set::copyOf);
  }
}
