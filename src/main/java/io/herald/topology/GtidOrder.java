package io.herald.topology;

/** How one GTID position relates to another, domain by domain (see {@link GtidPosition#compareWith}). */
public enum GtidOrder {
  /** The same domains with the same sequence numbers. */
  EQUAL,
  /** At least as far in every domain of the other, and further in at least one (or has a domain it lacks). */
  AHEAD,
  /** The other is {@link #AHEAD} of this one. */
  BEHIND,
  /** Further in one domain and behind in another: neither contains the other (a candidate must not be chosen). */
  INCOMPARABLE
}
