package io.herald.publish;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * What one store has yet to be given, keyed by cluster: offering a cluster again before it was taken replaces the
 * older work, so a store coming back after an outage gets each cluster's final entries once.
 *
 * <p>It also decides when to hand work out. A lone change goes after {@link #FIRST_WAIT}. Changes arriving as a
 * burst (a log replay, entries from the leader after a partition, a snapshot install, a mass failover) are let
 * settle first, and while the node says it is still catching up, so that only the final entries of a catch-up are
 * written rather than every intermediate master.
 *
 * <p>Thread-safe: {@link #add} is called from the raft apply thread and never blocks on I/O; {@link #next} is
 * called by one publisher thread.
 */
final class PendingWork {
  /** A lone change is handed out this long after it arrives (a burst shows itself within it). */
  private static final Duration FIRST_WAIT = Duration.ofMillis(2);
  /** A burst is over when no change arrived for this long. */
  private static final Duration QUIET = Duration.ofMillis(15);
  /** A burst of at least this many clusters waits {@link #LONG_QUIET} for the rest. */
  private static final int LARGE_BURST = 50;
  private static final Duration LONG_QUIET = Duration.ofMillis(100);
  /** However long a burst lasts, work is handed out after this. */
  private static final Duration MAX_SETTLE = Duration.ofSeconds(2);
  /** However far behind the node is, work is handed out after this. */
  static final Duration MAX_HOLD = Duration.ofSeconds(30);
  private static final long QUIET_START = Duration.ofSeconds(1).toNanos();

  /** One cluster to bring in line; {@code verify} also reads the store back, even if the delivery log covers it. */
  record Job(Cluster cluster, boolean verify) {
    Job newest(Job other) {
      int c = compare(cluster, other.cluster);
      if (c != 0) return c > 0 ? this : other;
      return verify || !other.verify ? this : other;
    }

    private static int compare(Cluster a, Cluster b) {
      int c = Long.compare(a.epoch(), b.epoch());
      return c != 0 ? c : Long.compare(a.submitted(), b.submitted());
    }
  }

  private final BooleanSupplier catchingUp;
  private final Object lock = new Object();
  /** Guarded by lock: changes to publish, the newest per cluster, oldest first; handed out before any check. */
  private final Map<Alias, Job> pending = new LinkedHashMap<>();
  /**
   * Guarded by lock: anti-entropy checks of clusters with no change queued, oldest first. Kept apart so that a
   * failover never waits behind a pass over every cluster, and a pass is never taken for a burst of changes.
   */
  private final Map<Alias, Job> checks = new LinkedHashMap<>();
  /** Guarded by lock. */
  private boolean closed;
  /** Guarded by lock: when the last two offers came (System.nanoTime), to tell a burst from a lone change. */
  private long lastOffer = System.nanoTime() - QUIET_START;
  private long previousOffer = lastOffer - QUIET_START;
  /** Guarded by lock: how many jobs were handed out and are not yet done or put back. */
  private int inFlight;

  /**
   * @param catchingUp true while the node is known to be behind the group; asked only for a burst, without
   *     holding the lock (the raft apply thread needs the lock to add work, and raft may need that thread to
   *     answer); must not block for long
   */
  PendingWork(BooleanSupplier catchingUp) {
    this.catchingUp = catchingUp;
  }

  /** Queues changes ({@code verify} false) or anti-entropy checks ({@code verify} true). */
  void add(Collection<Cluster> clusters, boolean verify) {
    if (clusters.isEmpty()) return;
    synchronized (lock) {
      for (Cluster c : clusters) queue(new Job(c, verify));
      if (!verify) {
        previousOffer = lastOffer;
        lastOffer = System.nanoTime();
      }
      lock.notifyAll();
    }
  }

  /**
   * Called holding the lock: a change joins the changes (taking over a queued check of its cluster); a check joins
   * its cluster's queued change if there is one, else the checks.
   */
  private void queue(Job j) {
    Alias a = j.cluster().alias();
    if (j.verify() && !pending.containsKey(a)) {
      checks.merge(a, j, Job::newest);
      return;
    }
    Job check = checks.remove(a);
    pending.merge(a, check == null ? j : j.newest(check), Job::newest);
  }

  /** True when nothing is queued or handed out. */
  boolean idle() {
    synchronized (lock) {
      return pending.isEmpty() && checks.isEmpty() && inFlight == 0;
    }
  }

  /** Clusters queued or handed out. */
  int count() {
    synchronized (lock) {
      return pending.size() + checks.size() + inFlight;
    }
  }

  /** The largest gap between a queued cluster's epoch and {@code stored} (the epoch the store has), at least 0. */
  long epochLag(ToLongFunction<Alias> stored) {
    long lag = 0;
    synchronized (lock) {
      for (Map<Alias, Job> q : List.of(pending, checks)) {
        for (Job j : q.values()) lag = Math.max(lag, j.cluster().epoch() - stored.applyAsLong(j.cluster().alias()));
      }
    }
    return lag;
  }

  /**
   * Waits for work, lets changes settle, then hands out up to {@code max} jobs, changes first, each queue oldest
   * first (checks alone are handed out at once); until {@link #done} or
   * {@link #putBack}, they count as in flight. Returns an empty list when there is no work by {@code checkAt}
   * (System.nanoTime), and null once closed.
   */
  List<Job> next(int max, long checkAt) throws InterruptedException {
    long holdStart = 0;
    boolean burst = false;
    while (true) {
      synchronized (lock) {
        while (pending.isEmpty() && checks.isEmpty() && !closed) {
          long left = checkAt - System.nanoTime();
          if (left <= 0) return List.of();
          lock.wait(Math.max(1, left / 1_000_000));
        }
        if (closed) return null;
        if (!pending.isEmpty()) {
          if (!settle()) return null;
          burst = burst || pending.size() >= LARGE_BURST || lastOffer - previousOffer < QUIET.toNanos();
        }
      }
      long now = System.nanoTime();
      if (holdStart == 0) holdStart = now;
      // a lone change in a quiet period is never a catch-up: asking the node (a follower with no fresh word from
      // the leader answers yes until it has some) would only delay it
      if (burst && now - holdStart < MAX_HOLD.toNanos() && catchingUp.getAsBoolean()) {
        if (!pause(QUIET)) return null;
        continue;
      }
      synchronized (lock) {
        if (closed) return null;
        List<Job> batch = new ArrayList<>(Math.min(max, pending.size() + checks.size()));
        for (Map<Alias, Job> q : List.of(pending, checks)) {
          Iterator<Job> it = q.values().iterator();
          while (it.hasNext() && batch.size() < max) {
            batch.add(it.next());
            it.remove();
          }
        }
        inFlight = batch.size();
        return batch;
      }
    }
  }

  /**
   * Waits until the burst is over: a lone change waits only {@link #FIRST_WAIT}. Called holding the lock; false
   * when closed.
   */
  private boolean settle() throws InterruptedException {
    long deadline = System.nanoTime() + MAX_SETTLE.toNanos();
    long firstUntil = lastOffer + FIRST_WAIT.toNanos();
    while (!closed) {
      long now = System.nanoTime();
      boolean burst = lastOffer - previousOffer < QUIET.toNanos();
      // many clusters at once is a catch-up or a mass failover: raft may deliver the rest a few hundred ms later
      long quiet = (pending.size() >= LARGE_BURST ? LONG_QUIET : QUIET).toNanos();
      long until = Math.min(burst ? lastOffer + quiet : firstUntil, deadline);
      if (now >= until) return true;
      lock.wait(Math.max(1, (until - now) / 1_000_000));
    }
    return false;
  }

  /** The jobs handed out last were written. */
  void done() {
    synchronized (lock) {
      inFlight = 0;
      lock.notifyAll();
    }
  }

  /** The jobs handed out last failed: they go back in front, except where newer work came for a cluster meanwhile. */
  void putBack(List<Job> batch) {
    synchronized (lock) {
      Map<Alias, Job> queued = new LinkedHashMap<>(pending);
      Map<Alias, Job> queuedChecks = new LinkedHashMap<>(checks);
      pending.clear();
      checks.clear();
      for (Job j : batch) queue(j);
      for (Job j : queued.values()) queue(j);
      for (Job j : queuedChecks.values()) queue(j);
      inFlight = 0;
    }
  }

  /** Waits, returning early (false) when closed. */
  boolean pause(Duration d) throws InterruptedException {
    long until = System.nanoTime() + d.toNanos();
    synchronized (lock) {
      while (!closed) {
        long left = until - System.nanoTime();
        if (left <= 0) return true;
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return false;
    }
  }

  /** Wakes every waiter; {@link #next} returns null from now on. True for the call that closed it. */
  boolean close() {
    synchronized (lock) {
      if (closed) return false;
      closed = true;
      lock.notifyAll();
      return true;
    }
  }
}
