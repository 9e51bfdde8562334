package io.herald.publish;

import io.herald.cluster.Alias;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A delivery log for stores that do not outlive the process (the internal store). */
public final class MemoryDeliveryLog implements DeliveryLog {
  private final Map<Alias, Delivered> delivered = new ConcurrentHashMap<>();

  @Override
  public Delivered get(Alias alias) {
    return delivered.getOrDefault(alias, Delivered.NOTHING);
  }

  @Override
  public void record(Map<Alias, Delivered> deliveries) {
    delivered.putAll(deliveries);
  }

  @Override
  public void close() {}
}
