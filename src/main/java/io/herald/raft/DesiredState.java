package io.herald.raft;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.raft.CommandResult.Refusal;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicated desired state: every cluster, its master and epoch. Deterministic: the same commands at the same
 * indexes give the same state on every node.
 *
 * <p>Threads: only the raft apply thread mutates (apply, load); any thread may read. Readers see each cluster's
 * latest immutable {@link Cluster} value; a reader iterating {@link #clusters()} during an apply may see some
 * clusters before and some after it.
 */
public final class DesiredState {
  /** Guarded by the apply thread for writes; concurrent for readers. */
  private final Map<Alias, Cluster> clusters = new ConcurrentHashMap<>();
  /** Which cluster each master belongs to; apply thread only. */
  private final Map<HostPort, Alias> masters = new HashMap<>();

  public Optional<Cluster> get(Alias alias) {
    return Optional.ofNullable(clusters.get(alias));
  }

  /** A read-only live view of all clusters. */
  public Collection<Cluster> clusters() {
    return Collections.unmodifiableCollection(clusters.values());
  }

  public int size() {
    return clusters.size();
  }

  /** Applies a command at a log index. Never throws for bad input: it refuses. */
  public CommandResult apply(Command command, long index) {
    if (command instanceof Command.SetMaster set) {
      return setMaster(set, index);
    }
    Command.Submit submit = (Command.Submit) command;
    if (submit.alias().isPresent()) {
      Alias a = submit.alias().get();
      Cluster c = clusters.get(a);
      if (c == null) return CommandResult.refused(index, Refusal.Kind.NOT_FOUND, "unknown cluster alias '" + a + "'");
      Cluster marked = c.withSubmitted(index);
      clusters.put(a, marked);
      return CommandResult.applied(index, List.of(marked));
    }
    List<Cluster> all = new ArrayList<>(clusters.size());
    for (Cluster c : clusters.values()) {
      Cluster marked = c.withSubmitted(index);
      clusters.put(c.alias(), marked);
      all.add(marked);
    }
    all.sort((x, y) -> x.alias().compareTo(y.alias()));
    return CommandResult.applied(index, all);
  }

  private CommandResult setMaster(Command.SetMaster set, long index) {
    HostPort address = set.master().address();
    Alias owner = masters.get(address);
    if (owner != null && !owner.equals(set.alias())) {
      // two clusters publishing one master would hand both clusters' clients the same server (orchestrator #483)
      return CommandResult.refused(index, Refusal.Kind.CONFLICT,
          address + " is already the master of cluster '" + owner + "'; one server cannot be the master of two clusters");
    }
    Cluster previous = clusters.get(set.alias());
    if (previous != null) masters.remove(previous.master().address());
    Cluster next = new Cluster(set.alias(), set.master(), index, previous == null ? 0 : previous.submitted());
    clusters.put(set.alias(), next);
    masters.put(address, set.alias());
    return CommandResult.applied(index, List.of(next));
  }

  /** Writes every cluster, sorted by alias, so that equal states give equal bytes. */
  public void writeTo(DataOutput out) throws IOException {
    List<Cluster> sorted = new ArrayList<>(clusters.values());
    sorted.sort((x, y) -> x.alias().compareTo(y.alias()));
    out.writeInt(sorted.size());
    for (Cluster c : sorted) CommandCodec.writeCluster(out, c);
  }

  /** Replaces the whole state with what {@link #writeTo} wrote. */
  public void readFrom(DataInput in) throws IOException {
    int n = in.readInt();
    Map<Alias, Cluster> loaded = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      Cluster c = CommandCodec.readCluster(in);
      loaded.put(c.alias(), c);
    }
    clusters.clear();
    masters.clear();
    clusters.putAll(loaded);
    for (Cluster c : loaded.values()) masters.put(c.master().address(), c.alias());
  }
}
