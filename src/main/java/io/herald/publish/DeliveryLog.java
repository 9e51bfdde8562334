package io.herald.publish;

import io.herald.cluster.Alias;
import java.io.IOException;
import java.util.Map;

/**
 * Remembers, per cluster, what a store is known to hold, so that a restart or a replay of the raft log writes
 * nothing that the store already has. Used by one publisher thread; implementations need not be thread-safe
 * beyond that, except {@link #get} which status readers may call.
 */
public interface DeliveryLog extends AutoCloseable {
  Delivered get(Alias alias);

  /** Records deliveries; durable when this returns (for durable logs). */
  void record(Map<Alias, Delivered> deliveries) throws IOException;

  @Override
  void close() throws IOException;
}
