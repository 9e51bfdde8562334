package io.herald.publish;

import io.herald.cluster.Cluster;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically asks every publisher to read its store back and repair drift and deleted keys. orchestrator only
 * compares against its own internal store; this reads each external store itself.
 */
public final class AntiEntropy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AntiEntropy.class);
  private final Supplier<Collection<Cluster>> desired;
  private final List<StorePublisher> publishers;
  private final Duration interval;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "anti-entropy");
    t.setDaemon(true);
    return t;
  });

  public AntiEntropy(Supplier<Collection<Cluster>> desired, List<StorePublisher> publishers, Duration interval) {
    this.desired = desired;
    this.publishers = List.copyOf(publishers);
    this.interval = interval;
  }

  public void start() {
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One pass: every store re-checks every cluster. Survives its own failures (the next pass runs regardless). */
  public void runOnce() {
    try {
      List<Cluster> all = List.copyOf(desired.get());
      for (StorePublisher p : publishers) {
        if (p.idle()) p.verify(all); // a busy store is already being brought in line
      }
      LOG.debug("anti-entropy: {} clusters queued for checking", all.size());
    } catch (RuntimeException e) {
      LOG.warn("anti-entropy pass failed: {}", e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
  }
}
