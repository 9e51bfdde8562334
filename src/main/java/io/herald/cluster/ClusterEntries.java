package io.herald.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Everything a store holds for one cluster: the orchestrator-compatible pairs, and the epoch written under
 * {@code epochKey} that fences writers. A store replaces a cluster's entries only when its stored epoch is older
 * than {@code epoch}, or equal with different values (drift).
 */
public record ClusterEntries(Alias alias, long epoch, String epochKey, List<KvPair> pairs) {
  public ClusterEntries {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(epochKey, "epochKey");
    pairs = List.copyOf(pairs);
  }

  /**
   * Decides what to do given what a store holds for this cluster.
   *
   * @param stored the store's current values of this cluster's keys (absent keys missing from the map)
   */
  public Verdict judge(java.util.Map<String, String> stored) {
    long storedEpoch = parseEpoch(stored.get(epochKey));
    if (storedEpoch > epoch) return Verdict.STALE;
    if (storedEpoch < epoch) return Verdict.WRITE;
    for (KvPair p : pairs) {
      if (!p.value().equals(stored.get(p.key()))) return Verdict.WRITE;
    }
    return Verdict.CURRENT;
  }

  /** A stored epoch: -1 when absent, 0 when unreadable (so that any real epoch replaces it). */
  public static long parseEpoch(String text) {
    if (text == null) return -1;
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The pairs plus the epoch pair: every key this cluster owns in a store. */
  public List<KvPair> allPairs() {
    var all = new java.util.ArrayList<KvPair>(pairs.size() + 1);
    all.addAll(pairs);
    all.add(new KvPair(epochKey, Long.toString(epoch)));
    return all;
  }
}
