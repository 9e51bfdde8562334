package io.herald.cluster;

/** Who decides a cluster's master. */
public enum Origin {
  /** An operator declared it ({@code set-master}): discovery never overrides it until the operator hands it over. */
  DECLARED,
  /** Herald follows what it discovers on the servers themselves. */
  DISCOVERED
}
