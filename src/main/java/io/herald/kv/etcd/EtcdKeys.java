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
   * than a key at a time when the wanted keys are dense in that range. The request stops after twice as many keys
   * as are wanted (plus a little); when the range holds more (the wanted keys are sparse, e.g. two clusters far
   * apart among 100,000), they are read key by key instead, so a range never costs more than about two reads.
   */
  CompletableFuture<Map<String, Optional<StoredValue>>> readRange(List<String> wanted, String from, String toExclusive) {
    GetOption range = GetOption.builder().withRange(bytes(toExclusive)).withLimit(2L * wanted.size() + 16).build();
    return kv.get(bytes(from), range).thenCompose(r -> {
      if (r.isMore()) return readMany(wanted);
      Map<String, Optional<StoredValue>> found = new HashMap<>();
      for (KeyValue k : r.getKvs()) {
        found.put(k.getKey().toString(StandardCharsets.UTF_8),
            Optional.of(new StoredValue(k.getValue().toString(StandardCharsets.UTF_8), k.getModRevision())));
      }
      Map<String, Optional<StoredValue>> out = new HashMap<>();
      for (String key : wanted) out.put(key, found.getOrDefault(key, Optional.empty()));
      return CompletableFuture.completedFuture(out);
    });
  }

  /**
   * {@link #readRange} for wanted keys of which some may lie outside [{@code from}, {@code toExclusive}) (former
   * epoch keys, under another prefix): those are read with a second range over their own span, at the same time.
   */
  CompletableFuture<Map<String, Optional<StoredValue>>> readRanges(List<String> wanted, String from,
      String toExclusive) {
    List<String> inside = new java.util.ArrayList<>();
    List<String> outside = new java.util.ArrayList<>();
    for (String k : wanted) (k.compareTo(from) >= 0 && k.compareTo(toExclusive) < 0 ? inside : outside).add(k);
    if (outside.isEmpty()) return readRange(inside, from, toExclusive);
    String lo = java.util.Collections.min(outside);
    String hi = java.util.Collections.max(outside);
    return readRange(inside, from, toExclusive).thenCombine(readRange(outside, lo, prefixEnd(hi)), (a, b) -> {
      Map<String, Optional<StoredValue>> out = new HashMap<>(a);
      out.putAll(b);
      return out;
    });
  }

  /** Any number of keys, {@link #MAX_TXN_OPS} to a read-only transaction, all transactions at once. */
  CompletableFuture<Map<String, Optional<StoredValue>>> readMany(List<String> keys) {
    List<CompletableFuture<Map<String, Optional<StoredValue>>>> parts = new java.util.ArrayList<>();
    for (int i = 0; i < keys.size(); i += MAX_TXN_OPS) parts.add(readAll(keys.subList(i, Math.min(keys.size(), i + MAX_TXN_OPS))));
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(x -> {
      Map<String, Optional<StoredValue>> out = new HashMap<>();
      for (var p : parts) out.putAll(p.join());
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

  static Op delete(String key) {
    return Op.delete(bytes(key), io.etcd.jetcd.options.DeleteOption.DEFAULT);
  }

  private static Optional<StoredValue> first(GetResponse r) {
    if (r.getKvs().isEmpty()) return Optional.empty();
    KeyValue kv = r.getKvs().get(0);
    return Optional.of(new StoredValue(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision()));
  }
}
