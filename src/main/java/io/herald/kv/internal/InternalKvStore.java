package io.herald.kv.internal;

import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KvPair;
import io.herald.kv.KvStore;
import io.herald.kv.WriteOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Herald's internal store: the node's own key-value view of the replicated desired state, in memory, served by
 * {@code GET /api/kv/<key>}. It is rebuilt from the replicated state by its publisher after every start, so it is
 * never behind the raft log for longer than one publish. Thread-safe; writes per cluster are atomic with respect
 * to each other (one lock), reads are lock-free.
 */
public final class InternalKvStore implements KvStore {
  private final ConcurrentSkipListMap<String, String> data = new ConcurrentSkipListMap<>();
  private final Object writeLock = new Object();

  @Override
  public String name() {
    return "internal";
  }

  @Override
  public String kind() {
    return "internal";
  }

  @Override
  public String address() {
    return "memory";
  }

  @Override
  public void start() {}

  @Override
  public Map<Alias, WriteOutcome> write(List<ClusterEntries> batch) {
    Map<Alias, WriteOutcome> out = new LinkedHashMap<>();
    synchronized (writeLock) {
      for (ClusterEntries e : batch) {
        out.put(e.alias(), writeOne(e));
      }
    }
    return out;
  }

  private WriteOutcome writeOne(ClusterEntries e) {
    Map<String, String> stored = new LinkedHashMap<>();
    for (String key : e.keysToRead()) {
      String v = data.get(key);
      if (v != null) stored.put(key, v);
    }
    switch (e.judge(stored)) {
      case STALE:
        return WriteOutcome.STALE;
      case CURRENT:
        return WriteOutcome.UNCHANGED;
      default:
        for (KvPair p : e.allPairs()) data.put(p.key(), p.value());
        e.formerEpochKey().ifPresent(data::remove);
        return WriteOutcome.WRITTEN;
    }
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(data.get(key));
  }

  /** Test and repair hook: what an operator deleting or editing a key by hand would do. */
  public void putRaw(String key, String value) {
    if (value == null) data.remove(key); else data.put(key, value);
  }

  @Override
  public void close() {}
}
