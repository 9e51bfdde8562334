package io.herald.bench;

import io.herald.testing.TestServers;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the benchmark harness, run by {@code bench/run}:
 * {@code store-bulk [etcd] [zookeeper] [consul] [--clusters N] [--baseline-clusters N] [--batch N] [--rounds N]} or
 * {@code heap [--clusters N]} or {@code raft-latency [--clusters N] [--rounds N] [--warmup N] [--direct N]} or
 * {@code raft-catchup [log] [snapshot] [--clusters N] [--rounds N]} or {@code topology-heap [--instances N] [--rounds N]}
 * or {@code commit-latency [--writes N] [--warmup N] [--warmup-millis N] [--run-millis N] [--clients 1,4,16,64] [--members 3,1]
 * [--herald-java-opt OPT]... [--ratis-floor plain|tuned]} or {@code cli-latency [--runs N]}. Server addresses come from the {@code HERALD_TEST_*} variables that
 * {@code bin/test-servers} prints (loopback defaults). Exits 1 when any store failed.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    if (args.length == 0 || !List.of("store-bulk", "heap", "raft-latency", "raft-catchup", "topology-heap", "probe-cost", "switchover",
        "failover", "commit-latency", "cli-latency").contains(args[0])) {
      System.err.println("usage: BenchMain store-bulk [etcd] [zookeeper] [consul] [--clusters N] "
          + "[--baseline-clusters N] [--batch N] [--rounds N] | heap [--clusters N]"
          + " | raft-latency [--clusters N] [--rounds N] [--warmup N] [--direct N]"
          + " | raft-catchup [log] [snapshot] [--clusters N] [--rounds N]"
          + " | topology-heap [--instances N] [--rounds N] | probe-cost [--rounds N] | switchover [--switchovers N]"
          + " | failover [--kills N] [--stops N] [--takeovers N]"
          + " | commit-latency [--writes N] [--warmup N] [--warmup-millis N] [--run-millis N] [--clients 1,4,16,64] [--members 3,1]"
          + " [--herald-java-opt OPT]... [--ratis-floor plain|tuned] | cli-latency [--runs N]");
      System.exit(2);
    }
    if (args[0].startsWith("raft-")) System.exit(RaftBenchMain.run(out, args));
    if (args[0].equals("commit-latency")) System.exit(commitLatency(out, args));
    if (args[0].equals("cli-latency")) System.exit(cliLatency(out, args));
    if (args[0].equals("topology-heap")) System.exit(topologyHeap(out, args));
    if (args[0].equals("probe-cost") || args[0].equals("switchover")) System.exit(discovery(out, args));
    if (args[0].equals("failover")) System.exit(failover(out, args));
    boolean heap = args[0].equals("heap");
    int clusters = heap ? 100_000 : 10_000;
    int baselineClusters = 1_000;
    int batch = 1_000;
    int rounds = 3;
    List<String> stores = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--clusters" -> clusters = Integer.parseInt(args[++i]);
        case "--baseline-clusters" -> baselineClusters = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> stores.add(args[i]);
      }
    }
    out.println("herald bench " + args[0] + ": " + Machine.describe());
    int failures = 0;
    if (heap) {
      try {
        new HeapBench(out, clusters).run();
      } catch (Exception e) { // report and fail the run, whatever went wrong
        e.printStackTrace(out);
        failures++;
      }
    } else {
      if (stores.isEmpty()) stores = List.of("etcd", "zookeeper", "consul");
      StoreBulkBench bench = new StoreBulkBench(out, clusters, batch, baselineClusters, rounds);
      for (String s : stores) {
        try {
          bench.run(target(s));
        } catch (Exception e) { // one store failing must not hide the others' figures
          out.println(s + ": FAILED: " + e);
          e.printStackTrace(out);
          failures++;
        }
      }
    }
    out.println("loadavg at end: " + Machine.load());
    out.flush();
    System.exit(failures == 0 ? 0 : 1); // client libraries may leave non-daemon threads behind
  }

  private static int topologyHeap(PrintStream out, String[] args) {
    int instances = 10_000;
    int rounds = 5;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown topology-heap option '" + args[i] + "'");
      }
    }
    int n = instances;
    int r = rounds;
    return measured(out, "topology-heap", () -> new TopologyHeapBench(out, n, r).run());
  }

  private static int failover(PrintStream out, String[] args) {
    int kills = 10;
    int stops = 5; // the counts issue 8 asks for: 10 kills, 5 SIGSTOPs, 10 takeovers
    int takeovers = 10;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--kills" -> kills = Integer.parseInt(args[++i]);
        case "--stops" -> stops = Integer.parseInt(args[++i]);
        case "--takeovers" -> takeovers = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown failover option '" + args[i] + "'");
      }
    }
    FailoverBench bench = new FailoverBench(out, kills, stops, takeovers);
    return measured(out, "failover", bench::run);
  }

  private static int commitLatency(PrintStream out, String[] args) {
    int writes = 1_000;
    int warmup = 200;
    long warmupMillis = 20_000;
    long runMillis = 3_000;
    List<Integer> clients = List.of(1, 4, 16, 64);
    List<Integer> members = List.of(3, 1);
    List<String> javaOpts = new ArrayList<>();
    String ratisFloor = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--writes" -> writes = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--run-millis" -> runMillis = Long.parseLong(args[++i]);
        case "--warmup-millis" -> warmupMillis = Long.parseLong(args[++i]);
        case "--clients" -> clients = integers(args[++i]);
        case "--members" -> members = integers(args[++i]);
        case "--herald-java-opt" -> javaOpts.add(args[++i]);
        case "--ratis-floor" -> ratisFloor = args[++i];
        default -> throw new IllegalArgumentException("unknown commit-latency option '" + args[i] + "'");
      }
    }
    CommitLatencyBench bench = new CommitLatencyBench(out, writes, warmup, warmupMillis, runMillis, clients, members, javaOpts, ratisFloor);
    return measured(out, "commit-latency", bench::run);
  }

  private static int cliLatency(PrintStream out, String[] args) {
    int runs = 20;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--runs")) runs = Integer.parseInt(args[++i]);
      else throw new IllegalArgumentException("unknown cli-latency option '" + args[i] + "'");
    }
    CliLatencyBench bench = new CliLatencyBench(out, runs);
    return measured(out, "cli-latency", bench::run);
  }

  /** What a bench does once its options are read. */
  private interface Body {
    void run() throws Exception;
  }

  /**
   * Runs one benchmark between the machine's description and its load at the end; a failure is printed and fails
   * the run (exit code 1), whatever went wrong.
   */
  private static int measured(PrintStream out, String name, Body body) {
    out.println("herald bench " + name + ": " + Machine.describe());
    int rc = 0;
    try {
      body.run();
    } catch (Exception e) {
      out.println(name + ": FAILED: " + e);
      e.printStackTrace(out);
      rc = 1;
    }
    out.println("loadavg at end: " + Machine.load());
    out.flush();
    return rc;
  }

  private static List<Integer> integers(String commaSeparated) {
    List<Integer> out = new ArrayList<>();
    for (String s : commaSeparated.split(",")) out.add(Integer.parseInt(s.trim()));
    return out;
  }

  private static int discovery(PrintStream out, String[] args) {
    int n = args[0].equals("probe-cost") ? 200 : 10;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--rounds") || args[i].equals("--switchovers")) n = Integer.parseInt(args[++i]);
      else throw new IllegalArgumentException("unknown " + args[0] + " option '" + args[i] + "'");
    }
    int rounds = n;
    return measured(out, args[0], () -> {
      if (args[0].equals("probe-cost")) new ProbeCostBench(out, rounds).run(); else new SwitchoverBench(out, rounds).run();
    });
  }

  private static BulkTarget target(String store) {
    return switch (store) {
      case "etcd" -> new EtcdTarget(TestServers.etcd());
      case "zookeeper" -> new ZooKeeperTarget(TestServers.zookeeper());
      case "consul" -> new ConsulTarget(TestServers.consul());
      default -> throw new IllegalArgumentException("unknown store '" + store + "': etcd, zookeeper or consul");
    };
  }
}
