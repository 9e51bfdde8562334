package io.herald.cluster;

import java.util.Objects;

/**
 * One cluster in the desired state.
 *
 * @param epoch the fencing token of the current master: the raft log index of the change that made it master;
 *     it only grows for a cluster
 * @param submitted the raft log index of the last explicit submit request covering this cluster (0 if none);
 *     a publisher re-checks the stores for the cluster when this is newer than what it last checked
 * @param origin whether an operator declared the master or Herald follows what it discovers
 * @param wiped published blank at {@code epoch}: a failover of {@code master} began with
 *     {@code KVWipeValuesPreFailover}, so the stores hold empty values until the successor is published (or the
 *     recovery ends and {@code master} is published again); {@code master} stays the one being replaced
 */
public record Cluster(Alias alias, Master master, long epoch, long submitted, Origin origin, boolean wiped) {
  public Cluster {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(origin, "origin");
    if (epoch < 1) throw new IllegalArgumentException("epoch must be positive: " + epoch);
    if (submitted < 0) throw new IllegalArgumentException("submitted must not be negative: " + submitted);
  }

  /** A cluster whose master is published. */
  public Cluster(Alias alias, Master master, long epoch, long submitted, Origin origin) {
    this(alias, master, epoch, submitted, origin, false);
  }

  /** A declared cluster. */
  public Cluster(Alias alias, Master master, long epoch, long submitted) {
    this(alias, master, epoch, submitted, Origin.DECLARED);
  }

  public Cluster withSubmitted(long index) {
    return new Cluster(alias, master, epoch, index, origin, wiped);
  }

  public Cluster withOrigin(Origin o) {
    return new Cluster(alias, master, epoch, submitted, o, wiped);
  }

  /** Published blank at {@code newEpoch}, the same master recorded. */
  public Cluster wipedAt(long newEpoch) {
    return new Cluster(alias, master, newEpoch, submitted, origin, true);
  }

  /** The recorded master published again at {@code newEpoch}. */
  public Cluster restoredAt(long newEpoch) {
    return new Cluster(alias, master, newEpoch, submitted, origin, false);
  }
}
