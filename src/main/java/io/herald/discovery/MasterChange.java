package io.herald.discovery;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import java.util.Objects;

/**
 * A master change discovery wants committed: {@code alias}'s master becomes {@code master}, if the cluster is
 * still at {@code fromEpoch} (0: the cluster is new).
 *
 * @param sameTree the new master's tree holds the alias's published master (a switchover inside the cluster, safe to
 *     commit at once); false for a new cluster or an alias moving to another tree, which must be seen unchanged for
 *     a while first (a switchover seen halfway shows the promoted replica alone for a moment)
 */
public record MasterChange(Alias alias, HostPort master, long fromEpoch, String clusterName, boolean sameTree) {
  public MasterChange {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(clusterName, "clusterName");
  }
}
