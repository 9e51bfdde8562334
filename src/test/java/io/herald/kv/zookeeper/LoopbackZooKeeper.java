package io.herald.kv.zookeeper;

import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/** Curator's in-process ZooKeeper server, listening on a free port of 127.0.0.1 only. */
final class LoopbackZooKeeper {
  private LoopbackZooKeeper() {}

  static TestingServer start() throws Exception {
    var spec = new InstanceSpec(null, InstanceSpec.getRandomPort(), -1, -1, true, -1, -1, -1,
        Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
    return new TestingServer(spec, true);
  }
}
