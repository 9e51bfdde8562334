package io.herald.discovery;

import io.herald.cluster.AddressResolver;
import io.herald.cluster.Alias;
import java.util.Optional;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.cluster.Origin;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.DesiredState;
import io.herald.raft.RaftNode;
import io.herald.topology.AnalysisOptions;
import io.herald.topology.ClusterAnalysis;
import io.herald.topology.ReplicationAnalysis;
import io.herald.topology.Topology;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds this node's {@link DiscoveryView} shortly after observations change (at most every 20 ms), and on the
 * raft leader commits the master changes it decides ({@link AliasBinding}) as {@code SetMaster} commands with
 * origin {@code DISCOVERED} and an epoch compare-and-set, so a decision made on a stale view is refused by the
 * state machine. Only the leader decides; every node keeps its own view for the API.
 *
 * <p>Lifecycle: construct (no I/O), {@link #start()}, {@link #close()}. Thread-safe; its work runs on one named
 * thread, and raft writes complete asynchronously.
 */
public final class TopologyWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopologyWatch.class);
  private static final long COALESCE_MILLIS = 20;
  private final Observations observations;
  private final DesiredState desired;
  private final RaftNode raft;
  private final AddressResolver resolver;
  private final AnalysisOptions options;
  private final Clock clock;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "discovery-analysis");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Resolves discovered masters' addresses, so a slow resolver never holds the analysis thread. */
  private final java.util.concurrent.ExecutorService resolving = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "discovery-resolve");
    t.setDaemon(true);
    return t;
  });
  /** Changes submitted and not answered yet, by alias, so one decision is not sent twice. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /**
   * Changes outside the alias's own tree (a new cluster, an alias moving), by what they would commit, with when the
   * analysis first proposed them; analysis thread only.
   */
  private final Map<MasterChange, java.time.Instant> firstSeen = new java.util.HashMap<>();

  /**
   * A change inside the cluster's tree is committed at once; one that creates a cluster or moves an alias to another
   * tree only once the analysis has proposed it, unchanged, for {@code settle} (a switchover seen halfway shows the
   * promoted replica alone for a moment, which must not become a cluster of its own).
   */
  private boolean settled(MasterChange c, java.util.Set<String> seen) {
    if (c.sameTree()) return true;
    seen.add(c.clusterName());
    java.time.Instant now = clock.instant();
    java.time.Instant first = firstSeen.computeIfAbsent(c, k -> now);
    firstSeen.keySet().removeIf(k -> k.clusterName().equals(c.clusterName()) && !k.equals(c));
    return java.time.Duration.between(first, now).compareTo(settle) >= 0;
  }

  /** The verdict (epoch and analysis) this node last reported per cluster; analysis thread and raft callbacks. */
  private final Map<Alias, String> reported = new ConcurrentHashMap<>();
  /** Problems already logged, by cluster name, so each is logged once until it changes. */
  private final Map<String, String> logged = new ConcurrentHashMap<>();
  private volatile DiscoveryView view;
  private final java.time.Duration settle;

  /**
   * @param settle how long a change that creates a cluster or moves an alias must be proposed unchanged before it is
   *     committed (Discovery uses two poll intervals)
   */
  public TopologyWatch(Observations observations, DesiredState desired, RaftNode raft, AddressResolver resolver,
      AnalysisOptions options, Clock clock, java.time.Duration settle) {
    this.settle = settle;
    this.observations = observations;
    this.desired = desired;
    this.raft = raft;
    this.resolver = resolver;
    this.options = options;
    this.clock = clock;
    this.view = new DiscoveryView(clock.instant(), Topology.of(Map.of()), List.of(), List.of());
  }

  public void start() {
    worker.scheduleWithFixedDelay(this::changed, 1, 1, TimeUnit.SECONDS); // also catches raft-side changes
  }

  /** The latest view; never null. */
  public DiscoveryView view() {
    return view;
  }

  /** Observations changed: rebuild soon (calls within {@value #COALESCE_MILLIS} ms are coalesced). */
  public void changed() {
    if (scheduled.compareAndSet(false, true)) worker.schedule(this::evaluate, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Rebuilds the view now and returns it (tests and the API's "refresh"). */
  DiscoveryView evaluateNow() {
    evaluate();
    return view;
  }

  private void evaluate() {
    scheduled.set(false);
    try {
      Topology topology = Topology.of(observations.snapshot());
      Collection<Cluster> clusters = List.copyOf(desired.clusters());
      List<ClusterAnalysis> analyses = ReplicationAnalysis.of(topology, t -> AliasBinding.published(t, clusters), options);
      List<AliasBinding.Decision> decisions = AliasBinding.decide(topology, analyses, clusters);
      view = new DiscoveryView(clock.instant(), topology, analyses, decisions);
      for (AliasBinding.Decision d : decisions) report(d);
      reportFailures(analyses, decisions);
      if (raft.status().isLeader()) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (AliasBinding.Decision d : decisions) {
          d.change().ifPresent(c -> {
            if (settled(c, seen)) commit(c);
          });
        }
        firstSeen.keySet().removeIf(k -> !seen.contains(k.clusterName()));
      } else {
        firstSeen.clear();
      }
    } catch (RuntimeException e) {
      LOG.warn("discovery: analysis failed (retried on the next change): {}", e.toString());
    }
  }

  private void report(AliasBinding.Decision d) {
    String p = d.problem().orElse("");
    String before = logged.put(d.clusterName(), p);
    if (!p.isEmpty() && !p.equals(before)) LOG.warn("cluster {}: {}", d.clusterName(), p);
  }

  /**
   * Tells the group this node's verdict on each published master, when it changed since the last report (a few raft
   * entries per incident, never one per probe round). A failed report is sent again on the next evaluation.
   */
  private void reportFailures(List<ClusterAnalysis> analyses, List<AliasBinding.Decision> decisions) {
    String self = raft.status().self();
    for (AliasBinding.Decision d : decisions) {
      if (d.alias().isEmpty()) continue;
      Alias alias = d.alias().get();
      Optional<Cluster> c = desired.get(alias);
      Optional<ClusterAnalysis> a = analyses.stream().filter(x -> x.clusterName().equals(d.clusterName())).findFirst();
      if (c.isEmpty() || a.isEmpty() || !a.get().analyzedMaster().equals(Optional.of(c.get().master().address()))) continue;
      String verdict = c.get().epoch() + " " + a.get().code().name();
      if (verdict.equals(reported.get(alias))) continue;
      reported.put(alias, verdict);
      Command.ReportFailure cmd = new Command.ReportFailure(alias, c.get().epoch(), self, a.get().code().name(),
          a.get().code().actionable(), clock.millis());
      if (a.get().code().actionable()) LOG.warn("cluster {}: this node sees {} ({})", alias, a.get().code(), a.get().description());
      raft.submit(cmd).whenComplete((r, e) -> {
        if (e != null || r.error().isPresent()) reported.remove(alias, verdict); // sent again on the next change
      });
    }
  }

  private void commit(MasterChange c) {
    HostPort m = c.master();
    try {
      HostPort.checked(m.host(), m.port());
    } catch (IllegalArgumentException e) {
      String key = "unpublishable " + m;
      if (!key.equals(logged.put("master " + c.alias(), key))) {
        LOG.warn("cluster {}: discovered master {} cannot be published: {}", c.alias(), m, e.getMessage());
      }
      return;
    }
    if (desired.activeRecovery(c.alias()).isPresent()) return; // the recovery sets the next master
    if (!inFlight.add(c.alias().value())) return;
    // resolving may take up to ResolveTimeoutMillis: off this thread, which serves every cluster's view
    CompletableFuture.supplyAsync(() -> resolver.resolve(m), resolving)
        .thenCompose(master -> {
          LOG.info("cluster {}: discovered master {} (was at epoch {}); committing", c.alias(), m, c.fromEpoch());
          return raft.submit(Command.SetMaster.discovered(c.alias(), master, c.fromEpoch(), clock.millis()));
        })
        .whenComplete((r, e) -> {
          inFlight.remove(c.alias().value());
          if (e != null) {
            LOG.warn("cluster {}: discovered master {} not committed: {}", c.alias(), m, e.getMessage());
          } else if (r.error().isPresent()) {
            LOG.info("cluster {}: discovered master {} refused: {}", c.alias(), m, r.error().get().message());
          } else {
            LOG.info("cluster {}: master {} published at epoch {} (discovered)", c.alias(), m,
                r.clusters().isEmpty() ? r.index() : r.clusters().get(0).epoch());
          }
          changed();
        });
  }

  @Override
  public void close() {
    worker.shutdownNow();
    resolving.shutdownNow();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) LOG.warn("discovery: analysis thread still running after 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
