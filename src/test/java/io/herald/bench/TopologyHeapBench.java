package io.herald.bench;

import io.herald.cluster.HostPort;
import io.herald.topology.AnalysisCode;
import io.herald.topology.AnalysisOptions;
import io.herald.topology.ClusterAnalysis;
import io.herald.topology.GtidList;
import io.herald.topology.InstanceState;
import io.herald.topology.IoThread;
import io.herald.topology.Observation;
import io.herald.topology.ReplicaStatus;
import io.herald.topology.ReplicationAnalysis;
import io.herald.topology.SemiSync;
import io.herald.topology.Topology;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Heap per known instance in the topology model, and the time to build the topology and analyse every cluster, for
 * synthetic clusters of four: a master {@code db-000123-0.dc1.example.com:3306} with two replicas, one of which has
 * a replica of its own. Each instance's strings and GTID lists are its own objects, as the JDBC adapter makes them.
 */
final class TopologyHeapBench {
  static final int PER_CLUSTER = 4;
  private static final int MAX_GCS = 10;
  private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

  private final PrintStream out;
  private final int clusters;
  private final int rounds;

  TopologyHeapBench(PrintStream out, int instances, int rounds) {
    this.out = out;
    this.clusters = Math.max(1, instances / PER_CLUSTER);
    this.rounds = rounds;
  }

  void run() {
    int instances = clusters * PER_CLUSTER;
    out.printf("%n== topology-heap: %d instances in %d clusters of %d ==%n", instances, clusters, PER_CLUSTER);
    out.println("loadavg at start: " + Machine.load());
    long before = settledHeapUsed();
    Map<HostPort, Observation> observations = observations();
    long withObservations = settledHeapUsed();
    Topology topology = Topology.of(observations);
    List<ClusterAnalysis> analyses = ReplicationAnalysis.of(topology, c -> c.master(), AnalysisOptions.DEFAULTS);
    long withModel = settledHeapUsed();
    Reference.reachabilityFence(observations);
    Reference.reachabilityFence(topology);
    check(topology, analyses);
    out.printf("heap: observations %d bytes per instance; topology + analysis %d bytes per instance; total %.1f MB%n",
        (withObservations - before) / instances, (withModel - withObservations) / instances,
        (withModel - before) / 1048576.0);
    long[] build = new long[rounds];
    long[] analyse = new long[rounds];
    for (int i = 0; i < rounds + 2; i++) { // the first two rounds warm the JIT and are not counted
      long t0 = System.nanoTime();
      Topology t = Topology.of(observations);
      long t1 = System.nanoTime();
      List<ClusterAnalysis> a = ReplicationAnalysis.of(t, c -> c.master(), AnalysisOptions.DEFAULTS);
      long t2 = System.nanoTime();
      check(t, a);
      if (i >= 2) {
        build[i - 2] = t1 - t0;
        analyse[i - 2] = t2 - t1;
      }
    }
    out.printf("time (median of %d rounds): build topology %.1f ms, analyse all %d clusters %.1f ms, "
        + "total %.2f us per instance%n", rounds, median(build) / 1e6, clusters, median(analyse) / 1e6,
        (median(build) + median(analyse)) / 1e3 / instances);
  }

  private void check(Topology topology, List<ClusterAnalysis> analyses) {
    if (topology.clusters().size() != clusters || analyses.stream().anyMatch(a -> a.code() != AnalysisCode.NoProblem)) {
      throw new IllegalStateException("synthetic topology did not analyse as " + clusters + " healthy clusters");
    }
  }

  private Map<HostPort, Observation> observations() {
    Map<HostPort, Observation> map = new HashMap<>();
    for (int c = 0; c < clusters; c++) {
      HostPort[] k = new HostPort[PER_CLUSTER];
      for (int i = 0; i < PER_CLUSTER; i++) {
        k[i] = new HostPort(String.format("db-%06d-%d.dc1.example.com", c, i), 3306);
      }
      add(map, state(k[0], c, Optional.empty(), List.of(k[1], k[2])));
      add(map, state(k[1], c, Optional.of(k[0]), List.of(k[3])));
      add(map, state(k[2], c, Optional.of(k[0]), List.of()));
      add(map, state(k[3], c, Optional.of(k[1]), List.of()));
    }
    return map;
  }

  private static void add(Map<HostPort, Observation> map, InstanceState s) {
    map.put(s.key(), Observation.of(s, AT, Duration.ofMillis(2)));
  }

  private static InstanceState state(HostPort key, int cluster, Optional<HostPort> source, List<HostPort> replicas) {
    String pos = "0-" + (cluster * 10 + 1) + "-" + (1000 + cluster);
    Optional<ReplicaStatus> replication = source.map(s -> new ReplicaStatus(s, IoThread.YES, true, 0, new String(""),
        0, new String(""), OptionalLong.of(0), 0, new String("Slave_Pos"), GtidList.parse(pos), false));
    return new InstanceState(key, key.hashCode() & 0xffff, new String("10.11.19-MariaDB-log"), source.isPresent(),
        true, true, new String("ROW"), true, 0, GtidList.parse(pos), GtidList.parse(pos), GtidList.parse(pos),
        GtidList.parse(pos), replication, replicas, SemiSync.OFF, Optional.empty(), Optional.empty(),
        Optional.of(java.util.Set.of()));
  }

  private static double median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }

  /** Heap used after full GCs, repeated (at most {@value #MAX_GCS} times) until it stops falling. */
  private static long settledHeapUsed() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < MAX_GCS; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used >= previous - 64 * 1024) return Math.min(used, previous);
      previous = used;
    }
    return previous;
  }
}
