package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.topology.GtidList;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link ReplicationControl#promote}.
 *
 * @param instance the instance
 * @param formerSource the source it replicated from when asked (empty when it replicated from nobody)
 * @param binlogPos {@code @@gtid_binlog_pos} after the promotion: the fork point, where the new master starts (as
 *     found, when refused)
 * @param status what was done
 * @param reason why it was refused ("" otherwise)
 */
public record Promotion(HostPort instance, Optional<HostPort> formerSource, GtidList binlogPos, Status status,
    String reason) {
  public enum Status {
    /** Replication was stopped and reset and/or read_only turned off: it is now a writable root. */
    PROMOTED,
    /** It was already a writable root that replicates from nobody: nothing was done. */
    ALREADY_MASTER,
    /**
     * It replicates from another source than the one expected, or through named (multi-source) connections: nothing
     * was done.
     */
    REFUSED
  }

  public Promotion {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(formerSource, "formerSource");
    Objects.requireNonNull(binlogPos, "binlogPos");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }
}
