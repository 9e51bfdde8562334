package io.herald.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Raft commit latency and throughput of Herald against etcd, its anchor, in one run: a 3-member etcd cluster and a
 * 3-node Herald group, each member its own process on loopback, then a 1-member etcd beside a standalone Herald. The
 * same {@link WriteClient} writes to both: one write at a time to the leader and to a follower (interleaved in
 * chunks, so that both see the same machine load), then {@code 1, 4, 16, 64} clients at once against the leader (in
 * ABBA order). Every Herald figure is printed as a ratio to etcd's, against the targets for the 3-node group. With
 * {@code --ratis-floor plain|tuned}, a bare Ratis group ({@link RatisFloorServer}) is timed the same way beside them,
 * so that one run shows how much of Herald's time is Ratis' own.
 */
final class CommitLatencyBench {
  static final double TARGET_P50 = 1.5;
  static final double TARGET_P99 = 2.0;
  static final double TARGET_THROUGHPUT = 0.5;
  static final int TARGET_CLIENTS = 16;
  private static final int CHUNK = 50;
  /** At most this many writes per throughput run, whatever its time. */
  private static final int MAX_RUN_WRITES = 500_000;
  /** A series gives up after this many failed writes. */
  private static final int MAX_ERRORS = 20;

  private final PrintStream out;
  private final int writes;
  private final int warmup;
  private final long warmupMillis;
  private final long runMillis;
  private final List<Integer> clients;
  private final List<Integer> members;
  private final List<String> heraldJavaOpts;
  /** The mode of a bare Ratis group ({@link RatisFloorServer}) run beside the pair, as the floor of Ratis itself; or null. */
  private final String ratisFloor;
  private final WriteClient client = new WriteClient();
  private final List<String> verdicts = new ArrayList<>();

  CommitLatencyBench(PrintStream out, int writes, int warmup, long warmupMillis, long runMillis, List<Integer> clients,
      List<Integer> members, List<String> heraldJavaOpts, String ratisFloor) {
    if (writes < 1 || writes > 1_000_000 || warmup < 0 || warmup > 100_000 || runMillis < 100 || runMillis > 600_000
        || warmupMillis < 0 || warmupMillis > 600_000) {
      throw new IllegalArgumentException("need 1..1000000 writes, 0..100000 warm-up writes, 0..600 s of warm-up load"
          + " and 0.1..600 s per run");
    }
    for (int c : clients) if (c < 1 || c > 256) throw new IllegalArgumentException("clients must be 1..256, not " + c);
    for (int m : members) if (m != 1 && m != 3) throw new IllegalArgumentException("members must be 1 or 3, not " + m);
    this.out = out;
    this.writes = writes;
    this.warmup = warmup;
    this.warmupMillis = warmupMillis;
    this.runMillis = runMillis;
    this.clients = List.copyOf(clients);
    this.members = List.copyOf(members);
    this.heraldJavaOpts = List.copyOf(heraldJavaOpts);
    if (ratisFloor != null && !List.of("plain", "tuned").contains(ratisFloor)) {
      throw new IllegalArgumentException("--ratis-floor takes plain or tuned, not " + ratisFloor);
    }
    this.ratisFloor = ratisFloor;
  }

  /** Runs every pair; stops the processes and deletes their data even when it fails. */
  void run() throws IOException, InterruptedException {
    try (LocalProcesses procs = new LocalProcesses("herald-bench-commit")) {
      for (int m : members) {
        int base = m == 3 ? 26000 : 26200;
        out.println();
        out.println("== " + m + (m == 3 ? " members: etcd cluster vs Herald raft group" : " member: etcd vs standalone Herald")
            + " (loopback, each member its own process; loadavg " + Machine.load() + ")");
        ServerGroup etcd = ServerGroup.etcd(procs, client, m, base + 1, "etcd" + m + "-");
        ServerGroup herald = ServerGroup.herald(procs, client, m, base + 101, "herald" + m + "-", heraldJavaOpts);
        ServerGroup floor = ratisFloor != null ? ServerGroup.ratisFloor(procs, client, ratisFloor, m, base + 601, "floor" + m + "-", heraldJavaOpts) : null;
        out.println("etcd " + etcd.bases() + " leader " + etcd.leaderBase() + "; Herald " + herald.bases() + " leader "
            + herald.leaderBase() + (floor == null ? "" : "; Ratis floor " + floor.bases() + " leader " + floor.leaderBase()));
        compare(m, etcd, herald, floor);
        procs.stopAll();
      }
    }
    out.println();
    out.println("targets (3 members):");
    for (String v : verdicts) out.println("  " + v);
  }

  private void compare(int m, ServerGroup etcd, ServerGroup herald, ServerGroup floor) throws IOException, InterruptedException {
    boolean targets = m == 3;
    List<ServerGroup> subjects = floor == null ? List.of(etcd, herald) : List.of(etcd, herald, floor);
    if (warmupMillis > 0) {
      // the JVM compiles a path after some 10,000 calls: without this, Herald would be measured half interpreted
      StringBuilder done = new StringBuilder();
      for (ServerGroup g : subjects) done.append(", ").append(name(g)).append(' ').append(load(g, TARGET_CLIENTS, warmupMillis).ok()).append(" writes");
      out.printf("warm-up, not counted: %d ms of %d clients each%s%n", warmupMillis, TARGET_CLIENTS, done);
    }
    List<String> roles = m == 3 ? List.of("leader", "follower") : List.of("the node");
    for (String role : roles) {
      List<String> bases = new ArrayList<>();
      List<Latencies> lat = new ArrayList<>();
      for (ServerGroup g : subjects) {
        bases.add(role.equals("follower") ? g.followerBase() : g.leaderBase());
        lat.add(new Latencies());
      }
      for (int i = 0; i < warmup; i++) {
        for (int s = 0; s < subjects.size(); s++) client.write(subjects.get(s).kind(), bases.get(s));
      }
      // every order of the subjects in turn, so that each follows each other as often (what one leaves running, a
      // snapshot or a collection, falls on the next one's first writes)
      List<List<Integer>> orders = orders(subjects.size());
      for (int done = 0; done < writes; done += CHUNK) {
        int n = Math.min(CHUNK, writes - done);
        for (int s : orders.get(done / CHUNK % orders.size())) sequential(subjects.get(s).kind(), bases.get(s), n, lat.get(s));
      }
      out.println("one write at a time to " + role + " (" + writes + " each after " + warmup
          + " warm-up, interleaved in chunks of " + CHUNK + "):");
      for (int s = 0; s < subjects.size(); s++) out.printf("  %-11s %s%n", name(subjects.get(s)), lat.get(s).summary());
      Latencies el = lat.get(0);
      Latencies hl = lat.get(1);
      double p50 = hl.millis(50) / el.millis(50);
      double p90 = hl.millis(90) / el.millis(90);
      double p99 = hl.millis(99) / el.millis(99);
      out.printf("  Herald/etcd: p50 %.2fx%s, p90 %.2fx, p99 %.2fx%s%n", p50,
          targets ? verdict(p50 <= TARGET_P50, "<= " + TARGET_P50 + "x") : "", p90, p99,
          targets ? verdict(p99 <= TARGET_P99, "<= " + TARGET_P99 + "x") : "");
      if (floor != null) {
        Latencies fl = lat.get(2);
        out.printf("  Ratis floor/etcd: p50 %.2fx, p90 %.2fx, p99 %.2fx; Herald/Ratis floor: p50 %.2fx, p90 %.2fx, p99 %.2fx%n",
            fl.millis(50) / el.millis(50), fl.millis(90) / el.millis(90), fl.millis(99) / el.millis(99),
            hl.millis(50) / fl.millis(50), hl.millis(90) / fl.millis(90), hl.millis(99) / fl.millis(99));
      }
      if (targets) {
        verdicts.add(String.format("%s p50 %.2fx of etcd (<= %.1fx): %s", role, p50, TARGET_P50, p50 <= TARGET_P50 ? "MET" : "MISSED"));
        verdicts.add(String.format("%s p99 %.2fx of etcd (<= %.1fx): %s", role, p99, TARGET_P99, p99 <= TARGET_P99 ? "MET" : "MISSED"));
      }
    }
    out.printf("throughput to the leader, writes/s (%d ms per run, %s, summed):%n", runMillis,
        floor == null ? "etcd-Herald-Herald-etcd" : "etcd-Herald-floor-floor-Herald-etcd");
    out.println("  clients | etcd writes/s (p50/p99 ms) CPU/write | Herald writes/s (p50/p99 ms) CPU/write | Herald/etcd"
        + (floor == null ? "" : " | Ratis floor writes/s (p50/p99 ms) CPU/write | floor/etcd"));
    for (int c : clients) {
      List<Load> first = new ArrayList<>();
      for (ServerGroup g : subjects) first.add(load(g, c, runMillis));
      List<Load> sum = new ArrayList<>(first);
      for (int s = subjects.size() - 1; s >= 0; s--) sum.set(s, load(subjects.get(s), c, runMillis).plus(first.get(s)));
      Load e = sum.get(0);
      Load h = sum.get(1);
      double ratio = h.perSecond() / e.perSecond();
      boolean judged = targets && c == TARGET_CLIENTS;
      String floorCells = "";
      if (floor != null) {
        Load f = sum.get(2);
        floorCells = String.format(" | %8.0f (%.1f/%.1f) %.2f ms%s | %5.1f%%", f.perSecond(), f.latencies().millis(50),
            f.latencies().millis(99), f.cpuMillisPerWrite(), f.errorNote(), 100 * f.perSecond() / e.perSecond());
      }
      out.printf("  %7d | %8.0f (%.1f/%.1f) %.2f ms%s | %8.0f (%.1f/%.1f) %.2f ms%s | %5.1f%%%s%s%n", c, e.perSecond(),
          e.latencies().millis(50), e.latencies().millis(99), e.cpuMillisPerWrite(), e.errorNote(), h.perSecond(),
          h.latencies().millis(50), h.latencies().millis(99), h.cpuMillisPerWrite(), h.errorNote(), 100 * ratio,
          judged ? verdict(ratio >= TARGET_THROUGHPUT, ">= 50%") : "", floorCells);
      if (judged) {
        verdicts.add(String.format("throughput with %d clients %.1f%% of etcd (>= 50%%): %s", c, 100 * ratio,
            ratio >= TARGET_THROUGHPUT ? "MET" : "MISSED"));
      }
    }
  }

  /** Every order of two subjects, and of three. */
  private static List<List<Integer>> orders(int n) {
    return n == 2 ? List.of(List.of(0, 1), List.of(1, 0))
        : List.of(List.of(0, 1, 2), List.of(0, 2, 1), List.of(1, 0, 2), List.of(1, 2, 0), List.of(2, 0, 1), List.of(2, 1, 0));
  }

  private static String name(ServerGroup g) {
    return switch (g.kind()) {
      case ETCD -> "etcd";
      case HERALD -> "Herald";
      case RATIS_FLOOR -> "Ratis floor";
    };
  }

  private static String verdict(boolean met, String target) {
    return " (target " + target + ": " + (met ? "MET" : "MISSED") + ")";
  }

  private void sequential(WriteClient.Kind kind, String base, int n, Latencies into) throws IOException, InterruptedException {
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      client.write(kind, base);
      into.add(System.nanoTime() - t0);
    }
  }

  /** What one throughput run did. */
  private record Load(long ok, long errors, long nanos, long cpuNanos, Latencies latencies, String firstError) {
    double perSecond() {
      return ok / (nanos / 1e9);
    }

    /** CPU time of all the group's members per successful write, in milliseconds. */
    double cpuMillisPerWrite() {
      return ok == 0 ? 0 : cpuNanos / 1e6 / ok;
    }

    Load plus(Load o) {
      Latencies all = new Latencies();
      all.addAll(latencies);
      all.addAll(o.latencies);
      return new Load(ok + o.ok, errors + o.errors, nanos + o.nanos, cpuNanos + o.cpuNanos, all,
          firstError != null ? firstError : o.firstError);
    }

    String errorNote() {
      return errors == 0 ? "" : " [" + errors + " errors: " + firstError + "]";
    }
  }

  /**
   * {@code clients} threads writing to the group's leader back to back for {@code millis} (at most
   * {@link #MAX_RUN_WRITES} writes), and the CPU time all members used meanwhile.
   */
  private Load load(ServerGroup group, int clients, long millis) throws InterruptedException {
    WriteClient.Kind kind = group.kind();
    String base = group.leaderBase();
    long cpu0 = group.cpuNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
      Thread t = new Thread(r, "bench-client");
      t.setDaemon(true);
      return t;
    });
    AtomicLong ok = new AtomicLong();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(millis);
    List<Future<Latencies>> parts = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        parts.add(pool.submit(() -> {
          Latencies mine = new Latencies();
          while (System.nanoTime() < deadline && started.incrementAndGet() <= MAX_RUN_WRITES
              && errors.get() < MAX_ERRORS) {
            long s = System.nanoTime();
            try {
              client.write(kind, base);
              mine.add(System.nanoTime() - s);
              ok.incrementAndGet();
            } catch (IOException e) {
              errors.incrementAndGet();
              firstError.compareAndSet(null, e.getMessage());
            }
          }
          return mine;
        }));
      }
      Latencies all = new Latencies();
      for (Future<Latencies> f : parts) {
        try {
          all.addAll(f.get(millis + 30_000, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
      }
      return new Load(ok.get(), errors.get(), System.nanoTime() - t0, group.cpuNanos() - cpu0, all, firstError.get());
    } finally {
      pool.shutdownNow();
    }
  }
}
