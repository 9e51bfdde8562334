package io.herald.publish;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store's state as its publisher sees it.
 *
 * @param healthy the last call succeeded
 * @param pending clusters waiting to be written or checked
 * @param epochLag how far behind the desired state the store is: the largest (desired epoch - delivered epoch)
 *     over pending clusters, 0 when none is pending
 * @param written cluster writes that changed the store since start
 * @param retries failed calls since start
 * @param blocked clusters the store holds at a newer epoch than Herald's, so that Herald's master is not published
 *     there (an error an operator must act on: {@code take-over})
 */
public record StoreStatus(
    String name, String kind, String address, boolean healthy, Optional<Instant> lastSuccess,
    Optional<String> lastError, int pending, long epochLag, long written, long retries, List<BlockedCluster> blocked) {
  public StoreStatus {
    blocked = List.copyOf(blocked);
  }
}
