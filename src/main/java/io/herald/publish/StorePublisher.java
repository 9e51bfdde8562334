package io.herald.publish;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KeyLayout;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one store in line with the desired state, on its own thread, so that a slow or dead store never blocks
 * the raft group or the other stores.
 *
 * <p>Work is keyed by cluster: offering a cluster again before it was written replaces the older work, so a store
 * coming back after an outage gets each cluster's final entries once. A cluster is skipped when the
 * {@link DeliveryLog} shows the store already has its epoch (and was checked for its last submit request); otherwise
 * it goes to {@link KvStore#write}, which is forward-only. A failed call is retried with capped exponential backoff
 * until the store takes it; nothing is dropped. A store with no call for {@link PublishOptions#healthCheckInterval}
 * gets one read, so that its reported health is never older than that, even when no master changes.
 *
 * <p>Thread-safe: {@link #offer}, {@link #verify} and {@link #status} may be called from any thread and never block
 * on I/O.
 */
public final class StorePublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorePublisher.class);
  /** A lone change is written this long after it arrives (a burst shows itself within it). */
  private static final Duration FIRST_WAIT = Duration.ofMillis(2);
  /** A burst is over when no change arrived for this long. */
  private static final Duration QUIET = Duration.ofMillis(15);
  /** A burst of at least this many clusters waits {@link #LONG_QUIET} for the rest. */
  private static final int LARGE_BURST = 50;
  private static final Duration LONG_QUIET = Duration.ofMillis(500);
  /** However long a burst lasts, writing starts after this. */
  private static final Duration MAX_SETTLE = Duration.ofSeconds(2);
  /** However far behind the node is, writing starts after this. */
  private static final Duration MAX_HOLD = Duration.ofSeconds(30);
  private static final long QUIET_START = Duration.ofSeconds(1).toNanos();
  /** Read by health checks: a key no consumer uses; absent or present, an answer is what counts. */
  private static final Alias HEALTH_CHECK = Alias.of("herald-health-check");

  private final KvStore store;
  private final KeyLayout layout;
  private final DeliveryLog delivered;
  private final PublishOptions options;
  private final PublishListener listener;
  private final Clock clock;
  private final Thread thread;
  private final BooleanSupplier catchingUp;

  private final Object lock = new Object();
  /** Guarded by lock: the newest work per cluster, oldest first. */
  private final Map<Alias, Job> pending = new LinkedHashMap<>();
  /** Guarded by lock. */
  private boolean closed;
  /** Guarded by lock: when the last two offers came (System.nanoTime), to tell a burst from a lone change. */
  private long lastOffer = System.nanoTime() - QUIET_START;
  private long previousOffer = lastOffer - QUIET_START;
  /** Guarded by lock: a batch is being written (taken out of pending). */
  private int inFlight;
  /** Publisher thread only: when (System.nanoTime) an idle store gets its next health check; the first is at once. */
  private long nextCheck = System.nanoTime();

  /** False until the first call succeeds: a store never reached is not reported healthy. */
  private volatile boolean healthy;
  private volatile Instant lastSuccess;
  private volatile String lastError;
  private volatile long written;
  private volatile long retries;

  private record Job(Cluster cluster, boolean verify) {
    Job newest(Job other) {
      int c = compare(cluster, other.cluster);
      if (c != 0) return c > 0 ? this : other;
      return verify || !other.verify ? this : other;
    }

    static int compare(Cluster a, Cluster b) {
      int c = Long.compare(a.epoch(), b.epoch());
      return c != 0 ? c : Long.compare(a.submitted(), b.submitted());
    }
  }

  public StorePublisher(KvStore store, KeyLayout layout, DeliveryLog delivered, PublishOptions options,
      PublishListener listener, Clock clock) {
    this(store, layout, delivered, options, listener, clock, () -> false);
  }

  /**
   * @param catchingUp true while the node is known to be behind the group: writing waits (up to
   *     {@link #MAX_HOLD}) so that only the final entries of a catch-up reach the store; must not block
   */
  public StorePublisher(KvStore store, KeyLayout layout, DeliveryLog delivered, PublishOptions options,
      PublishListener listener, Clock clock, BooleanSupplier catchingUp) {
    this.catchingUp = catchingUp;
    this.store = store;
    this.layout = layout;
    this.delivered = delivered;
    this.options = options;
    this.listener = listener;
    this.clock = clock;
    this.thread = new Thread(this::run, "publish-" + store.name());
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public String storeName() {
    return store.name();
  }

  /** Queues clusters whose desired entries may differ from what the store was given. */
  public void offer(Collection<Cluster> clusters) {
    enqueue(clusters, false);
  }

  /** Queues clusters to be read back from the store and repaired if they drifted (anti-entropy). */
  public void verify(Collection<Cluster> clusters) {
    enqueue(clusters, true);
  }

  private void enqueue(Collection<Cluster> clusters, boolean verify) {
    if (clusters.isEmpty()) return;
    synchronized (lock) {
      for (Cluster c : clusters) pending.merge(c.alias(), new Job(c, verify), Job::newest);
      previousOffer = lastOffer;
      lastOffer = System.nanoTime();
      lock.notifyAll();
    }
  }

  /** True when nothing is queued or being written. */
  public boolean idle() {
    synchronized (lock) {
      return pending.isEmpty() && inFlight == 0;
    }
  }

  public StoreStatus status() {
    int count;
    long lag = 0;
    synchronized (lock) {
      count = pending.size() + inFlight;
      for (Job j : pending.values()) lag = Math.max(lag, j.cluster.epoch() - delivered.get(j.cluster.alias()).epoch());
    }
    return new StoreStatus(store.name(), store.kind(), store.address(), healthy, Optional.ofNullable(lastSuccess),
        Optional.ofNullable(lastError), count, Math.max(0, lag), written, retries);
  }

  private void run() {
    boolean started = false;
    int failures = 0;
    while (true) {
      List<Job> batch;
      try {
        batch = take();
      } catch (RuntimeException e) {
        // never let the thread die: a dead publisher would silently stop this store's updates
        LOG.error("store {}: publisher failed while waiting for work; continuing", store.name(), e);
        if (!pause(options.retryMax())) return;
        continue;
      }
      if (batch == null) return;
      long t0 = System.nanoTime();
      String what = batch.isEmpty() ? "health check" : "write of " + batch.size() + " clusters";
      try {
        if (!started) {
          store.start();
          started = true;
        }
        if (batch.isEmpty()) {
          store.get(layout.masterKey(HEALTH_CHECK));
        } else {
          publish(batch);
        }
        failures = 0;
        markDone();
        nextCheck = System.nanoTime() + options.healthCheckInterval().toNanos();
      } catch (KvStoreException | IOException | RuntimeException e) {
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        requeue(batch);
        failures++;
        retries++;
        healthy = false;
        lastError = clock.instant() + " " + e.getMessage();
        listener.onFailure(store.name(), e, took);
        boolean retryable = !(e instanceof KvStoreException k) || k.retryable();
        Duration wait = backoff(failures, retryable);
        if (failures == 1 || failures % 20 == 0) {
          if (retryable) {
            LOG.warn("store {}: {} failed ({}), retrying in {} ms (failure {})", store.name(), what, e.getMessage(),
                wait.toMillis(), failures);
          } else {
            LOG.error("store {}: write refused ({}); an operator must fix this; retrying in {} ms", store.name(),
                e.getMessage(), wait.toMillis());
          }
        }
        if (!pause(wait)) return;
      }
    }
  }

  private void publish(List<Job> batch) throws KvStoreException, IOException {
    List<ClusterEntries> entries = new ArrayList<>(batch.size());
    Map<Alias, Cluster> byAlias = new HashMap<>();
    for (Job j : batch) {
      Cluster c = j.cluster;
      if (!j.verify && delivered.get(c.alias()).covers(c.epoch(), c.submitted())) continue;
      entries.add(layout.entries(c));
      byAlias.put(c.alias(), c);
    }
    if (entries.isEmpty()) return;
    long t0 = System.nanoTime();
    Map<Alias, WriteOutcome> outcomes = store.write(entries);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Map<Alias, Delivered> done = new HashMap<>();
    Map<WriteOutcome, Integer> counts = new EnumMap<>(WriteOutcome.class);
    for (var e : outcomes.entrySet()) {
      Cluster c = byAlias.get(e.getKey());
      if (c == null) continue;
      counts.merge(e.getValue(), 1, Integer::sum);
      // STALE: the store has a newer master than this node knows; this node's own copy will catch up via raft
      Delivered now = new Delivered(c.epoch(), c.submitted());
      if (!now.equals(delivered.get(c.alias()))) done.put(c.alias(), now); // a re-check changes nothing to record
      if (e.getValue() == WriteOutcome.STALE) {
        LOG.info("cluster {}: store {} holds a newer epoch than {}; left as it is", c.alias(), store.name(), c.epoch());
      }
    }
    delivered.record(done);
    written += counts.getOrDefault(WriteOutcome.WRITTEN, 0);
    listener.onWrite(store.name(), counts, took);
    LOG.debug("store {}: {} in {} ms", store.name(), counts, took.toMillis());
  }

  /**
   * Waits for work, lets it settle, then takes a batch; an empty batch when the store is due a health check. When the work came as a burst, writing waits while the node
   * is catching up. The node's catch-up state is read without holding the lock: the raft apply thread needs the
   * lock to offer work, and raft may need that thread to answer.
   */
  private List<Job> take() {
    long holdStart = 0;
    boolean burst = false;
    while (true) {
      synchronized (lock) {
        while (pending.isEmpty() && !closed) {
          long left = nextCheck - System.nanoTime();
          if (left <= 0) return List.of(); // idle for a while: check that the store still answers
          try {
            lock.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
          }
        }
        if (closed || !settle()) return null;
        burst = burst || looksLikeBurst();
      }
      long now = System.nanoTime();
      if (holdStart == 0) holdStart = now;
      // a lone change in a quiet period is never a catch-up: asking the node (which may ask the leader) would
      // only delay it
      if (burst && now - holdStart < MAX_HOLD.toNanos() && catchingUp.getAsBoolean()) {
        if (!pause(QUIET)) return null;
        continue;
      }
      synchronized (lock) {
        if (closed) return null;
        List<Job> batch = new ArrayList<>(Math.min(options.batchSize(), pending.size()));
        Iterator<Job> it = pending.values().iterator();
        while (it.hasNext() && batch.size() < options.batchSize()) {
          batch.add(it.next());
          it.remove();
        }
        inFlight = batch.size();
        return batch;
      }
    }
  }

  /**
   * Lets a burst of changes finish arriving before writing, so that a node catching up (a log replay, entries from
   * the leader after a partition, a snapshot install) writes each cluster's final entries once rather than every
   * intermediate master. A lone change waits only {@link #FIRST_WAIT}. Called holding the lock; false when closed.
   */
  private boolean settle() {
    long deadline = System.nanoTime() + MAX_SETTLE.toNanos();
    long firstUntil = lastOffer + FIRST_WAIT.toNanos();
    while (!closed) {
      long now = System.nanoTime();
      boolean burst = lastOffer - previousOffer < QUIET.toNanos();
      // many clusters at once is a catch-up or a mass failover: raft may deliver the rest a few hundred ms later
      long quiet = (pending.size() >= LARGE_BURST ? LONG_QUIET : QUIET).toNanos();
      long until = Math.min(burst ? lastOffer + quiet : firstUntil, deadline);
      if (now >= until) return true;
      try {
        lock.wait(Math.max(1, (until - now) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Called holding the lock: many clusters wait, or the last two offers came close together. */
  private boolean looksLikeBurst() {
    return pending.size() >= LARGE_BURST || lastOffer - previousOffer < QUIET.toNanos();
  }

  private void markDone() {
    healthy = true;
    lastSuccess = clock.instant();
    synchronized (lock) {
      inFlight = 0;
      lock.notifyAll();
    }
  }

  private void requeue(List<Job> batch) {
    synchronized (lock) {
      // newer work offered meanwhile wins; the failed batch goes back in front of it
      Map<Alias, Job> merged = new LinkedHashMap<>();
      for (Job j : batch) merged.put(j.cluster.alias(), j);
      for (var e : pending.entrySet()) merged.merge(e.getKey(), e.getValue(), Job::newest);
      pending.clear();
      pending.putAll(merged);
      inFlight = 0;
    }
  }

  private Duration backoff(int failures, boolean retryable) {
    if (!retryable) return options.retryMax();
    long min = options.retryMin().toMillis();
    long capped = Math.min(options.retryMax().toMillis(), min << Math.min(failures - 1, 20));
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, capped / 5));
    return Duration.ofMillis(Math.min(options.retryMax().toMillis(), capped + jitter));
  }

  /** Waits, returning early (false) when closed. */
  private boolean pause(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    synchronized (lock) {
      while (!closed) {
        long left = until - System.nanoTime();
        if (left <= 0) return true;
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }
  }

  /** Stops the thread (waiting up to 5 s), then closes the store and the delivery log. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) return;
      closed = true;
      lock.notifyAll();
    }
    List<Exception> errors = new ArrayList<>();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) thread.interrupt();
    try {
      store.close();
    } catch (RuntimeException e) {
      errors.add(e);
    }
    try {
      delivered.close();
    } catch (IOException e) {
      errors.add(e);
    }
    if (!errors.isEmpty()) LOG.warn("store {}: closed with errors {}", store.name(), errors);
  }
}
