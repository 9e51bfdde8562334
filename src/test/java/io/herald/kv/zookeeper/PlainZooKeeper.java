package io.herald.kv.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;

/** A plain Curator client, unauthenticated unless told: what an operator or another tool would use. */
final class PlainZooKeeper implements AutoCloseable {
  private final CuratorFramework client;

  PlainZooKeeper(String connectString) {
    this(connectString, null);
  }

  PlainZooKeeper(String connectString, String digest) {
    var b = CuratorFrameworkFactory.builder().connectString(connectString).retryPolicy(new RetryOneTime(100))
        .connectionTimeoutMs(5000).sessionTimeoutMs(10000);
    if (digest != null) b.authorization("digest", digest.getBytes(StandardCharsets.UTF_8));
    client = b.build();
    client.start();
  }

  /** Writes (value != null) or deletes (value == null) the key's znode. */
  void put(String key, String value) throws Exception {
    String path = "/" + key;
    if (value == null) {
      try {
        client.delete().forPath(path);
      } catch (KeeperException.NoNodeException e) {
        // already absent
      }
    } else if (client.checkExists().forPath(path) == null) {
      client.create().creatingParentsIfNeeded().forPath(path, value.getBytes(StandardCharsets.UTF_8));
    } else {
      client.setData().forPath(path, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  Optional<String> read(String key) throws Exception {
    try {
      return Optional.of(new String(client.getData().forPath("/" + key), StandardCharsets.UTF_8));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  CuratorFramework curator() {
    return client;
  }

  @Override
  public void close() {
    client.close();
  }
}
