package io.herald.topology;

import io.herald.cluster.HostPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The replication forest of the known instances, built from the latest observation of each: who replicates from
 * whom, and the clusters (sets of instances connected by replication). Immutable and thread-safe; building it does
 * no I/O.
 *
 * <p>An instance's place is taken from its last known state (the current one, else the last one read), so an
 * unreachable master stays the root of its cluster. Its source is {@code Master_Host:Master_Port} of that state.
 * Instances that some state names (as a source or as a replica) but that have no observation are members too, so
 * that a replica whose master was never probed is in a cluster rooted at that master; {@link #unobserved()} lists
 * them for the crawler.
 *
 * <p>A replica an instance reports ({@code SHOW SLAVE HOSTS} or the processlist) joins its cluster only when it has
 * no known source of its own (never read, or a root): the report may be stale or guessed (the processlist gives no
 * port), and the replica's own {@code SHOW SLAVE STATUS} is the better word. A root still listed by its old master
 * therefore shows as a second root of that cluster, which is ambiguous until the listing goes away.
 */
public final class Topology {
  private static final Comparator<HostPort> BY_KEY =
      Comparator.comparing(HostPort::host).thenComparingInt(HostPort::port);

  private final Map<HostPort, Observation> observations;
  private final Map<HostPort, HostPort> parents;
  private final Map<HostPort, SortedSet<HostPort>> replicas;
  private final Map<HostPort, List<HostPort>> children;
  private final SortedSet<HostPort> instances;
  private final List<ClusterTree> clusters;
  private final Map<HostPort, ClusterTree> clusterOf;

  private Topology(Map<HostPort, Observation> observations) {
    this.observations = Map.copyOf(observations);
    Forest forest = new Forest(this.observations);
    this.parents = forest.parents();
    this.replicas = forest.replicas();
    this.children = forest.children();
    this.instances = Collections.unmodifiableSortedSet(forest.instances());
    List<ClusterTree> list = new ArrayList<>();
    Map<HostPort, ClusterTree> index = new HashMap<>();
    for (List<HostPort> members : forest.components()) {
      ClusterTree tree = MasterRule.tree(members, this);
      list.add(tree);
      for (HostPort m : members) index.put(m, tree);
    }
    list.sort(Comparator.comparing(ClusterTree::name));
    this.clusters = List.copyOf(list);
    this.clusterOf = Map.copyOf(index);
  }

  /** The topology of these observations (the latest per instance, keyed by {@link Observation#key()}). */
  public static Topology of(Map<HostPort, Observation> observations) {
    for (Map.Entry<HostPort, Observation> e : observations.entrySet()) {
      if (!e.getKey().equals(e.getValue().key())) {
        throw new IllegalArgumentException("observation of " + e.getValue().key() + " filed under " + e.getKey());
      }
    }
    return new Topology(observations);
  }

  /** The order of keys used throughout: host, then port. */
  public static Comparator<HostPort> keyOrder() {
    return BY_KEY;
  }

  /** Every instance: the observed ones and the ones their states name, sorted. */
  public SortedSet<HostPort> instances() {
    return instances;
  }

  /** Instances some state names but that have no observation yet, sorted: what the crawler should probe next. */
  public SortedSet<HostPort> unobserved() {
    TreeSet<HostPort> out = new TreeSet<>(BY_KEY);
    for (HostPort k : instances) if (!observations.containsKey(k)) out.add(k);
    return out;
  }

  public Optional<Observation> observation(HostPort key) {
    return Optional.ofNullable(observations.get(key));
  }

  /** The state read by the latest probe, else the last state ever read; empty when never read. */
  public Optional<InstanceState> knownState(HostPort key) {
    Observation o = observations.get(key);
    return o == null ? Optional.empty() : o.state().or(o::lastState);
  }

  /** Where the instance replicates from, as far as known (for a never-read instance: who reports it as replica). */
  public Optional<HostPort> parent(HostPort key) {
    return Optional.ofNullable(parents.get(key));
  }

  /** Its replicas: those it reports and those whose source it is, sorted; empty when none. */
  public SortedSet<HostPort> replicas(HostPort key) {
    return replicas.getOrDefault(key, Collections.emptySortedSet());
  }

  /** The instances whose {@link #parent} it is, sorted: its children in the tree. */
  public List<HostPort> children(HostPort key) {
    return children.getOrDefault(key, List.of());
  }

  /** The clusters, sorted by name. */
  public List<ClusterTree> clusters() {
    return clusters;
  }

  public Optional<ClusterTree> clusterOf(HostPort key) {
    return Optional.ofNullable(clusterOf.get(key));
  }

  /** Finds a cluster by its name or any member's {@code host:port}, as orchestrator's clusterHint. */
  public Optional<ClusterTree> cluster(String nameOrMember) {
    Objects.requireNonNull(nameOrMember, "nameOrMember");
    for (ClusterTree c : clusters) if (c.name().equals(nameOrMember)) return Optional.of(c);
    for (Map.Entry<HostPort, ClusterTree> e : clusterOf.entrySet()) {
      if (e.getKey().toString().equals(nameOrMember)) return Optional.of(e.getValue());
    }
    return Optional.empty();
  }
}
