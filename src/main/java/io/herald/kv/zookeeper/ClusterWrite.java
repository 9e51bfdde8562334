package io.herald.kv.zookeeper;

import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KvPair;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's forward-only write: read its znodes, judge, and on {@code WRITE} run one transaction that holds
 * only if the epoch znode is unchanged since the read (its version checked, or its creation failing if someone
 * created it). A transaction that loses a race is retried from the read, at most {@link #MAX_TRANSACTIONS} times.
 * Non-blocking: every method returns at once.
 */
final class ClusterWrite {
  static final int MAX_TRANSACTIONS = 3;
  private static final Logger log = LoggerFactory.getLogger(ClusterWrite.class);

  private final String store;
  private final Znodes znodes;
  private final ParentZnodes parents;
  private final ClusterEntries entries;
  /** The cluster's pairs, parents before children, so that one transaction can create them all. */
  private final List<KvPair> ordered;

  ClusterWrite(String store, Znodes znodes, ParentZnodes parents, ClusterEntries entries) {
    this.store = store;
    this.znodes = znodes;
    this.parents = parents;
    this.entries = entries;
    this.ordered = new ArrayList<>(entries.allPairs());
    ordered.sort(Comparator.comparingLong(p -> ParentZnodes.depth(Znodes.path(p.key()))));
  }

  /** The paths this write reads: the cluster's own znodes, and the former epoch znode. */
  List<String> paths() {
    List<String> out = new ArrayList<>(ordered.size() + 1);
    for (KvPair p : ordered) out.add(Znodes.path(p.key()));
    entries.formerEpochKey().ifPresent(k -> out.add(Znodes.path(k)));
    return out;
  }

  /** After a read: settled (stale or unchanged), or the operations of the transaction that writes the cluster. */
  record Plan(Optional<WriteOutcome> settled, List<Op> ops) {}

  /** Judges what the store holds and plans the transaction when the cluster needs writing. */
  Plan plan(Map<String, Optional<Znode>> stored) {
    Map<String, String> values = new HashMap<>();
    for (String key : entries.keysToRead()) stored.get(Znodes.path(key)).ifPresent(z -> values.put(key, z.value()));
    switch (entries.judge(values)) {
      case STALE:
        log.debug("cluster {}: store {} holds a newer epoch than {}", entries.alias(), store, entries.epoch());
        return new Plan(Optional.of(WriteOutcome.STALE), List.of());
      case CURRENT:
        return new Plan(Optional.of(WriteOutcome.UNCHANGED), List.of());
      default:
        return new Plan(Optional.empty(), operations(stored));
    }
  }

  /** One try, from its read: plan, and run the cluster's own transaction if there is anything to write. */
  private CompletableFuture<WriteOutcome> attempt(int n, CompletableFuture<Map<String, Optional<Znode>>> read) {
    return read.thenCompose(stored -> {
      Plan plan = plan(stored);
      if (plan.settled().isPresent()) return CompletableFuture.completedFuture(plan.settled().get());
      return znodes.multi(plan.ops()).thenCompose(code -> afterTransaction(n, code));
    });
  }

  /**
   * Continues after transaction {@code n} (the cluster's own, or one shared with other clusters) ended with
   * {@code code}: done when it succeeded; when it lost a race, reads again and retries alone.
   */
  CompletableFuture<WriteOutcome> afterTransaction(int n, Code code) {
    if (code == Code.OK) {
      log.debug("cluster {}: store {} now at epoch {}", entries.alias(), store, entries.epoch());
      return CompletableFuture.completedFuture(WriteOutcome.WRITTEN);
    }
    String epochPath = Znodes.path(entries.epochKey());
    boolean lostRace = code == Code.BADVERSION || code == Code.NODEEXISTS || code == Code.NONODE;
    if (!lostRace) return CompletableFuture.failedFuture(KeeperException.create(code, epochPath));
    if (n >= MAX_TRANSACTIONS) {
      return CompletableFuture.failedFuture(new KvStoreException(store, "cluster " + entries.alias()
          + ": znodes kept changing during " + n + " transactions (last: " + code + ")", true));
    }
    log.debug("cluster {}: store {} changed under transaction {} ({}); reading again", entries.alias(), store, n,
        code);
    // A missing znode may be a deleted parent: create the parents again before the next try.
    CompletableFuture<Void> ready = code == Code.NONODE
        ? parents.ensure(znodes, ParentZnodes.outside(entries), true)
        : CompletableFuture.completedFuture(null);
    return ready.thenCompose(x -> attempt(n + 1, znodes.readAll(paths())));
  }

  /**
   * Creates what is missing, sets what differs, always checks-and-sets (or creates) the epoch znode, and deletes
   * the former epoch znode if there is one.
   */
  private List<Op> operations(Map<String, Optional<Znode>> stored) {
    List<Op> ops = new ArrayList<>();
    for (KvPair p : ordered) {
      String path = Znodes.path(p.key());
      Optional<Znode> current = stored.get(path);
      if (current.isEmpty()) {
        ops.add(znodes.create(path, p.value()));
      } else if (p.key().equals(entries.epochKey())) {
        ops.add(Znodes.set(path, p.value(), current.get().version()));
      } else if (!current.get().value().equals(p.value())) {
        ops.add(Znodes.set(path, p.value(), -1));
      }
    }
    // a leftover of the other HeraldEpochKey setting goes in the same transaction (a childless znode)
    entries.formerEpochKey().map(Znodes::path).ifPresent(path -> stored.get(path)
        .ifPresent(z -> ops.add(Op.delete(path, z.version()))));
    return ops;
  }
}
