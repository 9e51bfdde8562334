package io.herald;

import io.herald.config.HeraldConfig;
import io.herald.kv.KvStore;
import io.herald.kv.consul.ConsulKvStore;
import io.herald.kv.etcd.EtcdKvStore;
import io.herald.kv.zookeeper.ZooKeeperKvStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the external stores a node's configuration names, each only when configured, in orchestrator's order
 * (ZooKeeper, then Consul), plus etcd. No I/O: stores connect when their publisher starts them.
 */
final class StoreFactory {
  List<KvStore> build(HeraldConfig config) {
    List<KvStore> stores = new ArrayList<>();
    config.zookeeper().ifPresent(o -> stores.add(new ZooKeeperKvStore("zookeeper", o)));
    config.consul().ifPresent(o -> stores.add(new ConsulKvStore("consul", o)));
    config.etcd().ifPresent(o -> stores.add(new EtcdKvStore("etcd", o)));
    return stores;
  }
}
