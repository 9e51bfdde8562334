package io.herald.bench;

import io.herald.cluster.HostPort;
import io.herald.mysql.InstanceReadException;
import io.herald.mysql.MariaDbInstanceReader;
import io.herald.mysql.MySqlOptions;
import io.herald.testing.TestServers;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What one probe costs Herald, on the real servers of {@code bin/test-servers} (two clusters, six instances): wall
 * time and CPU time per instance probe (the probing thread's CPU, plus the whole process' CPU per probe to count
 * the driver's own threads and GC), beside the anchor of the same run: one {@code SELECT 1} round trip on a kept
 * JDBC connection, the floor of any probe over this driver. From the CPU per probe it derives how much of one core
 * 1,000 instances polled every second take.
 */
final class ProbeCostBench {
  private final PrintStream out;
  private final int rounds;

  ProbeCostBench(PrintStream out, int rounds) {
    this.out = out;
    this.rounds = rounds;
  }

  void run() throws Exception {
    List<HostPort> instances = new ArrayList<>(TestServers.mariaDbClusterA());
    instances.addAll(TestServers.mariaDbClusterB());
    MySqlOptions options = MySqlOptions.of(TestServers.mariaDbUser(), TestServers.mariaDbPassword());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(options)) {
      for (int w = 0; w < 50; w++) for (HostPort h : instances) reader.read(h); // connections, grants, JIT
      Latencies wall = new Latencies();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long proc0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int r = 0; r < rounds; r++) {
        for (HostPort h : instances) {
          long s = System.nanoTime();
          try {
            reader.read(h);
          } catch (InstanceReadException e) {
            throw new IllegalStateException(h + ": " + e.getMessage(), e);
          }
          wall.add(System.nanoTime() - s);
        }
      }
      long elapsed = System.nanoTime() - t0;
      long probes = (long) rounds * instances.size();
      double threadCpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / probes;
      double procCpuUs = (os.getProcessCpuTime() - proc0) / 1e3 / probes;
      double anchorUs = selectOneMicros(instances.get(0), options);
      out.printf("probe-cost: %d instances x %d rounds, one thread%n", instances.size(), rounds);
      out.printf("  wall per probe: %s%n", wall.summary());
      out.printf("  wall per round of %d instances: %.2f ms%n", instances.size(), elapsed / 1e6 / rounds);
      out.printf("  CPU per probe: %.0f us on the probing thread, %.0f us for the whole process%n", threadCpuUs, procCpuUs);
      out.printf("  anchor, SELECT 1 on a kept connection: %.0f us wall; a probe is %.1fx that%n", anchorUs,
          wall.millis(50) * 1000 / anchorUs);
      double coreShare = 1000 * procCpuUs / 1e6;
      out.printf("  1,000 instances every 1 s: %.2f of one core (1,000 x %.0f us process CPU per probe); target < 1 core: %s%n",
          coreShare, procCpuUs, coreShare < 1 ? "MET" : "MISSED");
      out.printf("  threads needed to keep up: %.1f (1,000 x p50 wall %.2f ms per second)%n", 1000 * wall.millis(50) / 1000,
          wall.millis(50));
    }
  }

  /** Median wall time of SELECT 1 on one kept connection, in microseconds. */
  private double selectOneMicros(HostPort h, MySqlOptions o) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + h.host() + ":" + h.port() + "/", o.user(),
        o.password().value()); Statement st = c.createStatement()) {
      Latencies l = new Latencies();
      for (int i = 0; i < 200 + rounds * 6; i++) {
        long s = System.nanoTime();
        try (ResultSet rs = st.executeQuery("SELECT 1")) {
          rs.next();
        }
        if (i >= 200) l.add(System.nanoTime() - s);
      }
      return l.millis(50) * 1000;
    }
  }
}
