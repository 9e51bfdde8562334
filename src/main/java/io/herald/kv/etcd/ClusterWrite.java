package io.herald.kv.etcd;

import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KvPair;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's forward-only write: read its keys, judge, and on {@code WRITE} put them in one transaction that
 * holds only if the epoch key is unchanged since the read (same mod revision, or still absent). A transaction
 * that loses a race is retried from the read, at most {@link #MAX_TRANSACTIONS} times. Non-blocking.
 */
final class ClusterWrite {
  static final int MAX_TRANSACTIONS = 3;
  private static final Logger log = LoggerFactory.getLogger(ClusterWrite.class);

  private final String store;
  private final EtcdKeys keys;
  private final ClusterEntries entries;

  ClusterWrite(String store, EtcdKeys keys, ClusterEntries entries) {
    this.store = store;
    this.keys = keys;
    this.entries = entries;
  }

  /** The keys this write reads and may put or delete: the cluster's pairs, its epoch key, the former epoch key. */
  List<String> keys() {
    return entries.keysToRead();
  }

  /** After a read: settled (stale or unchanged), or the compare and the puts of the cluster's transaction. */
  record Plan(Optional<WriteOutcome> settled, Cmp compare, List<Op> puts) {}

  Plan plan(Map<String, Optional<StoredValue>> stored) {
    Map<String, String> values = new HashMap<>();
    for (String key : keys()) stored.get(key).ifPresent(v -> values.put(key, v.value()));
    switch (entries.judge(values)) {
      case STALE:
        log.debug("cluster {}: store {} holds a newer epoch than {}", entries.alias(), store, entries.epoch());
        return new Plan(Optional.of(WriteOutcome.STALE), null, List.of());
      case CURRENT:
        return new Plan(Optional.of(WriteOutcome.UNCHANGED), null, List.of());
      default:
        Optional<StoredValue> epoch = stored.get(entries.epochKey());
        Cmp compare = new Cmp(EtcdKeys.bytes(entries.epochKey()), Cmp.Op.EQUAL, epoch.isPresent()
            ? CmpTarget.modRevision(epoch.get().modRevision()) : CmpTarget.version(0));
        List<Op> puts = new ArrayList<>();
        for (KvPair p : entries.allPairs()) {
          Optional<StoredValue> current = stored.get(p.key());
          // The epoch is always put, so a concurrent writer's compare fails; other keys only when they differ.
          boolean differs = current.isEmpty() || !current.get().value().equals(p.value());
          if (differs || p.key().equals(entries.epochKey())) puts.add(EtcdKeys.put(p.key(), p.value()));
        }
        // a leftover of the other HeraldEpochKey setting goes in the same transaction
        entries.formerEpochKey().filter(k -> stored.get(k).isPresent()).ifPresent(k -> puts.add(EtcdKeys.delete(k)));
        return new Plan(Optional.empty(), compare, puts);
    }
  }

  /**
   * Continues after transaction {@code n} (the cluster's own, or one shared with other clusters): done when it
   * succeeded; otherwise reads again and retries alone.
   */
  CompletableFuture<WriteOutcome> afterTransaction(int n, boolean succeeded) {
    if (succeeded) {
      log.debug("cluster {}: store {} now at epoch {}", entries.alias(), store, entries.epoch());
      return CompletableFuture.completedFuture(WriteOutcome.WRITTEN);
    }
    if (n >= MAX_TRANSACTIONS) {
      return CompletableFuture.failedFuture(new KvStoreException(store, "cluster " + entries.alias()
          + ": keys kept changing during " + n + " transactions", true));
    }
    log.debug("cluster {}: store {} changed under transaction {}; reading again", entries.alias(), store, n);
    return keys.readAll(keys()).thenCompose(stored -> {
      Plan plan = plan(stored);
      if (plan.settled().isPresent()) return CompletableFuture.completedFuture(plan.settled().get());
      return keys.putIf(List.of(plan.compare()), plan.puts()).thenCompose(ok -> afterTransaction(n + 1, ok));
    });
  }
}
