package io.herald.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as a whole process against the same request made with curl, in one run: a standalone Herald node (its
 * own process, HTTP on 127.0.0.1:26401) is started, then {@code bin/herald clusters} and {@code curl GET
 * /api/clusters-info} (the request it makes), {@code bin/herald set-master A H:P} and {@code curl -X POST
 * /api/set-master/A/H/P} run in turn, {@code runs} times each after 2 warm-up runs, each timed from process start to
 * exit, beside the Java client through the launcher ({@code HERALD_CLI=java}, its class-data archive), the launcher's
 * former command line (no archive) and {@code java -version} (what any JVM start costs). Prints medians and ratios
 * against the target (the CLI within 3x of curl).
 */
final class CliLatencyBench {
  static final double TARGET = 3.0;
  private static final int PORT = 26401;
  private static final long RUN_LIMIT_SECONDS = 60;

  private final PrintStream out;
  private final int runs;

  CliLatencyBench(PrintStream out, int runs) {
    if (runs < 1 || runs > 1000) throw new IllegalArgumentException("runs must be 1..1000");
    this.out = out;
    this.runs = runs;
  }

  /** One command to time, and what it stands for. */
  private record Timed(String label, List<String> command, Map<String, String> env, Latencies times) {
    Timed(String label, List<String> command, Latencies times) {
      this(label, command, Map.of(), times);
    }
  }

  void run() throws IOException, InterruptedException {
    String api = "http://127.0.0.1:" + PORT;
    String herald = Path.of("bin", "herald").toAbsolutePath().toString();
    try (LocalProcesses procs = new LocalProcesses("herald-bench-cli")) {
      WriteClient client = new WriteClient();
      ServerGroup node = ServerGroup.herald(procs, client, 1, PORT, "cli-node", List.of());
      client.write(WriteClient.Kind.HERALD, node.leaderBase());
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String jar = Path.of("target", "herald.jar").toAbsolutePath().toString();
      Timed curlGet = new Timed("curl GET /api/clusters-info", List.of("curl", "-sSf", api + "/api/clusters-info"),
          new Latencies());
      Timed clusters = new Timed("bin/herald clusters", List.of(herald, "clusters"), new Latencies());
      Timed javaClusters = new Timed("bin/herald clusters (Java)", List.of(herald, "clusters"),
          Map.of("HERALD_CLI", "java"), new Latencies());
      Timed curlPost = new Timed("curl POST /api/set-master", List.of("curl", "-sSf", "-X", "POST",
          api + "/api/set-master/cli-bench/10.200.0.1/3306"), new Latencies());
      Timed setMaster = new Timed("bin/herald set-master", List.of(herald, "set-master", "cli-bench", "10.200.0.2:3306"),
          new Latencies());
      // before the class-data archive: the launcher's former command line
      Timed plain = new Timed("java -jar (no archive) clusters", List.of(java, "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC", "-jar", jar, "clusters"), new Latencies());
      // the least any JVM-started command costs here
      Timed floor = new Timed("java -version (JVM floor)", List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-Xshare:auto", "-version"), new Latencies());
      List<Timed> all = List.of(curlGet, clusters, curlPost, setMaster, javaClusters, plain, floor);
      for (int r = -2; r < runs; r++) {
        for (Timed t : all) {
          long nanos = time(t, api, procs.dir().resolve("run.out"));
          if (r >= 0) t.times().add(nanos);
        }
      }
      out.printf("whole processes, %d runs each (after 2 warm-up runs), in turn in one loop:%n", runs);
      for (Timed t : all) out.printf("  %-32s %s%n", t.label(), t.times().summary());
      for (Timed[] pair : new Timed[][] {{clusters, curlGet}, {setMaster, curlPost}, {javaClusters, curlGet},
          {plain, curlGet}, {floor, curlGet}}) {
        double ratio = pair[0].times().millis(50) / pair[1].times().millis(50);
        boolean judged = pair[0] == clusters || pair[0] == setMaster;
        out.printf("  median %s / %s: %.1fx%s%n", pair[0].label(), pair[1].label(), ratio,
            judged ? " (target <= " + (int) TARGET + "x: " + (ratio <= TARGET ? "MET" : "MISSED") + ")" : "");
      }
    }
  }

  /** Nanoseconds from start to exit of one run (output in {@code out}); fails unless it exits 0 within the limit. */
  private static long time(Timed t, String api, Path out) throws IOException, InterruptedException {
    List<String> command = t.command();
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().remove("HERALD_CLI");
    pb.environment().put("HERALD_API", api);
    pb.environment().putAll(t.env());
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command + " took over " + RUN_LIMIT_SECONDS + " s");
    }
    long nanos = System.nanoTime() - t0;
    if (p.exitValue() != 0) {
      throw new IOException(command + " exited " + p.exitValue() + ": " + java.nio.file.Files.readString(out));
    }
    return nanos;
  }
}
