package io.herald.bench;

import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches one store for expected values, on a thread of its own: for each {@link #expect}, it calls
 * {@link KvStore#get}, pausing {@link #POLL_PAUSE_NANOS} between reads, until the key holds the value, and completes
 * the returned future with the {@link System#nanoTime} of the first read that showed it. Each watch is bounded by its
 * deadline. Thread-safe; the probe owns its thread (started by {@link #start}, stopped by {@link #close}); the
 * store is the caller's.
 */
final class VisibilityProbe implements AutoCloseable {
  private record Watch(String key, String value, long deadline, CompletableFuture<Long> seen) {}

  /** Pause between two reads of one watch; the first sight is late by at most this plus one read. */
  static final long POLL_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final KvStore store;
  private final BlockingQueue<Watch> watches = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile long reads;

  VisibilityProbe(KvStore store) {
    this.store = store;
    this.thread = new Thread(this::run, "probe-" + store.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  String name() {
    return store.name();
  }

  /** Reads made so far. */
  long reads() {
    return reads;
  }

  /** Starts watching {@code key} for {@code value}; the future fails when the deadline (nanoTime) passes first. */
  CompletableFuture<Long> expect(String key, String value, long deadline) {
    Watch w = new Watch(key, value, deadline, new CompletableFuture<>());
    watches.add(w);
    return w.seen();
  }

  private void run() {
    while (!closed) {
      Watch w;
      try {
        w = watches.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return; // close() interrupts
      }
      if (w != null) watch(w);
    }
  }

  private void watch(Watch w) {
    String last = "nothing read";
    while (!closed && System.nanoTime() < w.deadline()) {
      try {
        Optional<String> v = store.get(w.key());
        long now = System.nanoTime();
        reads++;
        if (v.isPresent() && v.get().equals(w.value())) {
          w.seen().complete(now);
          return;
        }
        last = v.orElse("(absent)");
      } catch (KvStoreException e) {
        last = e.toString(); // keep polling: a failed read says nothing about visibility
      }
      // three probes reading back to back would take CPU from the nodes being measured on a 2-core machine
      LockSupport.parkNanos(POLL_PAUSE_NANOS);
    }
    w.seen().completeExceptionally(new TimeoutException(store.name() + ": " + w.key() + " did not show "
        + w.value() + " by its deadline; last read " + last));
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Watch w; (w = watches.poll()) != null; ) w.seen().cancel(false);
  }
}
