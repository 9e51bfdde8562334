package io.herald.bench;

import io.herald.kv.KvStore;
import io.herald.kv.consul.ConsulKvStore;
import io.herald.kv.consul.ConsulOptions;
import io.herald.kv.etcd.EtcdKvStore;
import io.herald.kv.etcd.EtcdOptions;
import io.herald.kv.zookeeper.ZooKeeperKvStore;
import io.herald.kv.zookeeper.ZooKeeperOptions;
import io.herald.testing.InProcessNode;
import io.herald.testing.MariaDbLab;
import io.herald.testing.TestServers;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Time from a switchover made by hand on real MariaDB servers (the last statement of orchestrator's graceful
 * sequence) until the new master is visible in etcd, ZooKeeper and Consul, over a number of switchovers back and
 * forth between two servers, with {@code InstancePollSeconds} 1, each started at a random point of the poll cycle. Target: under 2 x InstancePollSeconds + 100 ms.
 */
final class SwitchoverBench {
  private final PrintStream out;
  private final int switchovers;

  SwitchoverBench(PrintStream out, int switchovers) {
    this.out = out;
    this.switchovers = switchovers;
  }

  void run() throws Exception {
    String prefix = TestServers.uniquePrefix("swbench");
    List<KvStore> stores = List.of(new EtcdKvStore("etcd", EtcdOptions.plain(TestServers.etcd())),
        new ZooKeeperKvStore("zookeeper", ZooKeeperOptions.plain(TestServers.zookeeper())),
        new ConsulKvStore("consul", ConsulOptions.plain(TestServers.consul(), true)));
    Path dir = Files.createTempDirectory("herald-swbench");
    try (MariaDbLab lab = MariaDbLab.start(25300, 3, "2->1, 3->1")) {
      for (KvStore s : stores) s.start();
      try (InProcessNode node = InProcessNode.start(dir, "\"KVClusterMasterPrefix\": \"" + prefix + "\", \"ZkAddress\": \""
          + TestServers.zookeeper() + "\", \"EtcdEndpoints\": \"" + TestServers.etcd() + "\", \"ConsulAddress\": \""
          + TestServers.consul() + "\", \"ConsulKVStoreProvider\": \"consul-txn\", \"MySQLTopologyUser\": \"herald\", "
          + "\"MySQLTopologyPassword\": \"" + lab.password(MariaDbLab.Login.HERALD).value() + "\", \"InstancePollSeconds\": 1, "
          + "\"DiscoverySeeds\": [\"" + lab.address(1) + "\"], \"DetectClusterAliasQuery\": \"SELECT 'swbench'\"")) {
        String key = prefix + "/swbench";
        StoreWait.awaitAll(stores, key, lab.address(1).toString(), 30_000);
        Latencies visible = new Latencies();
        int master = 1;
        java.util.Random phase = new java.util.Random(42);
        for (int i = 0; i < switchovers; i++) {
          int next = master == 1 ? 2 : 1;
          // a real switchover comes at any point of the poll cycle, not right after the last publish
          Thread.sleep(phase.nextInt(1000));
          lab.switchover(master, next, 3);
          long done = System.nanoTime();
          StoreWait.awaitAll(stores, key, lab.address(next).toString(), 10_000);
          visible.add(System.nanoTime() - done);
          master = next;
        }
        out.printf("switchover: %d manual switchovers, last step to new master in etcd, ZooKeeper and Consul: %s%n",
            switchovers, visible.summary());
        double target = 2 * 1000 + 100;
        out.printf("  target p50 and max < 2 x InstancePollSeconds + 100 ms = %.0f ms: p50 %s, max %s%n", target,
            visible.millis(50) < target ? "MET" : "MISSED", visible.millis(100) < target ? "MET" : "MISSED");
      }
    } finally {
      for (KvStore s : stores) s.close();
    }
  }

}
