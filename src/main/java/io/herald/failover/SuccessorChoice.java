package io.herald.failover;

import io.herald.cluster.HostPort;
import io.herald.cluster.PromotionRule;
import io.herald.topology.CandidateRanking;
import io.herald.topology.Candidates;
import io.herald.topology.ErrantGtids;
import io.herald.topology.GtidList;
import io.herald.topology.GtidPosition;
import io.herald.topology.InstanceState;
import io.herald.topology.Observation;
import io.herald.topology.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The replica that replaces a failed master, and why each other direct replica was not chosen. Pure.
 *
 * <p>Eligible: the direct replicas {@link Candidates#rank} accepts (reached, {@code log_bin}, {@code
 * log_slave_updates}, no filters, no delay) that are not {@code must_not}, not matched by the ignore filters, have no
 * errant GTIDs against the master's last known state, and are in its data centre when so required. Of the eligible,
 * only the most advanced by received position ({@code Gtid_IO_Pos} per domain, whose position holds every other
 * eligible one's) may be chosen, so that nothing a replica received is lost; among those equally advanced, the
 * promotion rule decides (prefer, neutral, prefer_not), then the failed master's data centre, then lag and key. A
 * preferred replica that received less is not promoted over a more advanced one: the operator can hand over to it
 * gracefully once it caught up. Incomparable positions (suspected split brain) refuse.
 *
 * @param failedMaster the master replaced
 * @param successor the replica to promote; empty when none may be
 * @param position the successor's received position (empty when none)
 * @param siblings the failed master's other direct replicas, to re-point under the successor
 * @param rejected the direct replicas not eligible, each with why, sorted
 * @param refusal why there is no successor ("" when there is one)
 */
public record SuccessorChoice(HostPort failedMaster, Optional<HostPort> successor, GtidPosition position,
    List<HostPort> siblings, Map<HostPort, String> rejected, String refusal) {
  public SuccessorChoice {
    Objects.requireNonNull(failedMaster, "failedMaster");
    Objects.requireNonNull(successor, "successor");
    Objects.requireNonNull(position, "position");
    siblings = List.copyOf(siblings);
    // HostPort is not Comparable: new TreeMap<>(map) would sort by natural order and throw ClassCastException
    TreeMap<HostPort, String> sorted = new TreeMap<>(Topology.keyOrder());
    sorted.putAll(rejected);
    rejected = java.util.Collections.unmodifiableMap(sorted);
    Objects.requireNonNull(refusal, "refusal");
  }

  public static SuccessorChoice of(Topology topology, HostPort failedMaster, SuccessorRules rules) {
    Map<HostPort, String> rejected = new TreeMap<>(Topology.keyOrder());
    Optional<InstanceState> master = topology.knownState(failedMaster);
    for (HostPort r : topology.children(failedMaster)) {
      ruleOut(topology, r, master, rules).ifPresent(why -> rejected.put(r, why));
    }
    CandidateRanking ranking = Candidates.rank(topology, failedMaster, rejected.keySet());
    ranking.rejected().forEach(rejected::putIfAbsent);
    List<HostPort> siblings = new ArrayList<>(topology.children(failedMaster));
    if (ranking.refusal().isPresent() || ranking.ranked().isEmpty()) {
      String why = ranking.refusal().orElse("no direct replica of " + failedMaster + " can be promoted"
          + (rejected.isEmpty() ? " (it has none)" : ": " + rejected));
      return new SuccessorChoice(failedMaster, Optional.empty(), GtidPosition.EMPTY, siblings, rejected, why);
    }
    GtidPosition top = received(topology, ranking.ranked().get(0));
    List<HostPort> mostAdvanced = ranking.ranked().stream().filter(h -> received(topology, h).contains(top)).toList();
    Optional<String> dc = master.flatMap(InstanceState::dataCenter);
    Comparator<HostPort> order = Comparator.<HostPort>comparingInt(h -> rules.rule(h).ordinal())
        .thenComparing(h -> dc.isPresent() && dc.equals(topology.knownState(h).flatMap(InstanceState::dataCenter)) ? 0 : 1)
        .thenComparingInt(ranking.ranked()::indexOf);
    HostPort best = mostAdvanced.stream().min(order).orElseThrow();
    siblings.remove(best);
    return new SuccessorChoice(failedMaster, Optional.of(best), top, siblings, rejected, "");
  }

  /**
   * The direct replicas not eligible that received something the successor did not (their {@code Gtid_IO_Pos} not
   * within its own), with their positions: what only they have is not on the new master. A recovery records them.
   */
  public Map<HostPort, GtidPosition> ineligibleAhead(Topology topology) {
    Map<HostPort, GtidPosition> out = new TreeMap<>(Topology.keyOrder());
    if (successor.isEmpty()) return out;
    for (HostPort r : rejected.keySet()) {
      GtidPosition p = received(topology, r);
      if (!p.isEmpty() && !position.contains(p)) out.put(r, p);
    }
    return out;
  }

  private static GtidPosition received(Topology topology, HostPort h) {
    return topology.observation(h).flatMap(Observation::state).flatMap(InstanceState::replication)
        .map(r -> GtidPosition.of(r.gtidIoPos())).orElse(GtidPosition.EMPTY);
  }

  private static Optional<String> ruleOut(Topology topology, HostPort r, Optional<InstanceState> master,
      SuccessorRules rules) {
    if (rules.rule(r) == PromotionRule.MUST_NOT) return Optional.of("promotion rule must_not");
    if (rules.ignoreHostnames().stream().anyMatch(p -> p.matcher(r.host()).find())) {
      return Optional.of("matches PromotionIgnoreHostnameFilters");
    }
    Optional<InstanceState> s = topology.observation(r).flatMap(Observation::state);
    if (s.isPresent() && master.isPresent() && master.get().logBin()) {
      long own = master.get().serverId();
      // the master may have written more of its own transactions after its last read: only other pairs can be errant
      List<io.herald.topology.Gtid> errant = ErrantGtids.of(s.get().gtidBinlogState(), master.get().gtidBinlogState())
          .gtids().stream().filter(g -> g.serverId() != own).toList();
      if (!errant.isEmpty()) return Optional.of("errant GTIDs " + new GtidList(errant));
    }
    if (rules.sameDataCenterOnly()) {
      Optional<String> dc = master.flatMap(InstanceState::dataCenter);
      if (dc.isEmpty()) return Optional.of("the failed master's data centre is unknown (PreventCrossDataCenterMasterFailover)");
      if (s.isPresent() && !dc.equals(s.get().dataCenter())) {
        return Optional.of("in data centre " + s.get().dataCenter().orElse("(unknown)") + ", not " + dc.get()
            + " (PreventCrossDataCenterMasterFailover)");
      }
    }
    return Optional.empty();
  }
}
