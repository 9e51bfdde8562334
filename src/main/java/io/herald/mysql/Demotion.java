package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.topology.GtidList;
import java.util.Objects;

/**
 * The outcome of {@link ReplicationControl#demoteToReplica}.
 *
 * @param instance the old master
 * @param source the new source asked for
 * @param startPos the GTID position it asks {@code source} to start from ({@code @@gtid_slave_pos} set from its own
 *     {@code @@gtid_binlog_pos}; as found when nothing was done)
 * @param link how its IO thread stood with {@code source} afterwards
 * @param status what was done
 * @param reason why it was refused ("" otherwise)
 */
public record Demotion(HostPort instance, HostPort source, GtidList startPos, SourceLink link, Status status,
    String reason) {
  public enum Status {
    /** read_only set, replication from {@code source} set up and started: the source accepted its position. */
    REPLICATING,
    /** read_only set and replication set up, not started (as asked). */
    CONFIGURED,
    /**
     * read_only set and replication started, but the IO thread was not connected within the bound ({@link #link}
     * says why: the source unreachable from it, wrong credentials, ...); left running, it retries by itself.
     */
    NOT_CONNECTED,
    /**
     * The source refused its position (error 1236, {@link #link} has the server's words): it holds transactions
     * the new source lacks. Replication was stopped again; it stays read_only and needs an operator (flashback or
     * rebuild).
     */
    DIVERGED,
    /** It was already read_only and replicating from {@code source} (configured, when not to start): nothing done. */
    ALREADY_REPLICATING,
    /** {@code source} is the instance itself, or it replicates through named connections: nothing was done. */
    REFUSED
  }

  public Demotion {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(startPos, "startPos");
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }
}
