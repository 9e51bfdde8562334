package io.herald.raft;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's commit index as last heard, kept fresh by a thread of its own: readers ({@link #commit}) never
 * wait for the network, and only one probe is ever in flight. The probe runs only while someone asked within
 * {@link #WANTED_FOR}, every {@link #REFRESH}, so an idle node sends nothing.
 *
 * <p>Lifecycle: {@link #start} once, {@link #close} (idempotent). Thread-safe.
 */
final class LeaderCommitWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderCommitWatch.class);
  /** How often the probe runs while wanted. */
  static final Duration REFRESH = Duration.ofMillis(100);
  /** The probe keeps running this long after the last {@link #commit} call. */
  static final Duration WANTED_FOR = Duration.ofSeconds(1);
  /** A reading older than this is not answered (a probe may take its 500 ms timeout, then the next one starts). */
  static final Duration FRESH = Duration.ofMillis(750);

  private record Reading(long commit, long atNanos) {}

  private final LongSupplier probe;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "raft-leader-commit");
    t.setDaemon(true);
    return t;
  });
  /** Written by the watch thread only; replaced whole. */
  private volatile Reading latest = new Reading(-1, System.nanoTime() - 2 * FRESH.toNanos());
  /** When {@link #commit} was last called (System.nanoTime); racy writes are harmless. */
  private volatile long askedAt = System.nanoTime() - 2 * WANTED_FOR.toNanos();
  /** True while a refresh asked for by a reader is queued, so that readers never queue more than one. */
  private final AtomicBoolean queued = new AtomicBoolean();

  /**
   * @param probe asks the leader for its commit index, blocking up to its own timeout; -1 when this node leads,
   *     knows no leader or cannot reach it (it sends nothing in the first two cases). Called on the watch thread
   *     only, one call at a time.
   */
  LeaderCommitWatch(LongSupplier probe) {
    this.probe = probe;
  }

  void start() {
    long ms = REFRESH.toMillis();
    timer.scheduleWithFixedDelay(this::refreshIfWanted, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * The leader's commit index heard at most {@link #FRESH} ago (-1: none, see the probe); empty when no reading
   * is that fresh, in which case one is asked for at once. Never blocks.
   */
  OptionalLong commit() {
    long now = System.nanoTime();
    askedAt = now;
    Reading r = latest;
    if (now - r.atNanos() <= FRESH.toNanos()) return OptionalLong.of(r.commit());
    if (queued.compareAndSet(false, true)) {
      try {
        timer.execute(this::refresh);
      } catch (RejectedExecutionException closed) {
        queued.set(false);
      }
    }
    return OptionalLong.empty();
  }

  private void refreshIfWanted() {
    if (System.nanoTime() - askedAt <= WANTED_FOR.toNanos()) refresh();
  }

  /** Watch thread only. Survives the probe's failures: a failed probe reads as -1 (no leader reachable). */
  private void refresh() {
    queued.set(false);
    long commit;
    try {
      commit = probe.getAsLong();
    } catch (RuntimeException e) {
      LOG.debug("raft: asking the leader for its commit index failed: {}", e.toString());
      commit = -1;
    }
    latest = new Reading(commit, System.nanoTime());
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(5, TimeUnit.SECONDS)) LOG.warn("raft: leader commit watch did not stop in 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
