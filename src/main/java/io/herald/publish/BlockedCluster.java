package io.herald.publish;

import io.herald.cluster.Alias;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A cluster a store will not take: it holds the cluster at a newer epoch than Herald's (written by another
 * deployment sharing the prefix, a group rebuilt from nothing, or by hand), so forward-only writes leave it as it is
 * and proxies keep the store's master. {@code take-over} writes Herald's master at an epoch above {@code storeEpoch}.
 *
 * @param storeEpoch the epoch the store holds, when its epoch key could be read
 */
public record BlockedCluster(Alias alias, long desiredEpoch, OptionalLong storeEpoch, Instant since) {
  public BlockedCluster {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(storeEpoch, "storeEpoch");
    Objects.requireNonNull(since, "since");
  }
}
