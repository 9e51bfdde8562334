package io.herald.discovery;

import io.herald.cluster.AddressResolver;
import io.herald.cluster.HostPort;
import io.herald.mysql.InstanceReader;
import io.herald.raft.DesiredState;
import io.herald.raft.RaftNode;
import io.herald.topology.AnalysisOptions;
import io.herald.topology.Observation;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * This node's discovery: it probes every instance it knows ({@link Prober}), keeps the latest observations, and
 * keeps the analysed view of every topology ({@link TopologyWatch}), whose leader commits discovered master
 * changes through raft. Every node runs one; observations stay local to the node.
 *
 * <p>Lifecycle: construct (no I/O), {@link #start()}, {@link #close()} (closes the reader too). Thread-safe.
 */
public final class Discovery implements AutoCloseable {
  private final InstanceReader reader;
  private final Observations observations = new Observations();
  private final TopologyWatch watch;
  private final Prober prober;

  public Discovery(DiscoveryOptions options, InstanceReader reader, DesiredState desired, RaftNode raft,
      AddressResolver resolver, AnalysisOptions analysis, Clock clock) {
    this.reader = reader;
    this.watch = new TopologyWatch(observations, desired, raft, resolver, analysis, clock, options.pollInterval().multipliedBy(2));
    this.prober = new Prober(options, reader, observations, () -> Set.copyOf(desired.seeds()), desired::forgotten,
        watch::changed, clock);
  }

  public void start() {
    watch.start();
    prober.start();
  }

  /** The latest analysed view of every topology this node sees. */
  public DiscoveryView view() {
    return watch.view();
  }

  public Optional<Observation> observation(HostPort key) {
    return observations.get(key);
  }

  /** Probes an instance now, on this node (a {@code discover} request, before raft carries it to the group). */
  public void probeNow(HostPort key) {
    prober.probeNow(key);
  }

  /** Every instance this node probes. */
  public Set<HostPort> known() {
    return prober.known();
  }

  @Override
  public void close() {
    prober.close();
    watch.close();
    reader.close();
  }
}
