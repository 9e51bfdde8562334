package io.herald.bench;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.Master;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import io.herald.testing.TestServers;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Change-to-visible latency on a three-node raft group of Herald processes started as deployed ({@code bin/herald
 * server}): node 0 publishes to etcd, node 1 to ZooKeeper, node 2 to Consul (consul-txn). Each change is one {@code POST /api/set-master}, sent to the leader in one series
 * and to a follower in another; its latency runs from just before the POST until every node's store shows the new
 * master, as seen by one {@link VisibilityProbe} per store. Baselines in the same run: each store's direct
 * {@link KvStore#write} of one cluster, and the POST round trip alone (one raft commit and apply).
 */
final class RaftLatencyBench {
  static final double TARGET_P99_MS = 50.0;
  static final double TARGET_FACTOR = 3.0;
  private static final long VISIBLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int DIRECT_WARMUP = 20;
  /** HTTP ports 26401-26403, raft ports 26451-26453 (commit-latency uses 26001-26253). */
  private static final int PORT = 26401;
  private static final int SIZE = 3;

  private final PrintStream out;
  private final int clusters;
  private final int rounds;
  private final int warmup;
  private final int directWrites;

  RaftLatencyBench(PrintStream out, int clusters, int rounds, int warmup, int directWrites) {
    if (clusters < 1 || clusters > 40_000 || rounds < 1 || 3 * rounds > 255 || warmup < 0 || warmup > 40_000) {
      throw new IllegalArgumentException("need 1..40000 clusters, 1..85 rounds and 0..40000 warm-up changes");
    }
    this.out = out;
    this.clusters = clusters;
    this.rounds = rounds;
    this.warmup = warmup;
    this.directWrites = directWrites;
  }

  /** What one series measured. */
  private record Series(Latencies visible, Latencies post, List<Latencies> perStore) {}

  /** Runs the benchmark; stops the nodes and deletes what it wrote even when it fails. */
  void run() throws IOException, KvStoreException, InterruptedException {
    String root = "herald-bench/l" + Long.toString(System.currentTimeMillis(), 36) + "/";
    out.printf("%n== raft-latency: 3 Herald processes (bin/herald server); node 0 -> etcd %s, node 1 -> zookeeper %s, node 2 -> "
        + "consul-txn %s (keys under %s) ==%n", TestServers.etcd(), TestServers.zookeeper(), TestServers.consul(), root);
    out.println("loadavg at start: " + Machine.load() + "; commit " + Machine.commit());
    List<BulkTarget> targets = List.of(new EtcdTarget(TestServers.etcd()),
        new ZooKeeperTarget(TestServers.zookeeper()), new ConsulTarget(TestServers.consul()));
    List<VisibilityProbe> probes = new ArrayList<>();
    WriteClient client = new WriteClient();
    LocalProcesses procs = new LocalProcesses("herald-bench-latency");
    try {
      for (BulkTarget t : targets) t.start();
      List<Latencies> direct = new ArrayList<>();
      out.printf("baseline  direct KvStore.write of one cluster, one after another, %d writes after %d warm-up:%n",
          directWrites, DIRECT_WARMUP);
      for (BulkTarget t : targets) {
        direct.add(directWrites(t, root + "direct-" + t.name()));
        out.printf("          %-10s %s%n", t.name(), direct.get(direct.size() - 1).shortSummary());
      }
      for (int i = 0; i < SIZE; i++) {
        VisibilityProbe p = new VisibilityProbe(targets.get(i), root + "n" + i, "bench-" + targets.get(i).name());
        probes.add(p);
        p.start(); // before the nodes start, so that it hears every value they write
      }
      ServerGroup group = ServerGroup.herald(procs, client, SIZE, PORT, "latency-", List.of(), List.of(
          "\"EtcdEndpoints\": \"" + TestServers.etcd() + "\", \"KVClusterMasterPrefix\": \"" + root + "n0\"",
          "\"ZkAddress\": \"" + TestServers.zookeeper() + "\", \"KVClusterMasterPrefix\": \"" + root + "n1\"",
          "\"ConsulAddress\": \"" + TestServers.consul() + "\", \"ConsulKVStoreProvider\": \"consul-txn\", "
              + "\"KVClusterMasterPrefix\": \"" + root + "n2\""));
      int leader = group.leader();
      int follower = (leader + 1) % SIZE;
      String leaderBase = group.bases().get(leader);
      out.printf("group     leader node %d, follower used: node %d; loadavg %s%n", leader, follower, Machine.load());
      List<KeyLayout> layouts = new ArrayList<>();
      for (int i = 0; i < SIZE; i++) layouts.add(new KeyLayout(root + "n" + i, true, KeyLayout.DEFAULT_EPOCH_PREFIX));

      long t0 = System.nanoTime();
      for (int j = 0; j < warmup; j++) change(client, leaderBase, probes, layouts, j % clusters, 0, j);
      out.printf("warm-up   %d changes through the leader, not measured, in %.1f s%n", warmup, (System.nanoTime() - t0) / 1e9);

      Latencies commit = commitsAlone(client, leaderBase, 2 * rounds + 1);
      out.printf("baseline  one raft commit: POST /api/set-master to the leader, round trip alone (commit + apply, "
          + "not waiting for stores), %d changes: %s%n", commit.count(), commit.shortSummary());
      awaitSettled(probes, layouts, 3 * rounds); // so the series do not start behind the publishers' backlog
      double slowestDirect = direct.stream().mapToDouble(l -> l.millis(99)).max().orElse(0);
      double bound = TARGET_FACTOR * (slowestDirect + commit.millis(99));

      Series toLeader = series(client, leaderBase, probes, layouts, 1);
      report("to the leader (node " + leader + ")", toLeader, probes, slowestDirect, commit, bound);
      Series toFollower = series(client, group.bases().get(follower), probes, layouts, rounds + 1);
      report("to a follower (node " + follower + ")", toFollower, probes, slowestDirect, commit, bound);
      out.println("loadavg after the series: " + Machine.load());
    } finally {
      for (VisibilityProbe p : probes) p.close();
      procs.stopAll();
      long t0 = System.nanoTime();
      for (BulkTarget t : targets) {
        try {
          t.deleteAll(root, List.of());
        } finally {
          t.close();
        }
      }
      out.printf("clean-up: nodes stopped; deleted %s in each store in %.1f s%n", root, (System.nanoTime() - t0) / 1e9);
      procs.close();
    }
  }

  private void report(String what, Series s, List<VisibilityProbe> probes, double slowestDirect, Latencies commit,
      double bound) {
    out.printf("series    POST %s, %d changes over %d clusters (%d rounds), each awaited in every store:%n",
        what, s.visible().count(), clusters, rounds);
    out.printf("          visible in all 3 stores: %s%n", s.visible().summary());
    for (int i = 0; i < probes.size(); i++) {
      out.printf("          visible in %-10s %s%n", probes.get(i).name() + ":", s.perStore().get(i).summary());
    }
    out.printf("          POST round trip within the series: %s%n", s.post().shortSummary());
    double p99 = s.visible().millis(99);
    out.printf("          target p99 under %.0f ms on loopback: %.1f ms %s%n", TARGET_P99_MS, p99,
        p99 < TARGET_P99_MS ? "MET" : "MISSED");
    out.printf("          target p99 within %.0fx of (slowest store's direct-write p99 %.1f ms + one raft commit p99 "
        + "%.1f ms) = %.1f ms: %.1f ms (%.1fx) %s%n", TARGET_FACTOR, slowestDirect, commit.millis(99), bound, p99,
        p99 / (bound / TARGET_FACTOR), p99 <= bound ? "MET" : "MISSED");
  }

  /** Sequential {@link KvStore#write} of one cluster with a new master and epoch each time; WRITTEN expected. */
  private Latencies directWrites(BulkTarget target, String prefix) throws KvStoreException, IOException {
    KeyLayout layout = new KeyLayout(prefix, true, KeyLayout.DEFAULT_EPOCH_PREFIX);
    Alias alias = Alias.of("direct");
    Latencies l = new Latencies();
    try (KvStore s = target.heraldStore()) {
      s.start();
      for (int i = 0; i < DIRECT_WARMUP + directWrites; i++) {
        String ip = "10.9." + (i >> 8 & 255) + "." + (i & 255);
        ClusterEntries e = layout.entries(new Cluster(alias, new Master(new HostPort(ip, 3306), ip, ""), i + 1L, 0));
        long t0 = System.nanoTime();
        Map<Alias, WriteOutcome> r = s.write(List.of(e));
        long took = System.nanoTime() - t0;
        if (r.get(alias) != WriteOutcome.WRITTEN) throw new IOException(target.name() + ": direct write " + i + ": " + r);
        if (i >= DIRECT_WARMUP) l.add(took);
      }
    }
    return l;
  }

  /** POSTs of rounds {@code first..first+rounds-1} to one node, back to back, timing the round trip only. */
  private Latencies commitsAlone(WriteClient client, String to, int first) throws IOException, InterruptedException {
    Latencies l = new Latencies();
    for (int r = first; r < first + rounds; r++) {
      for (int k = 0; k < clusters; k++) {
        long t0 = System.nanoTime();
        post(client, to, k, r, k);
        l.add(System.nanoTime() - t0);
      }
    }
    return l;
  }

  private Series series(WriteClient client, String to, List<VisibilityProbe> probes, List<KeyLayout> layouts,
      int first) throws IOException, InterruptedException {
    Series s = new Series(new Latencies(), new Latencies(), List.of(new Latencies(), new Latencies(), new Latencies()));
    for (int r = first; r < first + rounds; r++) {
      for (int k = 0; k < clusters; k++) {
        long[] t = change(client, to, probes, layouts, k, r, k);
        long all = 0;
        for (int i = 0; i < probes.size(); i++) {
          s.perStore().get(i).add(t[i + 2] - t[0]);
          all = Math.max(all, t[i + 2] - t[0]);
        }
        s.visible().add(all);
        s.post().add(t[1] - t[0]);
      }
    }
    return s;
  }

  /**
   * Sets cluster {@code k}'s master to {@code 127.<round>.<n/200>.<n%200+1>:3306} and waits until every store shows
   * it. Returns nanoTimes: [0] just before the POST, [1] its answer, [2..] each store's first sight.
   */
  private long[] change(WriteClient client, String to, List<VisibilityProbe> probes, List<KeyLayout> layouts, int k,
      int round, int n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + VISIBLE_LIMIT_NANOS;
    List<CompletableFuture<Long>> seen = expectAll(probes, layouts, k, round, n, deadline);
    long[] t = new long[2 + probes.size()];
    t[0] = System.nanoTime();
    post(client, to, k, round, n);
    t[1] = System.nanoTime();
    long[] at = awaitAll(seen, probes, deadline);
    System.arraycopy(at, 0, t, 2, at.length);
    return t;
  }

  /** Waits until every store shows the last master of round {@code round} for every cluster. */
  private void awaitSettled(List<VisibilityProbe> probes, List<KeyLayout> layouts, int round) throws IOException {
    for (int k = 0; k < clusters; k++) {
      long deadline = System.nanoTime() + VISIBLE_LIMIT_NANOS;
      awaitAll(expectAll(probes, layouts, k, round, k, deadline), probes, deadline);
    }
  }

  private static List<CompletableFuture<Long>> expectAll(List<VisibilityProbe> probes, List<KeyLayout> layouts, int k,
      int round, int n, long deadline) {
    List<CompletableFuture<Long>> seen = new ArrayList<>();
    for (int i = 0; i < probes.size(); i++) {
      seen.add(probes.get(i).expect(layouts.get(i).masterKey(alias(k)), ip(round, n) + ":3306", deadline));
    }
    return seen;
  }

  private static long[] awaitAll(List<CompletableFuture<Long>> seen, List<VisibilityProbe> probes, long deadline)
      throws IOException {
    long[] at = new long[seen.size()];
    for (int i = 0; i < seen.size(); i++) {
      try {
        at[i] = seen.get(i).get(Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1),
            TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for " + probes.get(i).name());
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException(probes.get(i).name() + ": " + (e.getCause() == null ? e : e.getCause()), e);
      }
    }
    return at;
  }

  private static void post(WriteClient client, String to, int k, int round, int n) throws IOException, InterruptedException {
    client.postOk(to + "/api/set-master/" + alias(k).value() + "/" + ip(round, n) + "/3306");
  }

  private static Alias alias(int k) {
    return Alias.of(String.format("lat-%05d", k));
  }

  private static String ip(int round, int n) {
    return "127." + round + "." + (n / 200) + "." + (n % 200 + 1);
  }
}
