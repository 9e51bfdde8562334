package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which replica of a failed master to promote (research section 6, "Candidate choice"): of its direct replicas, those
 * reached by their latest probe, with {@code log_bin} and {@code log_slave_updates}, no replication filters, no
 * {@code SQL_Delay}, and not excluded by the caller (errant GTIDs, promotion rules, data-centre rules); ordered by
 * {@code Gtid_IO_Pos} (what each received, compared per domain), then lag, then key. When the most advanced positions
 * are incomparable (one is ahead in one domain, another in another), the ranking is refused.
 */
public final class Candidates {
  private Candidates() {}

  public static CandidateRanking rank(Topology topology, HostPort failedMaster, Set<HostPort> excluded) {
    Map<HostPort, String> rejected = new TreeMap<>(Topology.keyOrder());
    Map<HostPort, GtidPosition> positions = new HashMap<>();
    Map<HostPort, Long> lags = new HashMap<>();
    for (HostPort r : topology.children(failedMaster)) {
      Optional<String> why = rejection(topology, r, excluded);
      if (why.isPresent()) {
        rejected.put(r, why.get());
        continue;
      }
      ReplicaStatus s = topology.observation(r).flatMap(Observation::state).flatMap(InstanceState::replication)
          .orElseThrow();
      positions.put(r, GtidPosition.of(s.gtidIoPos()));
      lags.put(r, s.secondsBehindMaster().orElse(Long.MAX_VALUE));
    }
    Map<HostPort, Integer> dominated = new HashMap<>();
    for (HostPort a : positions.keySet()) {
      int n = 0;
      for (HostPort b : positions.keySet()) if (positions.get(a).contains(positions.get(b))) n++;
      dominated.put(a, n);
    }
    List<HostPort> ranked = new ArrayList<>(positions.keySet());
    ranked.sort(Comparator.<HostPort>comparingInt(dominated::get).reversed().thenComparing(lags::get)
        .thenComparing(Topology.keyOrder()));
    Optional<String> refusal = Optional.empty();
    if (!ranked.isEmpty() && dominated.get(ranked.get(0)) < ranked.size()) {
      HostPort other = ranked.stream().filter(b -> !positions.get(ranked.get(0)).contains(positions.get(b)))
          .findFirst().orElseThrow();
      refusal = Optional.of("Gtid_IO_Pos of " + ranked.get(0) + " (" + positions.get(ranked.get(0)) + ") and of "
          + other + " (" + positions.get(other) + ") are incomparable: suspected split brain");
    }
    return new CandidateRanking(failedMaster, ranked, rejected, refusal);
  }

  private static Optional<String> rejection(Topology topology, HostPort r, Set<HostPort> excluded) {
    if (excluded.contains(r)) return Optional.of("excluded");
    Optional<InstanceState> state = topology.observation(r).flatMap(Observation::state);
    if (state.isEmpty()) return Optional.of("not reached by its latest probe");
    InstanceState s = state.get();
    if (s.replication().isEmpty()) return Optional.of("not replicating");
    if (!s.logBin()) return Optional.of("log_bin is OFF");
    if (!s.logSlaveUpdates()) return Optional.of("log_slave_updates is OFF");
    if (s.replication().get().hasFilters()) return Optional.of("has replication filters");
    if (s.replication().get().sqlDelay() > 0) return Optional.of("delayed (SQL_Delay)");
    return Optional.empty();
  }
}
