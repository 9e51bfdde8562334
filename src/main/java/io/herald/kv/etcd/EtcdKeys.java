package io.herald.kv.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's key-value calls used by the store, as futures of plain values. Never blocks; futures complete on jetcd's
 * threads and fail with jetcd's exceptions, which the store translates. Thread-safe.
 */
final class EtcdKeys {
  /** etcd's default {@code --max-txn-ops}: the most operations (and compares) one transaction may hold. */
  static final int MAX_TXN_OPS = 128;

  private final KV kv;

  EtcdKeys(KV kv) {
    this.kv = kv;
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  /** Reads up to {@link #MAX_TXN_OPS} keys in one read-only transaction: one consistent view, one round trip. */
  CompletableFuture<Map<String, Optional<StoredValue>>> readAll(List<String> keys) {
    if (keys.isEmpty()) return CompletableFuture.completedFuture(Map.of());
    Op[] gets = keys.stream().map(k -> Op.get(bytes(k), GetOption.DEFAULT)).toArray(Op[]::new);
    return kv.txn().Then(gets).commit().thenApply(r -> {
      List<GetResponse> got = r.getGetResponses();
      Map<String, Optional<StoredValue>> out = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) out.put(keys.get(i), first(got.get(i)));
      return out;
    });
  }

  /**
   * Reads the keys in {@code wanted} with one range request over [{@code from}, {@code toExclusive}): far cheaper
   * than a key at a time when the wanted keys are dense in that range. Keys in the range that are not wanted are
   * read and dropped.
   */
  CompletableFuture<Map<String, Optional<StoredValue>>> readRange(List<String> wanted, String from, String toExclusive) {
    GetOption range = GetOption.builder().withRange(bytes(toExclusive)).build();
    return kv.get(bytes(from), range).thenApply(r -> {
      Map<String, Optional<StoredValue>> found = new HashMap<>();
      for (KeyValue k : r.getKvs()) {
        found.put(k.getKey().toString(StandardCharsets.UTF_8),
            Optional.of(new StoredValue(k.getValue().toString(StandardCharsets.UTF_8), k.getModRevision())));
      }
      Map<String, Optional<StoredValue>> out = new HashMap<>();
      for (String key : wanted) out.put(key, found.getOrDefault(key, Optional.empty()));
      return out;
    });
  }

  /** The smallest key after every key that starts with {@code prefix} (prefix ends in a printable ASCII char). */
  static String prefixEnd(String prefix) {
    char last = prefix.charAt(prefix.length() - 1);
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }

  /** One key; empty when absent. */
  CompletableFuture<Optional<StoredValue>> read(String key) {
    return kv.get(bytes(key)).thenApply(EtcdKeys::first);
  }

  /** Puts all only if every compare holds; completes with whether it did. */
  CompletableFuture<Boolean> putIf(List<Cmp> compares, List<Op> puts) {
    return kv.txn().If(compares.toArray(Cmp[]::new)).Then(puts.toArray(Op[]::new)).commit()
        .thenApply(r -> r.isSucceeded());
  }

  static Op put(String key, String value) {
    return Op.put(bytes(key), bytes(value), PutOption.DEFAULT);
  }

  private static Optional<StoredValue> first(GetResponse r) {
    if (r.getKvs().isEmpty()) return Optional.empty();
    KeyValue kv = r.getKvs().get(0);
    return Optional.of(new StoredValue(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision()));
  }
}
