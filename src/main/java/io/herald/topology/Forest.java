package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** The graph computations behind {@link Topology}: parents, replicas, children and connected components. */
final class Forest {
  private final Map<HostPort, Observation> observations;
  private final SortedSet<HostPort> instances = new TreeSet<>(Topology.keyOrder());
  private final Map<HostPort, HostPort> parents = new HashMap<>();
  private final Map<HostPort, SortedSet<HostPort>> replicas = new HashMap<>();
  private final Map<HostPort, List<HostPort>> children = new HashMap<>();
  private final Map<HostPort, HostPort> unionFind = new HashMap<>();

  Forest(Map<HostPort, Observation> observations) {
    this.observations = observations;
    Map<HostPort, List<HostPort>> reporters = new HashMap<>();
    for (Observation o : observations.values()) {
      HostPort key = o.key();
      instances.add(key);
      Optional<InstanceState> state = o.state().or(o::lastState);
      state.flatMap(InstanceState::replication).map(ReplicaStatus::source).filter(s -> !s.equals(key))
          .ifPresent(source -> {
            parents.put(key, source);
            instances.add(source);
            replicasOf(source).add(key);
          });
      for (HostPort r : state.map(InstanceState::replicas).orElse(List.of())) {
        if (r.equals(key)) continue; // the processlist fallback guesses the master's own port
        instances.add(r);
        replicasOf(key).add(r);
        reporters.computeIfAbsent(r, x -> new ArrayList<>()).add(key);
      }
    }
    for (Map.Entry<HostPort, List<HostPort>> e : reporters.entrySet()) adopt(e.getKey(), e.getValue());
    for (Map.Entry<HostPort, HostPort> e : parents.entrySet()) {
      children.computeIfAbsent(e.getValue(), x -> new ArrayList<>()).add(e.getKey());
      union(e.getKey(), e.getValue());
    }
    for (List<HostPort> list : children.values()) list.sort(Topology.keyOrder());
  }

  /** A reported replica with no source of its own: placed under its reporter(s) (never read) or joined to them. */
  private void adopt(HostPort replica, List<HostPort> reporters) {
    if (parents.containsKey(replica)) return; // its own SHOW SLAVE STATUS names its source
    Observation o = observations.get(replica);
    boolean neverRead = o == null || o.state().or(o::lastState).isEmpty();
    reporters.sort(Topology.keyOrder());
    if (neverRead) {
      parents.put(replica, reporters.get(0));
    }
    for (HostPort r : reporters) {
      // a replica read to replicate from nobody is joined only by a reporter read now: the last list of an instance
      // that is down is stale (a dead old master still "has" the replica promoted in its place)
      Observation ro = observations.get(r);
      if (neverRead || (ro != null && ro.state().isPresent())) union(replica, r);
    }
  }

  private SortedSet<HostPort> replicasOf(HostPort key) {
    return replicas.computeIfAbsent(key, x -> new TreeSet<>(Topology.keyOrder()));
  }

  Map<HostPort, HostPort> parents() {
    return Map.copyOf(parents);
  }

  Map<HostPort, SortedSet<HostPort>> replicas() {
    Map<HostPort, SortedSet<HostPort>> out = new HashMap<>();
    replicas.forEach((k, v) -> out.put(k, java.util.Collections.unmodifiableSortedSet(v)));
    return Map.copyOf(out);
  }

  Map<HostPort, List<HostPort>> children() {
    Map<HostPort, List<HostPort>> out = new HashMap<>();
    children.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return Map.copyOf(out);
  }

  SortedSet<HostPort> instances() {
    return instances;
  }

  /** The connected components, each sorted by key, in the order of their smallest member. */
  List<List<HostPort>> components() {
    Map<HostPort, List<HostPort>> byRoot = new HashMap<>();
    List<List<HostPort>> out = new ArrayList<>();
    for (HostPort k : instances) {
      List<HostPort> members = byRoot.computeIfAbsent(find(k), x -> {
        List<HostPort> l = new ArrayList<>();
        out.add(l);
        return l;
      });
      members.add(k);
    }
    return out;
  }

  private HostPort find(HostPort k) {
    HostPort root = k;
    for (HostPort next = unionFind.get(root); next != null && !next.equals(root); next = unionFind.get(root)) {
      root = next;
    }
    for (HostPort cur = k; !cur.equals(root); ) { // path compression
      HostPort next = unionFind.get(cur);
      unionFind.put(cur, root);
      cur = next;
    }
    return root;
  }

  private void union(HostPort a, HostPort b) {
    HostPort ra = find(a);
    HostPort rb = find(b);
    if (!ra.equals(rb)) unionFind.put(ra, rb);
  }
}
