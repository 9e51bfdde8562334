package io.herald.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sees when values show up in one store, through the store's own change notification ({@link BulkTarget#watch}):
 * no polling, so the probe takes no CPU from the nodes being measured while it waits, and a first sight is late only
 * by the notification's own delivery. For each {@link #expect}, the returned future completes with the
 * {@link System#nanoTime} at which the client heard that the key holds the value (at once if it already did), or
 * fails at its deadline. Thread-safe; the watch runs from {@link #start} to {@link #close}; the target is the
 * caller's.
 */
final class VisibilityProbe implements AutoCloseable {
  private record Watch(String value, CompletableFuture<Long> seen) {}

  private final BulkTarget target;
  private final String prefix;
  private final String name;
  /** Every key's last value heard since the start, and the watches still waiting; guarded by this. */
  private final Map<String, String> latest = new HashMap<>();
  private final Map<String, List<Watch>> waiting = new HashMap<>();
  private AutoCloseable watch;

  /** @param prefix the keys to watch (a node's KVClusterMasterPrefix) */
  VisibilityProbe(BulkTarget target, String prefix, String name) {
    this.target = target;
    this.prefix = prefix;
    this.name = name;
  }

  void start() throws IOException {
    watch = target.watch(prefix, this::heard);
  }

  String name() {
    return name;
  }

  /** Starts watching {@code key} for {@code value}; the future fails when the deadline (nanoTime) passes first. */
  CompletableFuture<Long> expect(String key, String value, long deadline) {
    CompletableFuture<Long> seen = new CompletableFuture<>();
    synchronized (this) {
      if (value.equals(latest.get(key))) {
        seen.complete(System.nanoTime());
        return seen;
      }
      waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(new Watch(value, seen));
    }
    CompletableFuture.delayedExecutor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).execute(() -> {
      String last;
      synchronized (this) {
        last = latest.getOrDefault(key, "(nothing heard)");
        List<Watch> ws = waiting.get(key);
        // heard() may have taken the watch already and be about to complete it: then it was seen in time
        boolean mine = ws != null && ws.removeIf(w -> w.seen() == seen);
        if (ws != null && ws.isEmpty()) waiting.remove(key);
        if (!mine) return;
      }
      seen.completeExceptionally(new TimeoutException(name + ": " + key + " did not show " + value
          + " by its deadline; last heard " + last));
    });
    return seen;
  }

  /** The client's notification thread: a key now holds a value. */
  private void heard(String key, String value) {
    long now = System.nanoTime();
    List<Watch> done = new ArrayList<>();
    synchronized (this) {
      latest.put(key, value);
      List<Watch> ws = waiting.get(key);
      if (ws == null) return;
      ws.removeIf(w -> {
        if (!w.value().equals(value)) return false;
        done.add(w);
        return true;
      });
      if (ws.isEmpty()) waiting.remove(key);
    }
    for (Watch w : done) w.seen().complete(now); // outside the lock: a waiter's continuation may call expect
  }

  @Override
  public void close() {
    try {
      if (watch != null) watch.close();
    } catch (Exception e) { // the store went away: nothing more to hear anyway
      System.err.println(name + ": closing the watch failed: " + e);
    }
    List<Watch> left = new ArrayList<>();
    synchronized (this) {
      waiting.values().forEach(left::addAll);
      waiting.clear();
    }
    for (Watch w : left) w.seen().cancel(false);
  }
}
