package io.herald.recovery;

import io.herald.cluster.Alias;
import io.herald.mysql.ReplicationCredentials;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Herald recovers failed masters (orchestrator's recovery keys).
 *
 * @param clusterFilters {@code RecoverMasterClusterFilters}: clusters recovered automatically, by alias or cluster
 *     name ({@code host:port} of the master), each a regular expression or {@code *}; empty: none (as orchestrator)
 * @param blockPeriod {@code RecoveryPeriodBlockSeconds}: no automatic recovery of a cluster within this long of the
 *     previous one, unless acknowledged
 * @param replicaCredentials {@code MySQLReplicaUser}/{@code MySQLReplicaPassword}: the user re-pointed replicas and
 *     rejoined old masters connect with; empty: replicas keep the user they have, and old masters are not rejoined
 * @param drainTimeout how long to wait for the successor to apply its relay log before promoting it
 * @param failIfNotApplied {@code FailMasterPromotionIfSQLThreadNotUpToDate}: fail the recovery when the drain times
 *     out (otherwise the successor is promoted with what it applied, and the step says so)
 * @param sameDataCenterOnly {@code PreventCrossDataCenterMasterFailover}
 * @param promotionIgnoreHostnames {@code PromotionIgnoreHostnameFilters}
 * @param maintenanceLag {@code ReasonableMaintenanceReplicationLagSeconds}: how long a graceful takeover waits for the
 *     designated replica to catch up while writes are blocked
 * @param rejoinDeposedMasters {@code RejoinDeposedMasters} (Herald's): an old master that returns with nothing the
 *     new master lacks is made a replica of it (never one that diverged)
 * @param wipeValuesPreFailover {@code KVWipeValuesPreFailover} (orchestrator PR #1278's name): when a failover
 *     begins, publish the cluster blank at a new epoch, so that consumers stop writing to the failed master before
 *     the successor is published (not for graceful takeovers)
 * @param hooks the processes run around recoveries
 */
public record RecoveryOptions(List<String> clusterFilters, Duration blockPeriod,
    Optional<ReplicationCredentials> replicaCredentials, Duration drainTimeout, boolean failIfNotApplied,
    boolean sameDataCenterOnly, List<Pattern> promotionIgnoreHostnames, Duration maintenanceLag,
    boolean rejoinDeposedMasters, boolean wipeValuesPreFailover, Hooks hooks) {
  public RecoveryOptions {
    clusterFilters = List.copyOf(clusterFilters);
    Objects.requireNonNull(blockPeriod, "blockPeriod");
    Objects.requireNonNull(replicaCredentials, "replicaCredentials");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    promotionIgnoreHostnames = List.copyOf(promotionIgnoreHostnames);
    Objects.requireNonNull(maintenanceLag, "maintenanceLag");
    Objects.requireNonNull(hooks, "hooks");
    for (String f : clusterFilters) {
      if (!f.equals("*")) Pattern.compile(f); // the loader reports a bad one with its key
    }
  }

  /** Defaults: no cluster recovered automatically. */
  public static RecoveryOptions defaults() {
    return new RecoveryOptions(List.of(), Duration.ofHours(1), Optional.empty(), Duration.ofSeconds(60), false, false,
        List.of(), Duration.ofSeconds(20), true, false, Hooks.none());
  }

  /** Whether a cluster is recovered automatically ({@code RecoverMasterClusterFilters}). */
  public boolean automatic(Alias alias, String clusterName) {
    for (String f : clusterFilters) {
      if (f.equals("*")) return true;
      Pattern p = Pattern.compile(f);
      if (p.matcher(alias.value()).find() || p.matcher(clusterName).find()) return true;
    }
    return false;
  }
}
