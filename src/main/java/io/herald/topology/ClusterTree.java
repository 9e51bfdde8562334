package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One cluster of a {@link Topology}: a set of instances connected by replication.
 *
 * @param namedAfter the instance orchestrator's cluster name is: the master (or single root); for several roots, the
 *     smallest writable root (else the smallest root); for a cycle, its smallest member
 * @param members every instance of the cluster, sorted by key, including ones referenced but never probed
 * @param roots members that replicate from nobody known, sorted (empty for a pure cycle)
 * @param cycle members of a replication cycle, sorted (empty when none)
 * @param master the unambiguous master: the single root, writable, seen at least once; empty when {@code problems}
 *     is not empty
 * @param problems why the master is ambiguous, in enum order; empty when it is not
 */
public record ClusterTree(
    HostPort namedAfter, List<HostPort> members, List<HostPort> roots, List<HostPort> cycle, Optional<HostPort> master,
    List<StructureProblem> problems) {
  public ClusterTree {
    Objects.requireNonNull(namedAfter, "namedAfter");
    members = List.copyOf(members);
    roots = List.copyOf(roots);
    cycle = List.copyOf(cycle);
    Objects.requireNonNull(master, "master");
    problems = List.copyOf(problems);
    if (master.isPresent() != problems.isEmpty()) throw new IllegalArgumentException("master xor problems");
  }

  /** orchestrator's cluster name: {@code host:port} of {@link #namedAfter()}. */
  public String name() {
    return namedAfter.toString();
  }

  /** The instance the analysis treats as the cluster's master: the master, else the single root (read-only,
   * or never seen), else empty. */
  public Optional<HostPort> presumedMaster() {
    if (master.isPresent()) return master;
    return roots.size() == 1 && cycle.isEmpty() ? Optional.of(roots.get(0)) : Optional.empty();
  }
}
