package io.herald.publish;

/**
 * What a store is known to hold for a cluster.
 *
 * @param epoch the epoch delivered (or found newer in the store)
 * @param checked the newest submit request that was checked against the store
 */
public record Delivered(long epoch, long checked) {
  public static final Delivered NOTHING = new Delivered(0, 0);

  /** True when this already covers the given epoch and submit request. */
  public boolean covers(long wantedEpoch, long wantedCheck) {
    return epoch >= wantedEpoch && checked >= wantedCheck;
  }
}
