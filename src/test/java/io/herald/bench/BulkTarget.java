package io.herald.bench;

import io.herald.kv.KvStore;
import java.io.IOException;
import java.util.List;

/**
 * One real store as the bulk benchmark sees it: a native client for the baseline (one key per request, waiting for
 * each, as orchestrator's plain stores do) and for clean-up, and Herald's adapter for the measured side.
 * Not thread-safe; used by one benchmark thread.
 */
interface BulkTarget extends AutoCloseable {

  /** The store's kind as printed, e.g. {@code etcd} or {@code consul-txn}. */
  String name();

  /** Where the server is. */
  String address();

  /** Opens the native client; waits until the server answers. */
  void start() throws IOException;

  /** Writes one key with the native client and waits for the server's answer. */
  void writeOne(String key, String value) throws IOException;

  /**
   * Watches every key under {@code prefix} with the store's own change notification (etcd watch, ZooKeeper
   * watches through Curator's cache, Consul blocking queries): {@code onChange} gets each key's new value, on the
   * client's thread, as soon as the client hears of it. Needs {@link #start}; closing the result ends the watch.
   */
  AutoCloseable watch(String prefix, java.util.function.BiConsumer<String, String> onChange) throws IOException;

  /** A new Herald adapter for this store, not yet started. */
  KvStore heraldStore();

  /**
   * Deletes everything under {@code root} (a key prefix ending in '/', without a leading '/'). {@code written} lists
   * the keys the run wrote under it, for stores that delete faster when they know them.
   */
  void deleteAll(String root, List<String> written) throws IOException;

  /** Closes the native client. */
  @Override
  void close();
}
