package io.herald.discovery;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import java.util.Objects;

/**
 * A master change discovery wants committed: {@code alias}'s master becomes {@code master}, if the cluster is
 * still at {@code fromEpoch} (0: the cluster is new).
 */
public record MasterChange(Alias alias, HostPort master, long fromEpoch, String clusterName) {
  public MasterChange {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(clusterName, "clusterName");
  }
}
