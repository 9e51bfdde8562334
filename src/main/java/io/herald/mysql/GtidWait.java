package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.topology.GtidList;
import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of {@link ReplicationControl#waitForGtid} and {@link ReplicationControl#waitForRelayLogApplied}.
 *
 * @param instance the instance
 * @param target the position waited for (for a relay-log drain: the replica's {@code Gtid_IO_Pos} when asked)
 * @param applied {@code @@gtid_slave_pos} after the wait
 * @param waited how long the wait took
 * @param status whether it was reached
 */
public record GtidWait(HostPort instance, GtidList target, GtidList applied, Duration waited, Status status) {
  public enum Status {
    /** {@code MASTER_GTID_WAIT} returned 0: the instance applied the target. */
    REACHED,
    /** {@code MASTER_GTID_WAIT} returned -1: not reached within the timeout. */
    TIMED_OUT,
    /** A relay-log drain on an instance whose SQL thread is stopped short of the target: it never would be reached. */
    SQL_THREAD_STOPPED,
    /** A relay-log drain on an instance that replicates from nobody. */
    NOT_A_REPLICA
  }

  public GtidWait {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(applied, "applied");
    Objects.requireNonNull(waited, "waited");
    Objects.requireNonNull(status, "status");
  }

  public boolean reached() {
    return status == Status.REACHED;
  }
}
