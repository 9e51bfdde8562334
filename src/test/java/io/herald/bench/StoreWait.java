package io.herald.bench;

import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import java.util.List;
import java.util.function.Predicate;

/** Polls real stores (every 5 ms, bounded) until a key holds what a benchmark waits for. */
final class StoreWait {
  private StoreWait() {}

  /** Until every store holds {@code want} at {@code key}. */
  static void awaitAll(List<KvStore> stores, String key, String want, long timeoutMs) throws Exception {
    awaitEach(stores, key, want::equals, timeoutMs);
  }

  /** Until every store holds one same value other than {@code old} at {@code key}; returns it. */
  static String awaitChanged(List<KvStore> stores, String key, String old, long timeoutMs) throws Exception {
    String[] first = {null};
    awaitEach(stores, key, got -> {
      if (got == null || got.equals(old) || (first[0] != null && !first[0].equals(got))) return false;
      first[0] = got;
      return true;
    }, timeoutMs);
    return first[0];
  }

  private static void awaitEach(List<KvStore> stores, String key, Predicate<String> done, long timeoutMs) throws Exception {
    long end = System.currentTimeMillis() + timeoutMs;
    for (KvStore s : stores) {
      while (true) {
        String got;
        try {
          got = s.get(key).orElse(null);
        } catch (KvStoreException e) {
          got = null;
        }
        if (done.test(got)) break;
        if (System.currentTimeMillis() > end) throw new IllegalStateException(s.name() + " still has " + got + " at " + key);
        Thread.sleep(5);
      }
    }
  }
}
