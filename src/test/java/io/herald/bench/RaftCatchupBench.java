package io.herald.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.herald.testing.InProcessNode;
import io.herald.testing.TestServers;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.data.Stat;
import org.slf4j.LoggerFactory;

/**
 * Catch-up of a follower that returns after missing many changes, as in {@code PartitionIT}: three nodes whose peers
 * reach each other through {@link io.herald.testing.TcpProxy}s, each publishing to ZooKeeper under its own prefix.
 * The follower's proxy is severed, {@code rounds x clusters} changes go through the leader, the proxy is restored,
 * and the benchmark times how long the follower's store takes to show every cluster's final master, and counts the
 * writes the catch-up made (the version delta of each cluster's epoch znode).
 */
final class RaftCatchupBench {
  static final double TARGET_SECONDS = 2.0;
  private static final long CONVERGE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long SETTLE_MILLIS = 2_000;

  private final PrintStream out;
  private final int clusters;
  private final int rounds;

  RaftCatchupBench(PrintStream out, int clusters, int rounds) {
    if (clusters < 1 || clusters > 40_000 || rounds < 1 || rounds > 255) {
      throw new IllegalArgumentException("need 1..40000 clusters and 1..255 rounds");
    }
    this.out = out;
    this.clusters = clusters;
    this.rounds = rounds;
  }

  /** Counts "snapshot loaded" lines: after start-up they come only from a snapshot the leader installed. */
  private static final class SnapshotLoads extends AppenderBase<ILoggingEvent> {
    final AtomicInteger count = new AtomicInteger();

    @Override
    protected void append(ILoggingEvent e) {
      if (e.getFormattedMessage().startsWith("raft snapshot loaded")) count.incrementAndGet();
    }
  }

  /**
   * One catch-up: {@code autoSnapshotEntries} is the group's RaftAutoSnapshotEntries ({@code how} names the path it
   * is meant to exercise). Stops the nodes and deletes what it wrote even when it fails.
   */
  void run(String how, long autoSnapshotEntries) throws IOException {
    String root = "herald-bench/c" + Long.toString(System.currentTimeMillis(), 36);
    out.printf("%n== raft-catchup (%s, RaftAutoSnapshotEntries=%d): 3 in-process nodes behind TCP proxies, each "
        + "publishing to zookeeper %s under %s/n<i> ==%n", how, autoSnapshotEntries, TestServers.zookeeper(), root);
    out.println("loadavg at start: " + Machine.load() + "; commit " + Machine.commit());
    Logger smLog = (Logger) LoggerFactory.getLogger("io.herald.raft.HeraldStateMachine");
    SnapshotLoads loads = new SnapshotLoads();
    loads.setContext(smLog.getLoggerContext());
    loads.start();
    smLog.addAppender(loads);
    RaftGroup group = new RaftGroup();
    CuratorFramework zk = CuratorFrameworkFactory.newClient(TestServers.zookeeper(), 15_000, 5_000,
        new BoundedExponentialBackoffRetry(100, 1000, 3));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      zk.start();
      if (!zk.blockUntilConnected(10, TimeUnit.SECONDS)) throw new IOException("ZooKeeper: not connected within 10 s");
      List<String> stores = new ArrayList<>();
      for (int i = 0; i < RaftGroup.SIZE; i++) {
        stores.add("\"ZkAddress\": \"" + TestServers.zookeeper() + "\", \"KVClusterMasterPrefix\": \"" + root + "/n" + i + "\"");
      }
      group.start(stores, true, ", \"RaftAutoSnapshotEntries\": " + autoSnapshotEntries
          + (autoSnapshotEntries < 100_000 ? ", \"RaftLogSegmentSizeKB\": 16" : ""));
      int leader = group.awaitLeader();
      int cut = (leader + 1) % RaftGroup.SIZE;
      InProcessNode writer = group.node(leader);
      String cutPrefix = "/" + root + "/n" + cut + "/";
      for (int k = 0; k < clusters; k++) post(writer, k, 0);
      awaitValues(zk, cutPrefix, 0, System.nanoTime() + CONVERGE_LIMIT_NANOS);
      out.printf("setup     leader node %d; node %d's store shows the first %d masters; severing node %d's proxy%n",
          leader, cut, clusters, cut);

      group.proxy(cut).sever();
      long t0 = System.nanoTime();
      for (int r = 1; r <= rounds; r++) {
        List<Future<?>> acks = new ArrayList<>();
        for (int k = 0; k < clusters; k++) {
          int kk = k;
          int rr = r;
          acks.add(pool.submit(() -> {
            post(writer, kk, rr);
            return null;
          }));
        }
        for (Future<?> a : acks) await(a);
      }
      out.printf("cut off   %d changes over %d clusters through the leader in %.1f s (4 at a time); node %d applied "
          + "index %d, leader's %d, leader's snapshot index %d%n", rounds * clusters, clusters,
          (System.nanoTime() - t0) / 1e9, cut, status(group.node(cut), "AppliedIndex"),
          status(writer, "AppliedIndex"), status(writer, "SnapshotIndex"));
      int[] before = epochVersions(zk, cutPrefix);
      int loadsBefore = loads.count.get();

      out.println("restore   loadavg " + Machine.load());
      long leaderApplied = status(writer, "AppliedIndex");
      long restored = System.nanoTime();
      group.proxy(cut).restore();
      // where the time goes: raft delivering and applying the log, then publishing
      long firstEntry = -1;
      long applied = -1;
      long startIndex = status(group.node(cut), "AppliedIndex");
      while (applied < 0 && System.nanoTime() < restored + CONVERGE_LIMIT_NANOS) {
        long now = status(group.node(cut), "AppliedIndex");
        if (firstEntry < 0 && now > startIndex) firstEntry = System.nanoTime();
        if (now >= leaderApplied) applied = System.nanoTime();
        else RaftGroup.pause(5);
      }
      awaitValues(zk, cutPrefix, rounds, restored + CONVERGE_LIMIT_NANOS);
      out.printf("raft      node %d applied its first missed entry %.2f s after restore() and all of them (to index %d) "
          + "after %.2f s%n", cut, firstEntry < 0 ? -1 : (firstEntry - restored) / 1e9, leaderApplied,
          applied < 0 ? -1 : (applied - restored) / 1e9);
      double seconds = (System.nanoTime() - restored) / 1e9;
      int[] atConvergence = epochVersions(zk, cutPrefix);
      RaftGroup.pause(SETTLE_MILLIS); // writes that came after convergence count too
      int[] settled = epochVersions(zk, cutPrefix);
      int sum = 0;
      int max = 0;
      int sumAtConvergence = 0;
      for (int k = 0; k < clusters; k++) {
        sum += settled[k] - before[k];
        max = Math.max(max, settled[k] - before[k]);
        sumAtConvergence += atConvergence[k] - before[k];
      }
      int installed = loads.count.get() - loadsBefore;
      out.printf("catch-up  path: %s (snapshots installed by the leader after restore: %d; node %d snapshot index %d, "
          + "applied index %d)%n", installed > 0 ? "SNAPSHOT from the leader" : "LOG replay", installed, cut,
          status(group.node(cut), "SnapshotIndex"), status(group.node(cut), "AppliedIndex"));
      out.printf("          time from restore() until node %d's store showed the final master of all %d clusters: "
          + "%.2f s   target under %.0f s: %s%n", cut, clusters, seconds, TARGET_SECONDS,
          seconds < TARGET_SECONDS ? "MET" : "MISSED");
      out.printf("          writes by the catch-up (epoch znode version delta): %d in all, at most %d per cluster "
          + "(%d at convergence, %d after %d ms more)   target no more writes than clusters changed (%d): %s%n",
          sum, max, sumAtConvergence, sum, SETTLE_MILLIS, clusters, sum <= clusters ? "MET" : "MISSED");
      out.printf("          baseline in this run: the %d changes themselves took %.1f s through the leader%n",
          rounds * clusters, (restored - t0) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } finally {
      pool.shutdownNow();
      smLog.detachAppender(loads);
      group.close();
      long t0 = System.nanoTime();
      try {
        if (zk.checkExists().forPath("/" + root) != null) zk.delete().deletingChildrenIfNeeded().forPath("/" + root);
        out.printf("clean-up: nodes and proxies stopped; deleted /%s in %.1f s%n", root, (System.nanoTime() - t0) / 1e9);
      } catch (Exception e) { // Curator declares Exception
        throw new IOException("ZooKeeper delete /" + root + ": " + e, e);
      } finally {
        zk.close();
      }
    }
  }

  /** Waits until {@code prefix<alias>} shows round {@code round}'s master for every cluster, by the deadline. */
  private void awaitValues(CuratorFramework zk, String prefix, int round, long deadline) throws IOException {
    List<Integer> pending = new ArrayList<>();
    for (int k = 0; k < clusters; k++) pending.add(k);
    String last = "";
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      List<Integer> still = new ArrayList<>();
      for (int k : pending) {
        String v;
        try {
          v = new String(zk.getData().forPath(prefix + alias(k)), StandardCharsets.UTF_8);
        } catch (Exception e) { // Curator declares Exception; absent or unreachable: not there yet
          v = e.getClass().getSimpleName();
        }
        if (!v.equals(ip(round, k) + ":3306")) {
          still.add(k);
          last = alias(k) + " = " + v;
        }
      }
      pending = still;
    }
    if (!pending.isEmpty()) {
      throw new IOException(pending.size() + " clusters under " + prefix + " not at round " + round + " in time, e.g. " + last);
    }
  }

  private int[] epochVersions(CuratorFramework zk, String prefix) throws IOException {
    int[] v = new int[clusters];
    for (int k = 0; k < clusters; k++) {
      try {
        Stat s = zk.checkExists().forPath(prefix + alias(k) + "/epoch");
        if (s == null) throw new IOException(prefix + alias(k) + "/epoch is absent");
        v[k] = s.getVersion();
      } catch (IOException e) {
        throw e;
      } catch (Exception e) { // Curator declares Exception
        throw new IOException("ZooKeeper stat " + prefix + alias(k) + "/epoch: " + e, e);
      }
    }
    return v;
  }

  private static long status(InProcessNode node, String field) {
    return node.get("/api/raft-status").body().path(field).asLong(-1);
  }

  private static void post(InProcessNode to, int k, int round) throws IOException {
    InProcessNode.Reply r = to.post("/api/set-master/" + alias(k) + "/" + ip(round, k) + "/3306");
    if (r.status() != 200) throw new IOException("set-master " + alias(k) + ": HTTP " + r.status() + " " + r.text());
  }

  private static void await(Future<?> f) throws IOException, InterruptedException {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().toString(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("a set-master took over 30 s", e);
    }
  }

  private static String alias(int k) {
    return String.format("cu-%05d", k);
  }

  private static String ip(int round, int k) {
    return "127." + round + "." + (k / 200) + "." + (k % 200 + 1);
  }
}
