package io.herald.kv.etcd;

import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.herald.cluster.ClusterEntries;
import io.herald.kv.AsyncCalls;
import io.herald.kv.WriteOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A batch of clusters written with few requests: the clusters' keys are read in chunks, one read-only
 * transaction per chunk, and the clusters that need writing go in groups, one transaction per group whose
 * compares hold each cluster's epoch key to what was read. A group's transaction is all-or-nothing, so each
 * cluster's keys still change together and only while its epoch is unchanged; when a group's compare fails, each
 * of its clusters reads again and retries in a transaction of its own. Non-blocking.
 */
final class BatchWrite {
  /** Clusters per shared transaction: some 20 compares and up to 120 puts, within etcd's 128. */
  static final int CLUSTERS_PER_TRANSACTION = 20;

  private final String store;
  private final EtcdKeys keys;

  BatchWrite(String store, EtcdKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  /** Clusters read with one range request, when their keys all live under their master key. */
  static final int CLUSTERS_PER_RANGE_READ = 200;

  /** Starts writing; one future per cluster, in batch order. */
  List<CompletableFuture<WriteOutcome>> start(List<ClusterEntries> batch) {
    boolean nested = batch.stream().allMatch(e -> e.epochKey().startsWith(e.pairs().get(0).key() + "/"));
    return nested && batch.size() > 1 ? startWithRanges(batch) : startWithTransactions(batch);
  }

  /**
   * Sorted by master key, the clusters' keys are dense in a few key ranges: each run of clusters is read with one
   * range request (instead of one get per key), then written as usual.
   */
  private List<CompletableFuture<WriteOutcome>> startWithRanges(List<ClusterEntries> batch) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) order.add(i);
    order.sort((a, b) -> batch.get(a).pairs().get(0).key().compareTo(batch.get(b).pairs().get(0).key()));
    List<CompletableFuture<WriteOutcome>> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) out.add(null);
    for (int from = 0; from < order.size(); from += CLUSTERS_PER_RANGE_READ) {
      List<Integer> run = order.subList(from, Math.min(order.size(), from + CLUSTERS_PER_RANGE_READ));
      List<ClusterWrite> chunk = new ArrayList<>();
      List<String> chunkKeys = new ArrayList<>();
      for (int i : run) {
        ClusterWrite w = new ClusterWrite(store, keys, batch.get(i));
        chunk.add(w);
        chunkKeys.addAll(w.keys());
      }
      String first = batch.get(run.get(0)).pairs().get(0).key();
      String last = batch.get(run.get(run.size() - 1)).pairs().get(0).key();
      List<CompletableFuture<WriteOutcome>> results = read(chunk, keys.readRanges(chunkKeys, first, EtcdKeys.prefixEnd(last)));
      for (int j = 0; j < run.size(); j++) out.set(run.get(j), results.get(j));
    }
    return out;
  }

  private List<CompletableFuture<WriteOutcome>> startWithTransactions(List<ClusterEntries> batch) {
    List<CompletableFuture<WriteOutcome>> out = new ArrayList<>(batch.size());
    List<ClusterWrite> chunk = new ArrayList<>();
    List<String> chunkKeys = new ArrayList<>();
    for (ClusterEntries e : batch) {
      ClusterWrite w = new ClusterWrite(store, keys, e);
      if (!chunk.isEmpty() && chunkKeys.size() + w.keys().size() > EtcdKeys.MAX_TXN_OPS) {
        out.addAll(read(chunk, keys.readAll(chunkKeys)));
        chunk = new ArrayList<>();
        chunkKeys = new ArrayList<>();
      }
      chunk.add(w);
      chunkKeys.addAll(w.keys());
    }
    if (!chunk.isEmpty()) out.addAll(read(chunk, keys.readAll(chunkKeys)));
    return out;
  }

  private List<CompletableFuture<WriteOutcome>> read(List<ClusterWrite> chunk,
      CompletableFuture<Map<String, Optional<StoredValue>>> reading) {
    List<CompletableFuture<WriteOutcome>> results = new ArrayList<>();
    for (int i = 0; i < chunk.size(); i++) results.add(new CompletableFuture<>());
    AsyncCalls.fanOut(reading, results, stored -> plan(chunk, results, stored));
    return results;
  }

  private void plan(List<ClusterWrite> chunk, List<CompletableFuture<WriteOutcome>> results,
      Map<String, Optional<StoredValue>> stored) {
    Group group = new Group();
    for (int i = 0; i < chunk.size(); i++) {
      ClusterWrite.Plan p = chunk.get(i).plan(stored);
      if (p.settled().isPresent()) {
        results.get(i).complete(p.settled().get());
        continue;
      }
      if (!group.fits(chunk.get(i), p)) {
        group.commit();
        group = new Group();
      }
      group.add(chunk.get(i), p, results.get(i));
    }
    group.commit();
  }

  /** Clusters sharing one transaction: no key twice (etcd refuses that), and within etcd's operation limit. */
  private final class Group {
    private final List<ClusterWrite> writes = new ArrayList<>();
    private final List<CompletableFuture<WriteOutcome>> results = new ArrayList<>();
    private final List<Cmp> compares = new ArrayList<>();
    private final List<Op> puts = new ArrayList<>();
    private final Set<String> keysInGroup = new HashSet<>();

    boolean fits(ClusterWrite w, ClusterWrite.Plan p) {
      if (writes.isEmpty()) return true;
      return writes.size() < CLUSTERS_PER_TRANSACTION && puts.size() + p.puts().size() <= EtcdKeys.MAX_TXN_OPS
          && w.keys().stream().noneMatch(keysInGroup::contains);
    }

    void add(ClusterWrite w, ClusterWrite.Plan p, CompletableFuture<WriteOutcome> result) {
      writes.add(w);
      results.add(result);
      compares.add(p.compare());
      puts.addAll(p.puts());
      keysInGroup.addAll(w.keys());
    }

    void commit() {
      if (writes.isEmpty()) return;
      keys.putIf(compares, puts).whenComplete((ok, failure) -> {
        for (int i = 0; i < writes.size(); i++) {
          CompletableFuture<WriteOutcome> r = results.get(i);
          if (failure != null) {
            r.completeExceptionally(failure);
          } else {
            AsyncCalls.relay(writes.get(i).afterTransaction(1, ok), r);
          }
        }
      });
    }
  }
}
