package io.herald.publish;

import java.time.Duration;
import java.util.Objects;

/**
 * How publishers retry and batch.
 *
 * @param retryMin the first retry delay after a failed write; doubled on each failure
 * @param retryMax the cap of the retry delay
 * @param batchSize how many clusters one store call carries at most
 * @param antiEntropyInterval how often every store is read back and repaired ({@code KVAntiEntropySeconds})
 * @param healthCheckInterval how long a store may go without a call before one read checks that it still answers
 *     ({@code KVHealthCheckSeconds}), so that an idle store's health is never older than this
 */
public record PublishOptions(Duration retryMin, Duration retryMax, int batchSize, Duration antiEntropyInterval,
    Duration healthCheckInterval) {
  public PublishOptions {
    Objects.requireNonNull(retryMin, "retryMin");
    Objects.requireNonNull(retryMax, "retryMax");
    Objects.requireNonNull(antiEntropyInterval, "antiEntropyInterval");
    Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
    if (healthCheckInterval.isNegative() || healthCheckInterval.isZero()) {
      throw new IllegalArgumentException("healthCheckInterval must be positive");
    }
    if (retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
      throw new IllegalArgumentException("retry delays must satisfy 0 < min <= max");
    }
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive");
  }

  public static PublishOptions defaults() {
    return new PublishOptions(Duration.ofMillis(100), Duration.ofSeconds(10), 1000, Duration.ofSeconds(60),
        Duration.ofSeconds(10));
  }
}
