package io.herald.kv;

/** The result of one cluster's forward-only write. */
public enum WriteOutcome {
  /** The store now holds the entries; it did not before. */
  WRITTEN,
  /** The store already held exactly these entries; nothing was written. */
  UNCHANGED,
  /** The store holds a newer epoch for the cluster; nothing was written, and nothing should be. */
  STALE
}
