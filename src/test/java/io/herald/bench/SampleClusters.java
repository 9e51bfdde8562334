package io.herald.bench;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.Master;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic clusters for benchmarks: alias {@code cluster-000123}, master {@code db-000123.dc1.example.com:3306},
 * a private IPv4 address and no IPv6. Deterministic: the same index gives the same cluster.
 */
final class SampleClusters {
  private SampleClusters() {}

  static Alias alias(int i) {
    return Alias.of(String.format("cluster-%06d", i));
  }

  static Master master(int i) {
    String host = String.format("db-%06d.dc1.example.com", i);
    String ipv4 = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    return new Master(new HostPort(host, 3306), ipv4, "");
  }

  /** Clusters {@code from .. from+count-1}, each with epoch {@code i + 1}, laid out under {@code prefix}. */
  static List<ClusterEntries> entries(String prefix, int from, int count) {
    KeyLayout layout = new KeyLayout(prefix, true, KeyLayout.DEFAULT_EPOCH_PREFIX);
    List<ClusterEntries> out = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      out.add(layout.entries(new Cluster(alias(i), master(i), i + 1L, 0)));
    }
    return out;
  }
}
