package io.herald.raft;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis' metric registries as Herald runs them: counters count, timers and gauges keep nothing. Ratis updates a
 * timer (a Dropwizard histogram behind a lock) on every request, append, flush and apply, which nothing in Herald
 * reads (Herald's own metrics are on {@code /metrics}; Ratis' were never reported). Ratis finds this class through
 * {@code META-INF/services/org.apache.ratis.metrics.MetricRegistries}, so it must stay public with a public
 * no-argument constructor.
 */
public final class CountsOnlyRatisMetrics extends MetricRegistries {
  private final ConcurrentHashMap<MetricRegistryInfo, Registry> registries = new ConcurrentHashMap<>();

  @Override
  public void clear() {
    registries.clear();
  }

  @Override
  public RatisMetricRegistry create(MetricRegistryInfo info) {
    return registries.computeIfAbsent(info, Registry::new);
  }

  @Override
  public boolean remove(MetricRegistryInfo info) {
    return registries.remove(info) != null;
  }

  @Override
  public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
    return Optional.ofNullable(registries.get(info));
  }

  @Override
  public Set<MetricRegistryInfo> getMetricRegistryInfos() {
    return Set.copyOf(registries.keySet());
  }

  @Override
  public Collection<RatisMetricRegistry> getMetricRegistries() {
    return List.copyOf(registries.values());
  }

  @Override
  public void addReporterRegistration(Consumer<RatisMetricRegistry> start, Consumer<RatisMetricRegistry> stop) {
    // nothing to report
  }

  @Override
  public void enableJmxReporter() {
    // nothing to report
  }

  @Override
  public void enableConsoleReporter(TimeDuration period) {
    // nothing to report
  }

  /** One component's metrics: its counters; timers time nothing, gauges are not kept. */
  private static final class Registry implements RatisMetricRegistry {
    private static final Timekeeper.Context STOPPED = () -> 0;
    private static final Timekeeper UNTIMED = () -> STOPPED;

    private final MetricRegistryInfo info;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    Registry(MetricRegistryInfo info) {
      this.info = info;
    }

    @Override
    public Timekeeper timer(String name) {
      return UNTIMED;
    }

    @Override
    public LongCounter counter(String name) {
      return counters.computeIfAbsent(name, n -> new Counter());
    }

    @Override
    public boolean remove(String name) {
      return counters.remove(name) != null;
    }

    @Override
    public <T> void gauge(String name, Supplier<Supplier<T>> gauge) {
      // not kept: a gauge is read only by a reporter
    }

    @Override
    public MetricRegistryInfo getMetricRegistryInfo() {
      return info;
    }
  }

  private static final class Counter implements LongCounter {
    private final LongAdder count = new LongAdder();

    @Override
    public void inc(long n) {
      count.add(n);
    }

    @Override
    public void dec(long n) {
      count.add(-n);
    }

    @Override
    public long getCount() {
      return count.sum();
    }
  }
}
