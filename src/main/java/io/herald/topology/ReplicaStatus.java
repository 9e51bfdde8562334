package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An instance's replication from its source, as {@code SHOW SLAVE STATUS} (default connection) reports it.
 *
 * @param source {@code Master_Host}:{@code Master_Port}
 * @param io {@code Slave_IO_Running}
 * @param sqlRunning {@code Slave_SQL_Running} is {@code Yes}
 * @param lastIoErrno {@code Last_IO_Errno} (0 when none)
 * @param lastIoError {@code Last_IO_Error} ("" when none)
 * @param lastSqlErrno {@code Last_SQL_Errno} (0 when none)
 * @param lastSqlError {@code Last_SQL_Error} ("" when none)
 * @param secondsBehindMaster {@code Seconds_Behind_Master}; empty when NULL (a thread is not running)
 * @param sqlDelay {@code SQL_Delay} in seconds (0 when not delayed)
 * @param usingGtid {@code Using_Gtid}: {@code No}, {@code Current_Pos} or {@code Slave_Pos}
 * @param gtidIoPos {@code Gtid_IO_Pos}: the last GTID received per domain (what a failover must not lose)
 * @param hasFilters any of the {@code Replicate_*} filter columns is set
 */
public record ReplicaStatus(
    HostPort source, IoThread io, boolean sqlRunning, int lastIoErrno, String lastIoError, int lastSqlErrno,
    String lastSqlError, OptionalLong secondsBehindMaster, long sqlDelay, String usingGtid, GtidList gtidIoPos,
    boolean hasFilters) {
  public ReplicaStatus {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(io, "io");
    Objects.requireNonNull(lastIoError, "lastIoError");
    Objects.requireNonNull(lastSqlError, "lastSqlError");
    Objects.requireNonNull(secondsBehindMaster, "secondsBehindMaster");
    Objects.requireNonNull(usingGtid, "usingGtid");
    Objects.requireNonNull(gtidIoPos, "gtidIoPos");
  }

  /** The replica is connected to its source (the IO thread, not the SQL thread, says whether it sees it). */
  public boolean connected() {
    return io == IoThread.YES;
  }
}
