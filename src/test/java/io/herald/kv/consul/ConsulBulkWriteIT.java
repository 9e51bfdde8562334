package io.herald.kv.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.KvPair;
import io.herald.cluster.Master;
import io.herald.kv.WriteOutcome;
import io.herald.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 10,000 clusters against the dev agent: one recursive read per key prefix, then whole clusters packed ten to a
 * transaction, several in flight. The request counts are exact; the time limit is loose, because this host is
 * shared (a full publish takes about 2 to 5 s on a quiet one; see the logged times).
 */
class ConsulBulkWriteIT {
  private static final Logger log = LoggerFactory.getLogger(ConsulBulkWriteIT.class);
  private static final int CLUSTERS = 10_000;
  private static final Duration BUDGET = Duration.ofSeconds(30);
  /** Clusters per transaction: 64 operations at most, six per cluster. */
  private static final int PER_TXN = 64 / 6;
  private final RawConsul raw = new RawConsul(TestServers.consul(), Optional.empty());
  /** Prefixes written, deleted after each test so that the shared dev agent does not grow run after run. */
  private final List<String> written = new ArrayList<>();

  @AfterEach
  void deleteWhatWasWritten() throws Exception {
    for (String prefix : written) raw.deleteTree(prefix);
  }

  @Test
  void tenThousandClustersInOneCall() throws Exception {
    KeyLayout layout = new KeyLayout(TestServers.uniquePrefix("mysql/master"), true, "herald/epoch");
    written.add(layout.prefix());
    List<ClusterEntries> all = clusters(layout);
    try (ConsulKvStore s = new ConsulKvStore("consul", ConsulOptions.plain(TestServers.consul(), true))) {
      s.start();
      Map<WriteOutcome, Integer> first = timed("one call, first write", () -> s.write(all));
      assertThat(first).containsExactlyEntriesOf(Map.of(WriteOutcome.WRITTEN, CLUSTERS));
      assertThat(s.requestsSent()).isEqualTo(1 + ceilDiv(CLUSTERS, PER_TXN));
      Map<WriteOutcome, Integer> again = timed("one call, repeated", () -> s.write(all));
      assertThat(again).containsExactlyEntriesOf(Map.of(WriteOutcome.UNCHANGED, CLUSTERS));
      assertThat(s.requestsSent()).as("a repeat only reads").isEqualTo(2 + ceilDiv(CLUSTERS, PER_TXN));
    }
    for (int i : List.of(0, 4_999, 9_999)) assertHolds(all.get(i));
  }

  @Test
  void tenThousandClustersInBatchesOfAThousandWithTheEpochApart() throws Exception {
    KeyLayout layout = new KeyLayout(TestServers.uniquePrefix("mysql/master"), false,
        TestServers.uniquePrefix("herald/epoch"));
    written.addAll(List.of(layout.prefix(), layout.epochPrefix()));
    List<ClusterEntries> all = clusters(layout);
    try (ConsulKvStore s = new ConsulKvStore("consul", ConsulOptions.plain(TestServers.consul(), true))) {
      s.start();
      Map<WriteOutcome, Integer> outcomes = timed("batches of 1000", () -> {
        Map<Alias, WriteOutcome> out = new HashMap<>();
        for (int from = 0; from < CLUSTERS; from += 1_000) out.putAll(s.write(all.subList(from, from + 1_000)));
        return out;
      });
      assertThat(outcomes).containsExactlyEntriesOf(Map.of(WriteOutcome.WRITTEN, CLUSTERS));
      assertThat(s.requestsSent()).as("two reads and the transactions per batch")
          .isEqualTo(10 * (2 + ceilDiv(1_000, PER_TXN)));
    }
    for (int i : List.of(0, 999, 1_000, 9_999)) assertHolds(all.get(i));
  }

  private static long ceilDiv(int n, int d) {
    return (n + d - 1) / d;
  }

  private interface Write {
    Map<Alias, WriteOutcome> run() throws Exception;
  }

  private static Map<WriteOutcome, Integer> timed(String what, Write write) throws Exception {
    long t0 = System.nanoTime();
    Map<Alias, WriteOutcome> r = write.run();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    log.info("bulk: {} of {} clusters took {} ms", what, r.size(), took.toMillis());
    assertThat(took).as(what).isLessThan(BUDGET);
    Map<WriteOutcome, Integer> counts = new EnumMap<>(WriteOutcome.class);
    r.values().forEach(o -> counts.merge(o, 1, Integer::sum));
    return counts;
  }

  private static List<ClusterEntries> clusters(KeyLayout layout) {
    List<ClusterEntries> all = new ArrayList<>(CLUSTERS);
    for (int i = 0; i < CLUSTERS; i++) {
      String host = "10.1." + (i / 250) + "." + (i % 250 + 1);
      all.add(layout.entries(new Cluster(Alias.of("bench-" + i), new Master(new HostPort(host, 3306), host, ""),
          1_000 + i, 0)));
    }
    return all;
  }

  private void assertHolds(ClusterEntries e) throws Exception {
    for (KvPair p : e.allPairs()) assertThat(raw.get(p.key())).as(p.key()).contains(p.value());
  }
}
