package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.Objects;

/**
 * Something wrong with one instance: fencing evidence or a reason it cannot take part in a failover.
 *
 * @param instance the instance
 * @param code what kind of problem
 * @param message for an operator, naming the instance's own facts (errors, GTIDs, seconds)
 * @param gtids the errant GTIDs for {@link Code#ERRANT_GTIDS} (see {@link ErrantGtids#of}); empty otherwise
 */
public record InstanceProblem(HostPort instance, Code code, String message, GtidList gtids) {
  /** The kinds of problem, in the order a list of problems of one instance is sorted. */
  public enum Code {
    /** The last probe failed. */
    UNREACHABLE,
    /** Writable, but not the cluster's master: a second writer. */
    WRITABLE_NOT_MASTER,
    /** A direct replica of the cluster's root whose source is not the master Herald publishes. */
    NOT_REPLICATING_FROM_MASTER,
    /** An IO or SQL error, or the SQL thread stopped. */
    REPLICATION_BROKEN,
    /** The IO thread stopped without an error (by an operator). */
    REPLICATION_STOPPED,
    /** Transactions the master does not have. */
    ERRANT_GTIDS,
    /** Herald's user lacks privileges a failover needs. */
    MISSING_GRANTS,
    /** Semi-sync is enabled on the master but commits no longer wait for a replica. */
    SEMI_SYNC_FELL_BACK_TO_ASYNC,
    /** Behind its source by more than the reasonable lag (beyond any configured SQL_Delay). */
    LAGGING
  }

  public InstanceProblem {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(gtids, "gtids");
  }

  static InstanceProblem of(HostPort instance, Code code, String message) {
    return new InstanceProblem(instance, code, message, GtidList.EMPTY);
  }
}
