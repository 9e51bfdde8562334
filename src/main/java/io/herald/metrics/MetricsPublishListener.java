package io.herald.metrics;

import io.herald.kv.WriteOutcome;
import io.herald.publish.PublishListener;
import io.herald.publish.StoreStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Publishing metrics for Prometheus: per store, the latency of store writes, failed calls (retries), clusters by
 * outcome, and gauges of pending work, epoch lag and health.
 */
public final class MetricsPublishListener implements PublishListener {
  private final MeterRegistry registry;

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
  }

  @Override
  public void onWrite(String store, Map<WriteOutcome, Integer> outcomes, Duration took) {
    Timer.builder("herald.publish").tag("store", store).description("latency of one store write call")
        .publishPercentileHistogram().register(registry).record(took);
    for (var e : outcomes.entrySet()) {
      Counter.builder("herald.publish.clusters").tag("store", store).tag("outcome", e.getKey().name().toLowerCase())
          .register(registry).increment(e.getValue());
    }
  }

  @Override
  public void onFailure(String store, Exception error, Duration took) {
    Counter.builder("herald.publish.retries").tag("store", store).description("failed store calls, each retried")
        .register(registry).increment();
  }
}
