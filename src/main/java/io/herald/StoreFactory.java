package io.herald;

import io.herald.config.HeraldConfig;
import io.herald.kv.KvStore;
import java.util.ArrayList;
import java.util.List;

/** Builds the external stores a node's configuration names (each only when configured). No I/O. */
final class StoreFactory {
  List<KvStore> build(HeraldConfig config) {
    List<KvStore> stores = new ArrayList<>();
    return stores;
  }
}
