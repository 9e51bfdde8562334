package io.herald.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarised by nearest-rank percentiles in milliseconds. Not thread-safe. */
final class Latencies {
  private long[] nanos = new long[64];
  private int count;

  void add(long sample) {
    if (count == nanos.length) nanos = Arrays.copyOf(nanos, count * 2);
    nanos[count++] = sample;
  }

  /** Adds every sample of {@code other}. */
  void addAll(Latencies other) {
    for (int i = 0; i < other.count; i++) add(other.nanos[i]);
  }

  int count() {
    return count;
  }

  /** The nearest-rank percentile {@code p} (0 < p <= 100) in milliseconds; 0 when there are no samples. */
  double millis(double p) {
    if (count == 0) return 0;
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1e6;
  }

  /** {@code p50 a ms, p90 b ms, p99 c ms, max d ms (n=N)}. */
  String summary() {
    return String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
        millis(50), millis(90), millis(99), millis(100), count);
  }

  /** {@code p50 a ms, p99 c ms (n=N)}. */
  String shortSummary() {
    return String.format("p50 %.1f ms, p99 %.1f ms (n=%d)", millis(50), millis(99), count);
  }
}
