package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.junit.jupiter.api.Test;

class CountsOnlyRatisMetricsTest {
  private static final MetricRegistryInfo INFO = new MetricRegistryInfo("p", "ratis", "server", "test");

  @Test
  void ratisFindsItThroughTheServiceFile() {
    assertThat(MetricRegistries.global()).isInstanceOf(CountsOnlyRatisMetrics.class);
  }

  @Test
  void countersCountAndOneRegistryServesEachComponent() {
    CountsOnlyRatisMetrics registries = new CountsOnlyRatisMetrics();
    RatisMetricRegistry r = registries.create(INFO);
    assertThat(registries.create(INFO)).isSameAs(r);
    LongCounter c = r.counter("appends");
    c.inc();
    c.inc(4);
    c.dec();
    assertThat(r.counter("appends").getCount()).isEqualTo(4);
    assertThat(registries.get(INFO)).containsSame(r);
    assertThat(registries.remove(INFO)).isTrue();
    assertThat(registries.get(INFO)).isEmpty();
  }

  @Test
  void timersAndGaugesKeepNothing() {
    RatisMetricRegistry r = new CountsOnlyRatisMetrics().create(INFO);
    assertThat(r.timer("flush").time().stop()).isZero();
    r.gauge("queue", () -> () -> 1); // accepted and dropped
    assertThat(r.remove("queue")).isFalse();
  }
}
