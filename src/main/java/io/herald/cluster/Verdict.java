package io.herald.cluster;

/** What a forward-only writer must do with one cluster, given what a store holds for it. */
public enum Verdict {
  /** The store holds an older epoch, no epoch, or the same epoch with different values: replace everything. */
  WRITE,
  /** The store already holds exactly these entries. */
  CURRENT,
  /** The store holds a newer epoch: a newer master was published by someone else; never overwrite it. */
  STALE
}
