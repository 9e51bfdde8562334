package io.herald.bench;

import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.DesiredState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;

/**
 * Heap held by the replicated desired state for many clusters, measured as heap used after full GCs, before and
 * after applying one {@link Command.SetMaster} per cluster; plus the size of the state's snapshot bytes.
 */
final class HeapBench {
  static final double TARGET_MB = 150.0;
  private static final int MAX_GCS = 10;

  private final PrintStream out;
  private final int clusters;

  HeapBench(PrintStream out, int clusters) {
    this.out = out;
    this.clusters = clusters;
  }

  void run() throws IOException {
    out.printf("%n== heap: desired state for %d clusters ==%n", clusters);
    out.println("loadavg at start: " + Machine.load());
    long before = settledHeapUsed();
    DesiredState state = new DesiredState();
    for (int i = 0; i < clusters; i++) {
      CommandResult r = state.apply(Command.SetMaster.declared(SampleClusters.alias(i), SampleClusters.master(i), 0), i + 1L);
      if (r.error().isPresent()) throw new IllegalStateException("cluster " + i + " refused: " + r.error().get());
    }
    long after = settledHeapUsed();
    Reference.reachabilityFence(state);
    long used = after - before;
    double mb = used / (1024.0 * 1024.0);
    out.printf("heap used by the desired state: %.1f MB for %d clusters = %d bytes per cluster"
        + "   target < %.0f MB: %s%n", mb, state.size(), used / clusters, TARGET_MB, mb < TARGET_MB ? "MET" : "MISSED");
    out.printf("          (heap used after GC: %.1f MB before, %.1f MB after; e.g. alias %s, master %s)%n",
        before / 1048576.0, after / 1048576.0, SampleClusters.alias(123), SampleClusters.master(123));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(bytes)) {
      state.writeTo(data);
    }
    out.printf("snapshot (DesiredState.writeTo): %.1f MB = %d bytes per cluster%n",
        bytes.size() / 1048576.0, bytes.size() / clusters);
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
