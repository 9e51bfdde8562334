package io.herald.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a store holds for one cluster: the orchestrator-compatible pairs, and the epoch written under
 * {@code epochKey} that fences writers. A store replaces a cluster's entries only when its stored epoch is older
 * than {@code epoch}, or equal with different values (drift), or when it still holds {@code formerEpochKey}.
 *
 * @param formerEpochKey where the epoch lives in the other layout ({@code HeraldEpochKey} switched): a key left
 *     there would keep an old epoch forever, so a store that holds it deletes it when it writes the cluster; it
 *     does not fence (only {@code epochKey} does)
 */
public record ClusterEntries(Alias alias, long epoch, String epochKey, List<KvPair> pairs,
    Optional<String> formerEpochKey) {
  public ClusterEntries {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(epochKey, "epochKey");
    pairs = List.copyOf(pairs);
    Objects.requireNonNull(formerEpochKey, "formerEpochKey");
    if (formerEpochKey.isPresent()) {
      String former = formerEpochKey.get();
      if (former.equals(epochKey) || pairs.stream().anyMatch(p -> p.key().equals(former))) {
        throw new IllegalArgumentException("former epoch key " + former + " is one of the cluster's keys");
      }
    }
  }

  /** Entries with no former epoch key to clean up. */
  public ClusterEntries(Alias alias, long epoch, String epochKey, List<KvPair> pairs) {
    this(alias, epoch, epochKey, pairs, Optional.empty());
  }

  /** Every key a store reads to write this cluster: its pairs, its epoch key and the former epoch key. */
  public List<String> keysToRead() {
    var keys = new java.util.ArrayList<String>(pairs.size() + 2);
    for (KvPair p : allPairs()) keys.add(p.key());
    formerEpochKey.ifPresent(keys::add);
    return keys;
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
    return formerEpochKey.filter(stored::containsKey).isPresent() ? Verdict.WRITE : Verdict.CURRENT;
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
