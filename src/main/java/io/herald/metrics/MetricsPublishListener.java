package io.herald.metrics;

import io.herald.kv.WriteOutcome;
import io.herald.publish.PublishListener;
import io.herald.publish.StoreStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Publishing metrics for Prometheus: per store, the latency of store writes, failed calls (retries), clusters by
 * outcome, and gauges of pending work, epoch lag and health.
 */
public final class MetricsPublishListener implements PublishListener {
  private final MeterRegistry registry;
  private final Map<String, StoreMeters> byStore = new ConcurrentHashMap<>();

  public MetricsPublishListener(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the gauges of one store, read from its publisher's status. */
  public void watch(String store, Supplier<StoreStatus> status) {
    Gauge.builder("herald.store.pending", () -> status.get().pending()).tag("store", store)
        .description("clusters waiting to be written to or checked against the store").register(registry);
    Gauge.builder("herald.store.epoch.lag", () -> status.get().epochLag()).tag("store", store)
        .description("largest epoch difference between desired and delivered over pending clusters").register(registry);
    Gauge.builder("herald.store.healthy", () -> status.get().healthy() ? 1 : 0).tag("store", store)
        .description("1 when the store's last call succeeded").register(registry);
    Gauge.builder("herald.store.blocked.clusters", () -> status.get().blocked().size()).tag("store", store)
        .description("clusters the store holds at a newer epoch than Herald's: not published there until take-over")
        .register(registry);
  }

  @Override
  public void onWrite(String store, Map<WriteOutcome, Integer> outcomes, Duration took) {
    StoreMeters m = meters(store);
    m.publish.record(took);
    for (var e : outcomes.entrySet()) m.clusters.get(e.getKey()).increment(e.getValue());
  }

  @Override
  public void onFailure(String store, Exception error, Duration took) {
    meters(store).retries.increment();
  }

  /** One store's meters, built on its first write rather than looked up in the registry on every one. */
  private StoreMeters meters(String store) {
    return byStore.computeIfAbsent(store, s -> new StoreMeters(registry, s));
  }

  private static final class StoreMeters {
    final Timer publish;
    final Counter retries;
    final Map<WriteOutcome, Counter> clusters = new EnumMap<>(WriteOutcome.class);

    StoreMeters(MeterRegistry registry, String store) {
      publish = Timer.builder("herald.publish").tag("store", store).description("latency of one store write call")
          .publishPercentileHistogram().register(registry);
      retries = Counter.builder("herald.publish.retries").tag("store", store)
          .description("failed store calls, each retried").register(registry);
      for (WriteOutcome o : WriteOutcome.values()) {
        clusters.put(o, Counter.builder("herald.publish.clusters").tag("store", store)
            .tag("outcome", o.name().toLowerCase())
            .description("clusters a store write call handled, by outcome (written, unchanged, stale, ...)").register(registry));
      }
    }
  }
}
