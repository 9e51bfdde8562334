package io.herald;

import io.herald.cluster.Cluster;
import io.herald.publish.StorePublisher;
import io.herald.raft.StateListener;
import java.util.Collection;
import java.util.List;

/** Hands every applied change to each of this node's publishers (which queue it and return at once). */
final class DelegatingStateListener implements StateListener {
  private final List<StorePublisher> publishers;

  DelegatingStateListener(List<StorePublisher> publishers) {
    this.publishers = List.copyOf(publishers);
  }

  @Override
  public void onApplied(List<Cluster> changed) {
    for (StorePublisher p : publishers) p.offer(changed);
  }

  @Override
  public void onReset(Collection<Cluster> all) {
    for (StorePublisher p : publishers) p.offer(all);
  }
}
