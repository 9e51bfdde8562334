package io.herald.mysql;

import io.herald.cluster.HostPort;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link ReplicationControl#repoint}.
 *
 * @param replica the replica
 * @param formerSource the source it replicated from when asked (empty when none)
 * @param source the source asked for
 * @param link how its IO thread stood with {@code source} afterwards
 * @param status what was done
 * @param reason why it was refused ("" otherwise)
 */
public record Repointing(HostPort replica, Optional<HostPort> formerSource, HostPort source, SourceLink link,
    Status status, String reason) {
  public enum Status {
    /** Replication was stopped, pointed at {@code source} by GTID and started again. */
    REPOINTED,
    /** It already replicated from {@code source} with both threads running: nothing was done. */
    ALREADY_REPLICATING,
    /**
     * It replicates from nobody (a master: demote it instead) or through named (multi-source) connections, or
     * {@code source} is itself: nothing was done.
     */
    REFUSED
  }

  public Repointing {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(formerSource, "formerSource");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }
}
