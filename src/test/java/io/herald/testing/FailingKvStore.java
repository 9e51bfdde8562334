package io.herald.testing;

import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import io.herald.kv.internal.InternalKvStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault-injection test double: an {@link InternalKvStore} that can be told to fail its next N {@link #write} calls
 * with a retryable {@link KvStoreException}, as a store that is down would. Counts, per cluster, the write calls
 * that reached the store. Thread-safe.
 */
public final class FailingKvStore implements KvStore {
  private final String name;
  private final InternalKvStore delegate = new InternalKvStore();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger failedCalls = new AtomicInteger();
  private final AtomicInteger closeCalls = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private volatile boolean failReads;
  private final Map<Alias, AtomicInteger> writes = new ConcurrentHashMap<>();

  public FailingKvStore(String name) {
    this.name = name;
  }

  /** The next {@code n} write calls fail ({@link Integer#MAX_VALUE}: until {@link #recover}). */
  public void failNextWrites(int n) {
    failuresLeft.set(n);
  }

  /** While true, every read fails as an unreachable store's would. */
  public void failReads(boolean fail) {
    failReads = fail;
  }

  /** How many reads were made, failed or not. */
  public int reads() {
    return reads.get();
  }

  /** Stops failing. */
  public void recover() {
    failuresLeft.set(0);
  }

  /** How many write calls failed. */
  public int failedCalls() {
    return failedCalls.get();
  }

  /** How many successful write calls carried this cluster (whatever the outcome). */
  public int writesOf(Alias alias) {
    AtomicInteger n = writes.get(alias);
    return n == null ? 0 : n.get();
  }

  public int closeCalls() {
    return closeCalls.get();
  }


  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "failing";
  }

  @Override
  public String address() {
    return "memory";
  }

  @Override
  public void start() {}

  @Override
  public Map<Alias, WriteOutcome> write(List<ClusterEntries> batch) throws KvStoreException {
    if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      failedCalls.incrementAndGet();
      throw new KvStoreException(name, "injected failure: store unavailable", true);
    }
    Map<Alias, WriteOutcome> out = delegate.write(batch);
    for (ClusterEntries e : batch) writes.computeIfAbsent(e.alias(), a -> new AtomicInteger()).incrementAndGet();
    return out;
  }

  @Override
  public Optional<String> get(String key) throws KvStoreException {
    reads.incrementAndGet();
    if (failReads) throw new KvStoreException(name, "injected failure: read refused", true);
    return delegate.get(key);
  }

  @Override
  public void close() {
    closeCalls.incrementAndGet();
  }
}
