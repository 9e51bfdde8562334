package io.herald.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The raft benchmarks' arguments: {@code raft-latency [--clusters N] [--rounds N] [--warmup N] [--direct N]} and
 * {@code raft-catchup [log] [snapshot] [--clusters N] [--rounds N]}. Returns the exit code: 1 when any run failed.
 */
final class RaftBenchMain {
  private RaftBenchMain() {}

  static int run(PrintStream out, String[] args) {
    boolean latency = args[0].equals("raft-latency");
    int clusters = latency ? 50 : 100;
    int rounds = 10;
    int warmup = 300;
    int direct = 500;
    List<String> modes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--clusters" -> clusters = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--direct" -> direct = Integer.parseInt(args[++i]);
        case "log", "snapshot" -> modes.add(args[i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    out.println("herald bench " + args[0] + ": " + Machine.describe());
    int failures = 0;
    if (latency) {
      try {
        new RaftLatencyBench(out, clusters, rounds, warmup, direct).run();
      } catch (Exception e) { // report and fail the run, whatever went wrong
        out.println("raft-latency: FAILED: " + e);
        e.printStackTrace(out);
        failures++;
      }
    } else {
      if (modes.isEmpty()) modes = List.of("log", "snapshot");
      RaftCatchupBench bench = new RaftCatchupBench(out, clusters, rounds);
      for (String m : modes) {
        try {
          if (m.equals("log")) bench.run("catching up from the log", 100_000);
          else bench.run("leader compacts: the follower is sent a snapshot", 200);
        } catch (Exception e) { // one mode failing must not hide the other's figures
          out.println("raft-catchup " + m + ": FAILED: " + e);
          e.printStackTrace(out);
          failures++;
        }
      }
    }
    out.println("loadavg at end: " + Machine.load());
    out.flush();
    return failures == 0 ? 0 : 1;
  }
}
