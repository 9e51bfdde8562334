package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The direct replicas of a failed master, ranked for promotion (see {@link Candidates#rank}).
 *
 * @param failedMaster the master being replaced
 * @param ranked the eligible replicas, best first
 * @param rejected the replicas that cannot be promoted, each with why, sorted by key
 * @param refusal why no candidate may be chosen even though some are eligible (the most advanced positions are
 *     incomparable: suspected split brain); empty when {@link #best()} may be used
 */
public record CandidateRanking(
    HostPort failedMaster, List<HostPort> ranked, Map<HostPort, String> rejected, Optional<String> refusal) {
  public CandidateRanking {
    Objects.requireNonNull(failedMaster, "failedMaster");
    ranked = List.copyOf(ranked);
    rejected = Map.copyOf(rejected);
    Objects.requireNonNull(refusal, "refusal");
  }

  /** The replica to promote; empty when none is eligible or the ranking is refused. */
  public Optional<HostPort> best() {
    return refusal.isPresent() || ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
  }
}
