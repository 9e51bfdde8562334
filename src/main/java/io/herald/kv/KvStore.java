package io.herald.kv;

import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A key-value store that consumers read masters from (Consul, ZooKeeper, etcd, Herald's internal store).
 *
 * <p>Writes are forward-only and per cluster: for each {@link ClusterEntries} the store reads what it holds,
 * decides with {@link ClusterEntries#judge}, and replaces the cluster's keys together (in one transaction where
 * the backend has them) only when the judgement is {@code WRITE}, conditioned on the epoch key not having changed
 * since it was read (compare-and-set). A writer holding an older epoch can therefore never put an old master
 * back. Writes are idempotent: repeating a batch that partly succeeded is safe.
 *
 * <p>Implementations are thread-safe, never block longer than their configured timeout per call, and report every
 * failure as a {@link KvStoreException}; no backend exception type escapes. Constructors do no I/O.
 */
public interface KvStore extends AutoCloseable {

  /** A short name unique on this node, used in logs, metrics and the API (e.g. {@code consul}). */
  String name();

  /** The backend: {@code consul}, {@code consul-txn}, {@code zookeeper}, {@code etcd} or {@code internal}. */
  String kind();

  /** Where the store is, for operators; never contains a secret. */
  String address();

  /** Connects. Called once before any other I/O method. */
  void start() throws KvStoreException;

  /**
   * Brings each cluster's keys forward to the given entries. Clusters in one batch are independent: the result
   * says, per alias, what happened. A failure of the whole call throws; clusters already written stay written.
   */
  Map<Alias, WriteOutcome> write(List<ClusterEntries> batch) throws KvStoreException;

  /** Reads one key (without a leading '/'); empty when absent. */
  Optional<String> get(String key) throws KvStoreException;

  /** Releases connections and threads. Idempotent. */
  @Override
  void close();
}
