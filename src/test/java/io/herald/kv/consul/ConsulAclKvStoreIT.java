package io.herald.kv.consul;

import io.herald.kv.KvStore;
import io.herald.kv.KvStoreContract;
import io.herald.cluster.Secret;
import io.herald.testing.TestServers;
import java.time.Duration;
import java.util.Optional;

/** The store contract against a Consul datacenter with ACLs on (default deny), using a token that may write. */
class ConsulAclKvStoreIT extends KvStoreContract {
  private final RawConsul raw = new RawConsul(TestServers.consulAclDc1(), Optional.of(TestServers.consulAclToken()));

  @Override
  protected KvStore newStore() {
    return new ConsulKvStore("consul-acl", new ConsulOptions(TestServers.consulAclDc1(), "http",
        Optional.of(new Secret(TestServers.consulAclToken())), true, 64, false, Optional.empty(), false,
        Duration.ofSeconds(5)));
  }

  @Override
  protected void tamper(String key, String value) throws Exception {
    raw.set(key, value);
  }
}
