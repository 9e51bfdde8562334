package io.herald.topology;

/**
 * Semi-synchronous replication as {@code SHOW GLOBAL VARIABLES/STATUS LIKE 'rpl_semi_sync%'} reports it.
 *
 * @param masterEnabled {@code rpl_semi_sync_master_enabled}
 * @param masterActive {@code Rpl_semi_sync_master_status}: ON while commits wait for an ACK (OFF after a silent
 *     fallback to asynchronous replication)
 * @param masterClients {@code Rpl_semi_sync_master_clients}: replicas acknowledging
 * @param masterTimeoutMillis {@code rpl_semi_sync_master_timeout}
 * @param replicaEnabled {@code rpl_semi_sync_slave_enabled}
 * @param replicaActive {@code Rpl_semi_sync_slave_status}
 */
public record SemiSync(
    boolean masterEnabled, boolean masterActive, long masterClients, long masterTimeoutMillis, boolean replicaEnabled,
    boolean replicaActive) {
  public static final SemiSync OFF = new SemiSync(false, false, 0, 0, false, false);
}
