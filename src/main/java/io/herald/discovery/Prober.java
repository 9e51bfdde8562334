package io.herald.discovery;

import io.herald.cluster.HostPort;
import io.herald.mysql.InstanceReadException;
import io.herald.mysql.InstanceReader;
import io.herald.topology.InstanceState;
import io.herald.topology.Observation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every instance this node knows once per poll interval, on a bounded pool of named threads, and crawls:
 * a probed instance's source and replicas become known too. An instance whose previous probe is still running is
 * skipped, so a hung server holds one thread, never the others. Observations go to {@link Observations}; the
 * {@code onObserved} callback runs after each probe (on the probe thread; it must not block).
 *
 * <p>Lifecycle: construct (no I/O), {@link #start()} once, {@link #close()} (idempotent). Thread-safe.
 */
public final class Prober implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Prober.class);
  private final DiscoveryOptions options;
  private final InstanceReader reader;
  private final Observations observations;
  private final Supplier<Set<HostPort>> groupSeeds;
  private final Supplier<Map<HostPort, Long>> groupForgotten;
  private final Runnable onObserved;
  private final Clock clock;
  /** Instances found by crawling or seeded, with when they were found; probe threads and the tick write. */
  private final Map<HostPort, Instant> known = new ConcurrentHashMap<>();
  private final Set<HostPort> inFlight = ConcurrentHashMap.newKeySet();
  /** Forget requests already acted on (instance -> log index); tick thread only. */
  private final Map<HostPort, Long> forgetsDone = new ConcurrentHashMap<>();
  private final ScheduledExecutorService tick;
  private final ExecutorService probes;
  private volatile boolean closed;

  public Prober(DiscoveryOptions options, InstanceReader reader, Observations observations,
      Supplier<Set<HostPort>> groupSeeds, Supplier<Map<HostPort, Long>> groupForgotten, Runnable onObserved, Clock clock) {
    this.options = options;
    this.reader = reader;
    this.observations = observations;
    this.groupSeeds = groupSeeds;
    this.groupForgotten = groupForgotten;
    this.onObserved = onObserved;
    this.clock = clock;
    this.tick = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(named("discovery-tick", new AtomicInteger()));
    this.probes = new ThreadPoolExecutor(options.maxConcurrentProbes(), options.maxConcurrentProbes(), 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), named("probe-", new AtomicInteger()));
    ((ThreadPoolExecutor) probes).allowCoreThreadTimeOut(true);
  }

  private static java.util.concurrent.ThreadFactory named(String prefix, AtomicInteger n) {
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }

  public void start() {
    long ms = options.pollInterval().toMillis();
    tick.scheduleWithFixedDelay(this::round, 0, ms, TimeUnit.MILLISECONDS);
    LOG.info("discovery: probing every {} ms with up to {} probes at once, seeds {}", ms, options.maxConcurrentProbes(),
        options.seeds());
  }

  /** Probes {@code key} now (a {@code discover} request on this node), besides the regular rounds. */
  public void probeNow(HostPort key) {
    if (!options.probes(key) || closed) return;
    known.putIfAbsent(key, clock.instant());
    submit(key);
  }

  /** Every instance this node currently probes. */
  public Set<HostPort> known() {
    return Set.copyOf(known.keySet());
  }

  private void round() {
    try {
      Instant now = clock.instant();
      for (HostPort s : options.seeds()) if (options.probes(s)) known.putIfAbsent(s, now);
      for (HostPort s : groupSeeds.get()) if (options.probes(s)) known.putIfAbsent(s, now);
      applyForgets();
      dropUnseen(now);
      for (HostPort key : known.keySet()) submit(key);
    } catch (RuntimeException e) {
      LOG.warn("discovery: a probe round failed (the next one retries): {}", e.toString());
    }
  }

  private void applyForgets() {
    for (Map.Entry<HostPort, Long> f : groupForgotten.get().entrySet()) {
      if (f.getValue().equals(forgetsDone.get(f.getKey()))) continue;
      forgetsDone.put(f.getKey(), f.getValue());
      drop(f.getKey(), "forgotten");
    }
  }

  /** Stops probing an instance; its observation goes under the same lock a probe stores it under. */
  private void drop(HostPort key, String why) {
    known.compute(key, (k, since) -> {
      if (since != null) LOG.info("instance {}: {}", k, why);
      observations.remove(k);
      return null;
    });
    reader.forget(key);
  }

  private void dropUnseen(Instant now) {
    Set<HostPort> seeds = Set.copyOf(groupSeeds.get());
    for (Map.Entry<HostPort, Instant> e : known.entrySet()) {
      HostPort key = e.getKey();
      if (seeds.contains(key) || options.seeds().contains(key)) continue;
      Instant seen = observations.get(key).flatMap(Observation::lastSeen).orElse(e.getValue());
      if (Duration.between(seen, now).compareTo(options.unseenForget()) > 0) {
        drop(key, "unseen since " + seen + ", no longer probed (UnseenInstanceForgetHours)");
      }
    }
  }

  private void submit(HostPort key) {
    if (!inFlight.add(key)) return; // the previous probe of this instance is still running
    try {
      probes.execute(() -> probe(key));
    } catch (RejectedExecutionException closing) {
      inFlight.remove(key);
    }
  }

  private void probe(HostPort key) {
    Instant at = clock.instant();
    long t0 = System.nanoTime();
    try {
      Observation o;
      try {
        InstanceState s = reader.read(key);
        o = Observation.of(s, at, Duration.ofNanos(System.nanoTime() - t0));
      } catch (InstanceReadException e) {
        Optional<Observation> previous = observations.get(key);
        o = Observation.failed(key, e.error(), at, Duration.ofNanos(System.nanoTime() - t0), previous);
        if (previous.map(Observation::reachable).orElse(true)) LOG.warn("instance {}: {}", key, e.error().message());
      }
      Optional<Observation> before = observations.get(key);
      // stored only while the instance is still known, atomically with that check: a forget that ran meanwhile
      // must not leave this observation behind (nothing would ever remove it)
      Observation seen = o;
      boolean stored = !closed && known.computeIfPresent(key, (k, since) -> {
        observations.put(seen);
        return since;
      }) != null;
      if (!stored) {
        reader.forget(key); // the read may have opened a connection after the forget closed it
        return;
      }
      if (o.reachable() && before.isPresent() && !before.get().reachable()) LOG.info("instance {}: reachable again", key);
      o.state().ifPresent(this::crawl);
      onObserved.run();
    } catch (RuntimeException e) {
      LOG.warn("instance {}: probe failed unexpectedly: {}", key, e.toString());
    } finally {
      inFlight.remove(key);
    }
  }

  private void crawl(InstanceState s) {
    List<HostPort> found = new ArrayList<>();
    s.replication().ifPresent(r -> {
      if (options.follows(r.source(), false)) found.add(r.source());
    });
    for (HostPort r : s.replicas()) if (options.follows(r, true)) found.add(r);
    for (HostPort f : found) {
      if (known.putIfAbsent(f, clock.instant()) == null) {
        LOG.info("instance {}: discovered from {}", f, s.key());
        submit(f); // at once, so a whole tree is known within one round
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    tick.shutdownNow();
    probes.shutdownNow();
    try {
      if (!probes.awaitTermination(5, TimeUnit.SECONDS)) LOG.warn("discovery: probe threads still running after 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
