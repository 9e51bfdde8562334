package io.herald.kv;

import io.herald.kv.internal.InternalKvStore;

/** The internal store passes the same contract as the external ones. */
class InternalKvStoreTest extends KvStoreContract {
  private InternalKvStore shared;

  @Override
  protected KvStore newStore() {
    // every instance built by one test shares the data, as two writers to one server would
    if (shared == null) shared = new InternalKvStore();
    return new SharedView(shared);
  }

  @Override
  protected void tamper(String key, String value) {
    shared.putRaw(key, value);
  }

  /** Two handles on one internal store: close() of one leaves the data alone. */
  private record SharedView(InternalKvStore delegate) implements KvStore {
    public String name() { return delegate.name(); }
    public String kind() { return delegate.kind(); }
    public String address() { return delegate.address(); }
    public void start() { delegate.start(); }
    public java.util.Map<io.herald.cluster.Alias, WriteOutcome> write(java.util.List<io.herald.cluster.ClusterEntries> b) { return delegate.write(b); }
    public java.util.Optional<String> get(String key) { return delegate.get(key); }
    public void close() {}
  }
}
