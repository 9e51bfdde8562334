package io.herald.kv.consul;

import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KvPair;
import io.herald.cluster.Verdict;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one batch of clusters forward in one datacenter: reads what Consul holds (one recursive read per common
 * key prefix for big batches, one per cluster for small ones), judges each cluster, and writes those that need it
 * with their epoch key compare-and-set against the index read. With {@code consul-txn}, whole clusters are packed
 * into transactions, several in flight at once; a pack that loses a compare-and-set race is retried cluster by
 * cluster, each re-read and re-judged after a lost race. With plain {@code consul}, each cluster is one
 * compare-and-set of its epoch key, then one PUT per other key: not atomic, so a reader can see a half-written
 * cluster, and two writers racing can interleave their PUTs. Thread-safe; blocks until the batch is done.
 */
final class BatchWriter {
  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
  /**
   * Batches up to this size are read cluster by cluster, exactly; bigger ones (a catch-up, anti-entropy, a bulk
   * submit) by their keys' common prefix, one request that may also return other clusters' keys.
   */
  static final int SMALL_BATCH = 64;
  /** Compare-and-set attempts per cluster before giving up on this call. */
  static final int MAX_ATTEMPTS = 3;
  private static final int MAX_SUPPRESSED = 3;

  private interface Attempt {
    /** Writes the cluster if its epoch key still has {@code stored}'s index; false when it changed. */
    boolean apply(ClusterEntries e, Map<String, StoredKey> stored, Optional<String> dc) throws KvStoreException;
  }

  private final String store;
  private final ConsulHttp http;
  private final ExecutorService pool;
  private final boolean transactional;
  private final int maxOps;

  BatchWriter(String store, ConsulHttp http, ExecutorService pool, boolean transactional, int maxOps) {
    this.store = store;
    this.http = http;
    this.pool = pool;
    this.transactional = transactional;
    this.maxOps = maxOps;
  }

  /** Writes {@code batch} into {@code dc} (the agent's own when empty); one outcome per alias, in batch order. */
  Map<Alias, WriteOutcome> write(List<ClusterEntries> batch, Optional<String> dc) throws KvStoreException {
    long t0 = System.nanoTime();
    Map<String, StoredKey> stored = read(batch, dc);
    long t1 = System.nanoTime();
    Map<Alias, WriteOutcome> out = new LinkedHashMap<>();
    List<ClusterEntries> toWrite = new ArrayList<>();
    for (ClusterEntries e : batch) {
      Verdict v = judge(e, stored);
      out.put(e.alias(), v == Verdict.STALE ? WriteOutcome.STALE : WriteOutcome.UNCHANGED);
      if (v == Verdict.WRITE) toWrite.add(e);
    }
    List<Callable<Map<Alias, WriteOutcome>>> tasks = new ArrayList<>();
    if (transactional) {
      for (List<ClusterEntries> pack : TxnPacks.pack(toWrite, maxOps, stored)) tasks.add(() -> writePack(pack, stored, dc));
    } else {
      for (ClusterEntries e : toWrite) tasks.add(() -> Map.of(e.alias(), guarded(e, stored, dc, this::plain)));
    }
    for (Map<Alias, WriteOutcome> done : runAll(tasks)) out.putAll(done);
    if (log.isDebugEnabled()) {
      log.debug("{}: {} clusters{}: read {} keys in {} ms, wrote {} clusters in {} writes in {} ms", store,
          batch.size(), dc.map(d -> " in " + d).orElse(""), stored.size(), (t1 - t0) / 1_000_000, toWrite.size(),
          tasks.size(), (System.nanoTime() - t1) / 1_000_000);
    }
    return out;
  }

  private Map<Alias, WriteOutcome> writePack(List<ClusterEntries> pack, Map<String, StoredKey> stored,
      Optional<String> dc) throws KvStoreException {
    Map<Alias, WriteOutcome> out = new LinkedHashMap<>();
    if (pack.size() > 1 && http.txn(TxnPacks.opsOf(pack, stored), dc)) {
      for (ClusterEntries e : pack) out.put(e.alias(), WriteOutcome.WRITTEN);
      return out;
    }
    if (pack.size() > 1) {
      log.warn("{}: a transaction of {} clusters lost a compare-and-set race{}; writing them one by one", store,
          pack.size(), dc.map(d -> " in " + d).orElse(""));
    }
    for (ClusterEntries e : pack) out.put(e.alias(), guarded(e, stored, dc, this::txn));
    return out;
  }

  /** Writes one cluster, re-reading and re-judging it after each lost compare-and-set race. */
  private WriteOutcome guarded(ClusterEntries e, Map<String, StoredKey> stored, Optional<String> dc, Attempt attempt)
      throws KvStoreException {
    Map<String, StoredKey> view = stored;
    for (int i = 1; i <= MAX_ATTEMPTS; i++) {
      if (attempt.apply(e, view, dc)) {
        log.debug("{}: cluster {} written at epoch {}", store, e.alias(), e.epoch());
        return WriteOutcome.WRITTEN;
      }
      view = read(List.of(e), dc);
      Verdict v = judge(e, view);
      log.debug("{}: cluster {} changed while being written (attempt {}), now {}", store, e.alias(), i, v);
      if (v == Verdict.STALE) return WriteOutcome.STALE;
      if (v == Verdict.CURRENT) return WriteOutcome.UNCHANGED;
    }
    throw new KvStoreException(store, "cluster " + e.alias() + ": its epoch key kept changing under "
        + MAX_ATTEMPTS + " compare-and-set attempts" + dc.map(d -> " in " + d).orElse(""), true);
  }

  private boolean txn(ClusterEntries e, Map<String, StoredKey> stored, Optional<String> dc) throws KvStoreException {
    return http.txn(TxnPacks.opsOf(e, stored), dc);
  }

  private boolean plain(ClusterEntries e, Map<String, StoredKey> stored, Optional<String> dc)
      throws KvStoreException {
    StoredKey epoch = stored.get(e.epochKey());
    if (!http.cas(e.epochKey(), Long.toString(e.epoch()), epoch == null ? 0 : epoch.modifyIndex(), dc)) return false;
    for (KvPair p : e.pairs()) http.put(p.key(), p.value(), dc);
    Optional<String> former = e.formerEpochKey();
    StoredKey left = former.map(stored::get).orElse(null);
    if (left != null && !http.deleteIf(former.get(), left.modifyIndex(), dc)) {
      log.debug("{}: cluster {}: {} changed before it could be deleted; the next check deletes it", store,
          e.alias(), former.get());
    }
    return true;
  }

  /** What Consul holds under the batch's keys (and possibly more keys, which judging ignores). */
  private Map<String, StoredKey> read(List<ClusterEntries> batch, Optional<String> dc) throws KvStoreException {
    List<Callable<Map<String, StoredKey>>> reads = new ArrayList<>();
    if (batch.size() <= SMALL_BATCH) {
      for (ClusterEntries e : batch) {
        // the master key's subtree plus the key itself: listing "mysql/master/c1" would also return c10..c19999
        String master = e.pairs().get(0).key();
        reads.add(() -> http.list(master + "/", dc));
        reads.add(() -> exactly(master, dc));
        if (!e.epochKey().startsWith(master + "/")) reads.add(() -> exactly(e.epochKey(), dc));
        e.formerEpochKey().filter(k -> !k.startsWith(master + "/")).ifPresent(k -> reads.add(() -> exactly(k, dc)));
      }
    } else {
      for (String prefix : prefixesCovering(batch)) reads.add(() -> http.list(prefix, dc));
    }
    if (reads.size() == 1) return call(reads.get(0));
    Map<String, StoredKey> all = new HashMap<>();
    for (Map<String, StoredKey> part : runAll(reads)) all.putAll(part);
    return all;
  }

  private Map<String, StoredKey> exactly(String key, Optional<String> dc) throws KvStoreException {
    return http.read(key, dc).map(k -> Map.of(key, k)).orElse(Map.of());
  }

  private static Verdict judge(ClusterEntries e, Map<String, StoredKey> stored) {
    Map<String, String> values = new HashMap<>();
    for (String key : e.keysToRead()) {
      StoredKey k = stored.get(key);
      if (k != null) values.put(key, k.value());
    }
    return e.judge(values);
  }

  /**
   * The key prefixes whose recursive reads cover every key of {@code clusters}: the longest common prefix of
   * their pairs, of their epoch keys and of their former epoch keys, each unless another covers it. Empty for no
   * clusters.
   */
  static List<String> prefixesCovering(List<ClusterEntries> clusters) {
    String pairs = null;
    String epochs = null;
    String formers = null;
    for (ClusterEntries e : clusters) {
      for (KvPair p : e.pairs()) pairs = common(pairs, p.key());
      epochs = common(epochs, e.epochKey());
      if (e.formerEpochKey().isPresent()) formers = common(formers, e.formerEpochKey().get());
    }
    if (epochs == null) return List.of();
    List<String> out = new ArrayList<>();
    for (String p : new String[] {pairs, epochs, formers}) {
      if (p == null || out.stream().anyMatch(p::startsWith)) continue; // already covered
      out.removeIf(q -> q.startsWith(p));
      out.add(p);
    }
    return List.copyOf(out);
  }

  private static String common(String a, String b) {
    if (a == null) return b;
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) i++;
    return a.substring(0, i);
  }

  private <T> T call(Callable<T> task) throws KvStoreException {
    try {
      return task.call();
    } catch (KvStoreException e) {
      throw e;
    } catch (Exception e) {
      throw new KvStoreException(store, "unexpected failure: " + e, false, e);
    }
  }

  /**
   * Runs the tasks on the pool and waits for all of them, so that nothing of this call is still writing when it
   * returns or throws. Throws the first failure, with a few of the others suppressed.
   */
  private <T> List<T> runAll(List<Callable<T>> tasks) throws KvStoreException {
    if (tasks.size() == 1) return List.of(call(tasks.get(0)));
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Callable<T> t : tasks) futures.add(pool.submit(t));
    List<T> results = new ArrayList<>(tasks.size());
    KvStoreException failure = null;
    for (Future<T> f : futures) {
      try {
        results.add(f.get());
      } catch (InterruptedException e) {
        futures.forEach(x -> x.cancel(true));
        Thread.currentThread().interrupt();
        throw new KvStoreException(store, "interrupted while writing", true, e);
      } catch (ExecutionException e) {
        KvStoreException cause = e.getCause() instanceof KvStoreException k ? k
            : new KvStoreException(store, "unexpected failure: " + e.getCause(), false, e.getCause());
        if (failure == null) {
          failure = cause;
        } else if (failure.getSuppressed().length < MAX_SUPPRESSED) {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) throw failure;
    return results;
  }
}
