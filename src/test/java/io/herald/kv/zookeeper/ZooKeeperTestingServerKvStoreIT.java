package io.herald.kv.zookeeper;

import io.herald.kv.KvStore;
import io.herald.kv.KvStoreContract;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract against Curator's in-process ZooKeeper server. */
class ZooKeeperTestingServerKvStoreIT extends KvStoreContract {
  private static TestingServer server;
  private static PlainZooKeeper plain;

  @BeforeAll
  static void startServer() throws Exception {
    server = LoopbackZooKeeper.start();
    plain = new PlainZooKeeper(server.getConnectString());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (plain != null) plain.close();
    if (server != null) server.close();
  }

  @Override
  protected KvStore newStore() {
    return new ZooKeeperKvStore("zk-testing", ZooKeeperOptions.plain(server.getConnectString()));
  }

  @Override
  protected void tamper(String key, String value) throws Exception {
    plain.put(key, value);
  }
}
