package io.herald.mysql;

import java.util.Objects;

/**
 * How a replica's IO thread stands with its source shortly after {@code START SLAVE}, as seen by
 * {@link ReplicationControl#repoint} and {@link ReplicationControl#demoteToReplica}.
 *
 * @param state what was seen
 * @param lastIoErrno {@code Last_IO_Errno} (0 when none)
 * @param lastIoError {@code Last_IO_Error} ("" when none; the server's words, which never hold the password)
 */
public record SourceLink(State state, int lastIoErrno, String lastIoError) {
  /** {@code Last_IO_Errno} of a source that refuses the replica's GTID position: the replica diverged. */
  public static final int GTID_NOT_IN_SOURCE = 1236;

  public enum State {
    /** The source accepted the replica's GTID position and is sending its binlog. */
    CONNECTED,
    /** Still trying to connect when Herald stopped looking (it retries every second by itself). */
    CONNECTING,
    /** The IO thread stopped on an error. */
    FAILED,
    /** Replication was set up but not started. */
    NOT_STARTED
  }

  public SourceLink {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastIoError, "lastIoError");
  }

  public static SourceLink notStarted() {
    return new SourceLink(State.NOT_STARTED, 0, "");
  }

  /** The source refused the replica's position (error 1236): it has transactions the source lacks, or is ahead. */
  public boolean diverged() {
    return state == State.FAILED && lastIoErrno == GTID_NOT_IN_SOURCE;
  }
}
