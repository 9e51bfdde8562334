package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Issue 7's rule for a cluster's master: the instance at the root of its tree, writable (read_only off), replicating
 * from nobody, with the cluster's replicas replicating from it. Anything else is ambiguous and names no master.
 */
final class MasterRule {
  private MasterRule() {}

  /** The cluster of these members (sorted by key) of {@code topology}. */
  static ClusterTree tree(List<HostPort> members, Topology topology) {
    List<HostPort> roots = new ArrayList<>();
    for (HostPort m : members) if (topology.parent(m).isEmpty()) roots.add(m);
    List<HostPort> cycle = cycleMembers(members, topology);
    List<HostPort> writableRoots = roots.stream().filter(r -> writable(r, topology)).toList();
    EnumSet<StructureProblem> problems = EnumSet.noneOf(StructureProblem.class);
    if (!cycle.isEmpty()) problems.add(StructureProblem.CYCLE);
    if (writableRoots.size() > 1) problems.add(StructureProblem.MULTIPLE_WRITABLE_ROOTS);
    else if (roots.size() > 1) problems.add(StructureProblem.MULTIPLE_ROOTS);
    if (roots.size() == 1 && cycle.isEmpty()) {
      Optional<InstanceState> state = topology.knownState(roots.get(0));
      if (state.isEmpty()) problems.add(StructureProblem.ROOT_NEVER_SEEN);
      else if (state.get().readOnly()) problems.add(StructureProblem.READ_ONLY_ROOT);
    }
    Optional<HostPort> master = problems.isEmpty() ? Optional.of(roots.get(0)) : Optional.empty();
    return new ClusterTree(name(roots, writableRoots, cycle), members, roots, cycle, master, List.copyOf(problems));
  }

  private static HostPort name(List<HostPort> roots, List<HostPort> writableRoots, List<HostPort> cycle) {
    if (!writableRoots.isEmpty()) return writableRoots.get(0);
    if (!roots.isEmpty()) return roots.get(0);
    return cycle.get(0);
  }

  private static boolean writable(HostPort key, Topology topology) {
    return topology.knownState(key).map(s -> !s.readOnly()).orElse(false);
  }

  /** Members on a cycle of parent links, sorted (walks each chain once). */
  private static List<HostPort> cycleMembers(List<HostPort> members, Topology topology) {
    Map<HostPort, Boolean> done = new HashMap<>(); // value: on a cycle
    for (HostPort start : members) {
      List<HostPort> path = new ArrayList<>();
      Set<HostPort> onPath = new HashSet<>();
      HostPort cur = start;
      while (cur != null && !done.containsKey(cur) && onPath.add(cur)) {
        path.add(cur);
        cur = topology.parent(cur).orElse(null);
      }
      boolean closed = cur != null && onPath.contains(cur);
      boolean inCycle = false;
      for (HostPort p : path) {
        if (closed && p.equals(cur)) inCycle = true;
        done.put(p, inCycle);
      }
    }
    List<HostPort> out = new ArrayList<>();
    for (HostPort m : members) if (done.get(m)) out.add(m);
    return out;
  }
}
