package io.herald.bench;

import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KvPair;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Bulk submit of many clusters to one real store: orchestrator's way (one write per key, one after another, with
 * the store's own client) against Herald's adapter ({@link KvStore#write} in batches), then a second Herald pass
 * over the same entries (all unchanged: the read-back cost of anti-entropy). Keys go under a prefix unique to the
 * run and are deleted at the end.
 */
final class StoreBulkBench {
  /** Targets the figures are printed beside. */
  static final double TARGET_RATIO = 10.0;
  static final double TARGET_SECONDS = 5.0;

  private final PrintStream out;
  private final int clusters;
  private final int batchSize;
  private final int baselineClusters;
  private final int rounds;

  StoreBulkBench(PrintStream out, int clusters, int batchSize, int baselineClusters, int rounds) {
    if (rounds < 1) throw new IllegalArgumentException("rounds must be at least 1: " + rounds);
    this.out = out;
    this.clusters = clusters;
    this.batchSize = batchSize;
    this.baselineClusters = baselineClusters;
    this.rounds = rounds;
  }

  /** Runs the benchmark on one store; deletes what it wrote even when it fails. */
  void run(BulkTarget target) throws IOException, KvStoreException {
    String root = "herald-bench/r" + Long.toString(System.currentTimeMillis(), 36) + "/";
    out.printf("%n== store-bulk: %s at %s (keys under %s) ==%n", target.name(), target.address(), root);
    out.println("loadavg at start: " + Machine.load());
    List<String> written = new ArrayList<>();
    try {
      target.start();
      double baselineRate = baseline(target, root, written);
      try (KvStore s = target.heraldStore()) {
        s.start();
        herald(s, root, written, baselineRate);
      }
    } finally {
      long t0 = System.nanoTime();
      target.deleteAll(root, written);
      out.printf("clean-up: deleted %s (%d keys) in %.1f s%n", root, written.size(), seconds(t0));
      target.close();
    }
  }

  /** One key at a time over the sample, after a short warm-up; returns clusters per second. */
  private double baseline(BulkTarget target, String root, List<String> written) throws IOException {
    writeOneByOne(target, track(SampleClusters.entries(root + "baseline-warmup/mysql/master", 0, 100), written));
    List<ClusterEntries> sample = track(SampleClusters.entries(root + "baseline/mysql/master", 0, baselineClusters),
        written);
    long t0 = System.nanoTime();
    int keys = writeOneByOne(target, sample);
    double s = seconds(t0);
    double rate = baselineClusters / s;
    out.printf("baseline  one write per key, one after another (orchestrator's plain store), native client:%n");
    out.printf("          %d clusters (%d keys) in %.2f s = %.1f clusters/s (%.0f keys/s)%n",
        baselineClusters, keys, s, rate, keys / s);
    if (baselineClusters < clusters) {
      out.printf("          measured on a sample of %d clusters, not %d: at this rate %d clusters would take %.0f s;"
          + " ratios below use clusters/s%n", baselineClusters, clusters, clusters, clusters / rate);
    }
    return rate;
  }

  /** Warm-up, then {@code rounds} timed rounds, each on fresh keys and then again on the same (unchanged) keys. */
  private void herald(KvStore s, String root, List<String> written, double baselineRate) throws KvStoreException {
    inBatches(s, track(SampleClusters.entries(root + "herald-warmup/mysql/master", 0, batchSize), written));
    out.printf("herald    KvStore.write, %d clusters in batches of %d, fresh keys, after a warm-up batch;"
        + " %d round(s):%n", clusters, batchSize, rounds);
    double[] firsts = new double[rounds];
    double[] seconds = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      List<ClusterEntries> all =
          track(SampleClusters.entries(root + "herald-" + r + "/mysql/master", 0, clusters), written);
      long t0 = System.nanoTime();
      Map<WriteOutcome, Integer> first = inBatches(s, all);
      firsts[r] = seconds(t0);
      long t1 = System.nanoTime();
      Map<WriteOutcome, Integer> second = inBatches(s, all);
      seconds[r] = seconds(t1);
      out.printf("          round %d: first pass %.2f s %s; second pass %.2f s %s%n", r + 1, firsts[r], first,
          seconds[r], second);
    }
    double s1 = median(firsts);
    double s2 = median(seconds);
    double rate = clusters / s1;
    double ratio = rate / baselineRate;
    out.printf("          first pass  (median) %.2f s = %.0f clusters/s = %.1fx baseline%n", s1, rate, ratio);
    out.printf("          targets: >= %.0fx baseline: %s; < %.0f s for %d clusters: %s%n", TARGET_RATIO,
        ratio >= TARGET_RATIO ? "MET" : "MISSED", TARGET_SECONDS, clusters, s1 < TARGET_SECONDS ? "MET" : "MISSED");
    out.printf("          second pass (median) %.2f s = %.0f clusters/s (same entries, all UNCHANGED expected:"
        + " the read-back cost of anti-entropy)%n", s2, clusters / s2);
  }

  private static double median(double[] xs) {
    double[] sorted = xs.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static int writeOneByOne(BulkTarget target, List<ClusterEntries> entries) throws IOException {
    int keys = 0;
    for (ClusterEntries e : entries) {
      for (KvPair p : e.allPairs()) {
        target.writeOne(p.key(), p.value());
        keys++;
      }
    }
    return keys;
  }

  private Map<WriteOutcome, Integer> inBatches(KvStore s, List<ClusterEntries> all) throws KvStoreException {
    Map<WriteOutcome, Integer> counts = new EnumMap<>(WriteOutcome.class);
    for (int i = 0; i < all.size(); i += batchSize) {
      for (WriteOutcome o : s.write(all.subList(i, Math.min(all.size(), i + batchSize))).values()) {
        counts.merge(o, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static List<ClusterEntries> track(List<ClusterEntries> entries, List<String> written) {
    for (ClusterEntries e : entries) for (KvPair p : e.allPairs()) written.add(p.key());
    return entries;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
