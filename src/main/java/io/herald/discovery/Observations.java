package io.herald.discovery;

import io.herald.cluster.HostPort;
import io.herald.topology.Observation;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's latest observation of each instance it knows (local to the node; never a raft entry). Thread-safe:
 * probe threads write, the API and the analysis read an immutable copy.
 */
public final class Observations {
  private final Map<HostPort, Observation> latest = new ConcurrentHashMap<>();

  void put(Observation o) {
    latest.put(o.key(), o);
  }

  void remove(HostPort key) {
    latest.remove(key);
  }

  public Optional<Observation> get(HostPort key) {
    return Optional.ofNullable(latest.get(key));
  }

  /** A copy of every observation: a consistent input for one analysis. */
  public Map<HostPort, Observation> snapshot() {
    return Map.copyOf(latest);
  }

  public int size() {
    return latest.size();
  }
}
