package io.herald.raft;

import io.herald.cluster.Cluster;
import java.util.Collection;
import java.util.List;

/**
 * Told of every change to the desired state, on the raft apply thread: implementations must return at once (queue
 * the work; never do I/O here), and must not throw.
 */
public interface StateListener {
  /** Clusters set or submitted by one applied command (including commands replayed from the log at startup). */
  void onApplied(List<Cluster> changed);

  /** The whole state was replaced (loaded from a snapshot, or installed from the leader). */
  void onReset(Collection<Cluster> all);
}
