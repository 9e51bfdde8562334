package io.herald.topology;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A MariaDB GTID position: at most one GTID per replication domain ({@code @@gtid_current_pos},
 * {@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos}, {@code Gtid_IO_Pos}). Positions are compared domain by
 * domain on the sequence number only, as {@code MASTER_GTID_WAIT} does; the server id of a GTID does not take
 * part (a divergence at one sequence number shows in the binlog state, see {@link ErrantGtids}).
 *
 * @param byDomain the GTID of each domain, keyed and iterated by domain
 */
public record GtidPosition(SortedMap<Long, Gtid> byDomain) {
  public static final GtidPosition EMPTY = new GtidPosition(new TreeMap<>());

  public GtidPosition {
    Objects.requireNonNull(byDomain, "byDomain");
    for (Map.Entry<Long, Gtid> e : byDomain.entrySet()) {
      if (e.getKey() != e.getValue().domain()) {
        throw new IllegalArgumentException("GTID " + e.getValue() + " filed under domain " + e.getKey());
      }
    }
    byDomain = Collections.unmodifiableSortedMap(new TreeMap<>(byDomain));
  }

  /**
   * The position a list describes. When a domain appears more than once (a binlog state rather than a position),
   * the GTID with the highest sequence number stands for it, which is the domain's position.
   */
  public static GtidPosition of(GtidList list) {
    TreeMap<Long, Gtid> map = new TreeMap<>();
    for (Gtid g : list.gtids()) map.merge(g.domain(), g, (a, b) -> b.seq() > a.seq() ? b : a);
    return new GtidPosition(map);
  }

  /** Parses {@code 0-1-322,1-2-7}; null or blank is {@link #EMPTY}. */
  public static GtidPosition parse(String text) {
    return of(GtidList.parse(text));
  }

  /** The sequence number reached in {@code domain}; empty when the position has no GTID of that domain. */
  public OptionalLong seq(long domain) {
    Gtid g = byDomain.get(domain);
    return g == null ? OptionalLong.empty() : OptionalLong.of(g.seq());
  }

  /** Every domain of {@code other} is in this position with a sequence number at least as high. */
  public boolean contains(GtidPosition other) {
    for (Gtid g : other.byDomain.values()) {
      Gtid mine = byDomain.get(g.domain());
      if (mine == null || mine.seq() < g.seq()) return false;
    }
    return true;
  }

  /**
   * How this position relates to {@code other}: a domain one position lacks counts as behind the other's GTID in
   * it. For ranking candidates: the most advanced is the one every other is {@link GtidOrder#BEHIND} or equal to.
   */
  public GtidOrder compareWith(GtidPosition other) {
    boolean containsOther = contains(other);
    boolean containedByOther = other.contains(this);
    if (containsOther && containedByOther) return GtidOrder.EQUAL;
    if (containsOther) return GtidOrder.AHEAD;
    if (containedByOther) return GtidOrder.BEHIND;
    return GtidOrder.INCOMPARABLE;
  }

  public boolean isEmpty() {
    return byDomain.isEmpty();
  }

  /** The position as a list, in domain order. */
  public GtidList toGtidList() {
    return new GtidList(byDomain.values().stream().toList());
  }

  @Override
  public String toString() {
    return toGtidList().toString();
  }
}
