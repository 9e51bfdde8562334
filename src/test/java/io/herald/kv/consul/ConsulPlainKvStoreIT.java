package io.herald.kv.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.kv.KvStore;
import io.herald.kv.KvStoreContract;
import io.herald.testing.TestServers;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The store contract against the Consul dev agent, one PUT per key as orchestrator's {@code consul} provider. */
class ConsulPlainKvStoreIT extends KvStoreContract {
  private final RawConsul raw = new RawConsul(TestServers.consul(), Optional.empty());

  @Override
  protected KvStore newStore() {
    return new ConsulKvStore("consul", ConsulOptions.plain(TestServers.consul(), false));
  }

  @Override
  protected void tamper(String key, String value) throws Exception {
    raw.set(key, value);
  }

  @Test
  void kindIsConsul() {
    assertThat(store.kind()).isEqualTo("consul");
  }
}
