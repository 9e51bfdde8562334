package io.herald.kv.zookeeper;

import io.herald.cluster.ClusterEntries;
import io.herald.kv.AsyncCalls;
import io.herald.kv.WriteOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;

/**
 * A batch of clusters written with few requests: the clusters' znodes are read in chunks, one read-only multi per
 * chunk, and the clusters that need writing go in groups, one transaction per group. A group's transaction is
 * all-or-nothing, so each cluster's znodes still change together and only while its epoch znode is unchanged; when
 * a group loses a race, each of its clusters reads again and retries in a transaction of its own.
 * Non-blocking: {@link #start} returns the clusters' futures at once.
 */
final class BatchWrite {
  /** Clusters per read: about 600 znodes, a reply of some 60 KB, far below ZooKeeper's 1 MB packet limit. */
  static final int CLUSTERS_PER_READ = 100;
  /** Clusters per shared transaction: about 120 operations, a request of some 10 KB. */
  static final int CLUSTERS_PER_TRANSACTION = 20;

  private final String store;
  private final Znodes znodes;
  private final ParentZnodes parents;

  BatchWrite(String store, Znodes znodes, ParentZnodes parents) {
    this.store = store;
    this.znodes = znodes;
    this.parents = parents;
  }

  /** Starts writing, once {@code ready} (the parent znodes) completes; one future per cluster, in batch order. */
  List<CompletableFuture<WriteOutcome>> start(List<ClusterEntries> batch, CompletableFuture<Void> ready) {
    List<CompletableFuture<WriteOutcome>> out = new ArrayList<>(batch.size());
    for (int from = 0; from < batch.size(); from += CLUSTERS_PER_READ) {
      List<ClusterWrite> chunk = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      List<CompletableFuture<WriteOutcome>> results = new ArrayList<>();
      for (ClusterEntries e : batch.subList(from, Math.min(batch.size(), from + CLUSTERS_PER_READ))) {
        ClusterWrite w = new ClusterWrite(store, znodes, parents, e);
        chunk.add(w);
        paths.addAll(w.paths());
        results.add(new CompletableFuture<>());
      }
      AsyncCalls.fanOut(ready.thenCompose(x -> znodes.readAll(paths)), results, stored -> plan(chunk, results, stored));
      out.addAll(results);
    }
    return out;
  }

  private void plan(List<ClusterWrite> chunk, List<CompletableFuture<WriteOutcome>> results,
      Map<String, Optional<Znode>> stored) {
    List<ClusterWrite> group = new ArrayList<>();
    List<CompletableFuture<WriteOutcome>> groupResults = new ArrayList<>();
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < chunk.size(); i++) {
      ClusterWrite.Plan p = chunk.get(i).plan(stored);
      if (p.settled().isPresent()) {
        results.get(i).complete(p.settled().get());
        continue;
      }
      group.add(chunk.get(i));
      groupResults.add(results.get(i));
      ops.addAll(p.ops());
      if (group.size() == CLUSTERS_PER_TRANSACTION) {
        commit(group, groupResults, ops);
        group = new ArrayList<>();
        groupResults = new ArrayList<>();
        ops = new ArrayList<>();
      }
    }
    if (!group.isEmpty()) commit(group, groupResults, ops);
  }

  private void commit(List<ClusterWrite> group, List<CompletableFuture<WriteOutcome>> results, List<Op> ops) {
    znodes.multi(ops).whenComplete((code, failure) -> {
      for (int i = 0; i < group.size(); i++) {
        CompletableFuture<WriteOutcome> r = results.get(i);
        if (failure != null) {
          r.completeExceptionally(failure);
        } else if (code == Code.OK) {
          r.complete(WriteOutcome.WRITTEN);
        } else {
          AsyncCalls.relay(group.get(i).afterTransaction(1, code), r);
        }
      }
    });
  }
}
