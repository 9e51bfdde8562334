package io.herald.publish;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KeyLayout;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import io.herald.publish.PendingWork.Job;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one store in line with the desired state, on its own thread, so that a slow or dead store never blocks
 * the raft group or the other stores.
 *
 * <p>Work waits in a {@link PendingWork}, keyed by cluster, so a store coming back after an outage gets each
 * cluster's final entries once, and a catch-up writes only its final state. A cluster is skipped when the
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
  /** Read by health checks: a key no consumer uses; absent or present, an answer is what counts. */
  private static final Alias HEALTH_CHECK = Alias.of("herald-health-check");

  private final KvStore store;
  private final KeyLayout layout;
  private final DeliveryLog delivered;
  private final PublishOptions options;
  private final PublishListener listener;
  private final Clock clock;
  private final Thread thread;
  private final PendingWork work;
  private final LongSupplier epochBound;
  /** Publisher thread only: when (System.nanoTime) an idle store gets its next health check; the first is at once. */
  private long nextCheck = System.nanoTime();
  /** Publisher thread only: when (System.nanoTime) the store's outage began; 0 while it answers. */
  private long downSince;
  /** Publisher thread only: how long the store was down, while its backlog is being written; null otherwise. */
  private Duration backAfter;
  /** Publisher thread only: clusters written since the store came back. */
  private int rewrote;

  /** False until the first call succeeds: a store never reached is not reported healthy. */
  private volatile boolean healthy;
  private volatile Instant lastSuccess;
  private volatile String lastError;
  private volatile long written;
  private volatile long retries;
  /** Clusters the store holds at a newer epoch; written by the publisher thread, read by status(). */
  private final Map<Alias, BlockedCluster> blocked = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param catchingUp true while the node is known to be behind the group: a burst of work waits (up to 30 s) so
   *     that only the final entries of a catch-up reach the store; must not block for long
   * @param epochBound the highest epoch the group can have issued so far ({@link Long#MAX_VALUE} when unknown): a
   *     delivery record beyond it cannot be true (a damaged file, or a group rebuilt since), so its cluster is
   *     re-checked against the store rather than taken as delivered; must not block
   */
  public StorePublisher(KvStore store, KeyLayout layout, DeliveryLog delivered, PublishOptions options,
      PublishListener listener, Clock clock, BooleanSupplier catchingUp, LongSupplier epochBound) {
    this.work = new PendingWork(catchingUp);
    this.epochBound = epochBound;
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

  /** Queues clusters whose desired entries may differ from what the store was given. */
  public void offer(Collection<Cluster> clusters) {
    work.add(clusters, false);
  }

  /** Queues clusters to be read back from the store and repaired if they drifted (anti-entropy). */
  public void verify(Collection<Cluster> clusters) {
    work.add(clusters, true);
  }

  /** True when nothing is queued or being written. */
  public boolean idle() {
    return work.idle();
  }

  public StoreStatus status() {
    return new StoreStatus(store.name(), store.kind(), store.address(), healthy, Optional.ofNullable(lastSuccess),
        Optional.ofNullable(lastError), work.count(), work.epochLag(a -> delivered.get(a).epoch()), written, retries,
        blocked.values().stream().sorted(java.util.Comparator.comparing(BlockedCluster::alias)).toList());
  }

  private void run() {
    boolean started = false;
    int failures = 0;
    while (true) {
      List<Job> batch;
      try {
        batch = work.next(options.batchSize(), nextCheck); // empty: idle for a while, check the store answers
      } catch (InterruptedException e) {
        return; // close() interrupts a thread that does not stop in time
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
        int wrote = 0;
        if (batch.isEmpty()) {
          store.get(layout.masterKey(HEALTH_CHECK));
        } else {
          wrote = publish(batch);
        }
        work.done();
        if (wrote != NOT_CALLED) { // a batch the delivery log already covers says nothing about the store's health
          failures = 0;
          healthy = true;
          lastSuccess = clock.instant();
          nextCheck = System.nanoTime() + options.healthCheckInterval().toNanos();
          answered(wrote);
        }
      } catch (KvStoreException | IOException | RuntimeException e) {
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        work.putBack(batch);
        if (downSince == 0) downSince = backAfter == null ? t0 : System.nanoTime() - backAfter.toNanos();
        backAfter = null;
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

  /**
   * After a call the store answered: once a store that was down has been given its backlog, says so at INFO with
   * how long it was down and how many clusters it was rewritten.
   */
  private void answered(int wrote) {
    if (downSince != 0) {
      backAfter = Duration.ofNanos(System.nanoTime() - downSince);
      downSince = 0;
      rewrote = 0;
    }
    if (backAfter == null) return;
    rewrote += wrote;
    if (work.count() > 0) return; // the rest of the backlog is still queued
    LOG.info("store {}: back after {} s; rewrote {} clusters", store.name(), seconds(backAfter), rewrote);
    backAfter = null;
  }

  private static final int NOT_CALLED = -1;

  /** For a log line: "0.4", "9.7", then whole seconds. */
  static String seconds(Duration d) {
    return d.toMillis() < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0)
        : Long.toString(d.toSeconds());
  }

  /**
   * Writes what the delivery log does not cover; returns how many clusters the store took, or {@link #NOT_CALLED}
   * when there was nothing to write, so the store was not called.
   */
  private int publish(List<Job> batch) throws KvStoreException, IOException {
    List<ClusterEntries> entries = new ArrayList<>(batch.size());
    Map<Alias, Cluster> byAlias = new HashMap<>();
    long bound = epochBound.getAsLong();
    List<Alias> implausible = new ArrayList<>();
    java.util.Set<Alias> checkOnly = new java.util.HashSet<>(); // anti-entropy checks of what the store should already hold
    for (Job j : batch) {
      Cluster c = j.cluster();
      Delivered known = delivered.get(c.alias());
      if (known.epoch() > bound) {
        implausible.add(c.alias());
      } else if (known.covers(c.epoch(), c.submitted())) {
        if (!j.verify()) continue;
        checkOnly.add(c.alias());
      }
      entries.add(layout.entries(c));
      byAlias.put(c.alias(), c);
    }
    if (!implausible.isEmpty()) {
      LOG.warn("store {}: the delivery log records epochs beyond any this group has issued ({}) for {} clusters ({});"
          + " re-checking them against the store", store.name(), bound, implausible.size(), capped(implausible));
    }
    if (entries.isEmpty()) return NOT_CALLED;
    long t0 = System.nanoTime();
    Map<Alias, WriteOutcome> outcomes = store.write(entries);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Map<Alias, Delivered> done = new HashMap<>();
    Map<WriteOutcome, Integer> counts = new EnumMap<>(WriteOutcome.class);
    List<Alias> repaired = new ArrayList<>();
    for (var e : outcomes.entrySet()) {
      Cluster c = byAlias.get(e.getKey());
      if (c == null) continue;
      counts.merge(e.getValue(), 1, Integer::sum);
      if (e.getValue() == WriteOutcome.STALE) {
        // not delivered: the store keeps a master Herald did not publish; re-checked at every pass until resolved
        block(c);
        continue;
      }
      blocked.remove(c.alias());
      if (e.getValue() == WriteOutcome.WRITTEN && checkOnly.contains(c.alias())) repaired.add(c.alias());
      Delivered now = new Delivered(c.epoch(), c.submitted());
      if (!now.equals(delivered.get(c.alias()))) done.put(c.alias(), now); // a re-check changes nothing to record
    }
    delivered.record(done);
    int wrote = counts.getOrDefault(WriteOutcome.WRITTEN, 0);
    written += wrote;
    listener.onWrite(store.name(), counts, took);
    LOG.debug("store {}: {} in {} ms", store.name(), counts, took.toMillis());
    if (!repaired.isEmpty()) {
      repaired.sort(null);
      LOG.info("store {}: anti-entropy repaired {} clusters (keys differed or were deleted): {}", store.name(),
          repaired.size(), capped(repaired));
    }
    return wrote;
  }

  /**
   * The store holds the cluster at a newer epoch than this node's: it is blocked, and an operator must see it (a
   * lagging node's copy catches up through raft and unblocks itself; a foreign or rebuilt-group epoch never does).
   */
  private void block(Cluster c) {
    OptionalLong storeEpoch = OptionalLong.empty();
    try {
      Optional<String> v = store.get(layout.epochKey(c.alias()));
      if (v.isPresent()) storeEpoch = OptionalLong.of(Long.parseLong(v.get().trim()));
    } catch (KvStoreException | NumberFormatException e) {
      LOG.debug("store {}: epoch of {} unreadable: {}", store.name(), c.alias(), e.toString());
    }
    BlockedCluster before = blocked.get(c.alias());
    if (before != null && before.desiredEpoch() == c.epoch() && before.storeEpoch().equals(storeEpoch)) return;
    blocked.put(c.alias(), new BlockedCluster(c.alias(), c.epoch(), storeEpoch, clock.instant()));
    LOG.warn("cluster {}: store {} holds it at epoch {}, newer than Herald's {}: its master there is not Herald's {}; "
        + "if no newer Herald change is on its way, 'herald take-over {}' publishes Herald's master above that epoch",
        c.alias(), store.name(), storeEpoch.isPresent() ? storeEpoch.getAsLong() : "(unreadable)", c.epoch(),
        c.master().address(), c.alias());
  }

  /** At most {@link #LISTED} aliases, for a log line. */
  static String capped(List<Alias> aliases) {
    String shown = String.join(", ", aliases.stream().limit(LISTED).map(Alias::value).toList());
    return aliases.size() > LISTED ? shown + ", ... (" + (aliases.size() - LISTED) + " more)" : shown;
  }

  private static final int LISTED = 10;

  private Duration backoff(int failures, boolean retryable) {
    if (!retryable) return options.retryMax();
    long min = options.retryMin().toMillis();
    long capped = Math.min(options.retryMax().toMillis(), min << Math.min(failures - 1, 20));
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, capped / 5));
    return Duration.ofMillis(Math.min(options.retryMax().toMillis(), capped + jitter));
  }

  /** Waits, returning early (false) when closed. */
  private boolean pause(Duration d) {
    try {
      return work.pause(d);
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Stops the thread (waiting up to 5 s), then closes the store and the delivery log. */
  @Override
  public void close() {
    if (!work.close()) return;
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
