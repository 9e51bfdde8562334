package io.herald.bench;

import io.herald.kv.KvStore;
import io.herald.kv.zookeeper.ZooKeeperKvStore;
import io.herald.kv.zookeeper.ZooKeeperOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/**
 * ZooKeeper: the baseline is Curator's {@code create().orSetData().creatingParentsIfNeeded()}, one znode at a time,
 * each awaited. Clean-up pipelines deletes, deepest znodes first, since one-by-one deletes of 60,000 znodes would
 * dominate the run.
 */
final class ZooKeeperTarget implements BulkTarget {
  private static final int DELETES_IN_FLIGHT = 2000;
  private final String connect;
  private CuratorFramework client;

  ZooKeeperTarget(String connect) {
    this.connect = connect;
  }

  @Override
  public String name() {
    return "zookeeper";
  }

  @Override
  public String address() {
    return connect;
  }

  @Override
  public void start() throws IOException {
    client = CuratorFrameworkFactory.newClient(connect, 15_000, 5_000,
        new BoundedExponentialBackoffRetry(100, 1000, 3));
    client.start();
    try {
      if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
        throw new IOException("ZooKeeper " + connect + ": not connected within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("ZooKeeper connect interrupted");
    }
  }

  @Override
  public void writeOne(String key, String value) throws IOException {
    try {
      client.create().orSetData().creatingParentsIfNeeded().forPath("/" + key, value.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) { // Curator declares Exception
      throw new IOException("ZooKeeper write /" + key + ": " + e, e);
    }
  }

  /** A persistent recursive watch (ZooKeeper 3.6+); each created or changed znode is then read, asynchronously. */
  @Override
  public AutoCloseable watch(String prefix, java.util.function.BiConsumer<String, String> onChange) throws IOException {
    ZooKeeper zk;
    try {
      zk = client.getZookeeperClient().getZooKeeper();
    } catch (Exception e) { // Curator declares Exception
      throw new IOException("ZooKeeper: no session: " + e, e);
    }
    org.apache.zookeeper.Watcher watcher = event -> {
      if (event.getPath() == null || event.getType() != org.apache.zookeeper.Watcher.Event.EventType.NodeCreated
          && event.getType() != org.apache.zookeeper.Watcher.Event.EventType.NodeDataChanged) {
        return;
      }
      zk.getData(event.getPath(), false, (rc, path, ctx, data, stat) -> {
        if (rc == 0 && data != null) onChange.accept(path.substring(1), new String(data, StandardCharsets.UTF_8));
      }, null);
    };
    try {
      zk.addWatch("/" + prefix, watcher, org.apache.zookeeper.AddWatchMode.PERSISTENT_RECURSIVE);
    } catch (org.apache.zookeeper.KeeperException e) {
      throw new IOException("ZooKeeper watch /" + prefix + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("ZooKeeper watch interrupted");
    }
    return () -> zk.removeWatches("/" + prefix, watcher, org.apache.zookeeper.Watcher.WatcherType.Any, true);
  }

  @Override
  public KvStore heraldStore() {
    return new ZooKeeperKvStore("bench-zookeeper", ZooKeeperOptions.plain(connect));
  }

  @Override
  public void deleteAll(String root, List<String> written) throws IOException {
    String top = "/" + root.substring(0, root.length() - 1);
    Set<String> paths = new HashSet<>();
    for (String k : written) {
      for (String p = "/" + k; p.length() > top.length(); p = p.substring(0, p.lastIndexOf('/'))) paths.add(p);
    }
    List<String> deepestFirst = new ArrayList<>(paths);
    deepestFirst.sort(Comparator.comparingLong((String p) -> p.chars().filter(c -> c == '/').count()).reversed());
    try {
      ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
      long depth = -1;
      List<String> level = new ArrayList<>();
      for (String p : deepestFirst) {
        long d = p.chars().filter(c -> c == '/').count();
        if (d != depth || level.size() == DELETES_IN_FLIGHT) {
          deletePipelined(zk, level);
          level.clear();
          depth = d;
        }
        level.add(p);
      }
      deletePipelined(zk, level);
      client.delete().deletingChildrenIfNeeded().forPath(top); // whatever the list missed, one by one
    } catch (KeeperException.NoNodeException e) {
      // already gone
    } catch (IOException e) {
      throw e;
    } catch (Exception e) { // Curator declares Exception
      throw new IOException("ZooKeeper delete " + top + ": " + e, e);
    }
  }

  private static void deletePipelined(ZooKeeper zk, List<String> paths) throws IOException, InterruptedException {
    if (paths.isEmpty()) return;
    CountDownLatch done = new CountDownLatch(paths.size());
    AtomicInteger failed = new AtomicInteger();
    for (String p : paths) {
      zk.delete(p, -1, (rc, path, ctx) -> {
        boolean gone = rc == KeeperException.Code.OK.intValue() || rc == KeeperException.Code.NONODE.intValue();
        if (!gone) failed.incrementAndGet();
        done.countDown();
      }, null);
    }
    if (!done.await(Await.LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IOException("ZooKeeper: " + paths.size() + " deletes not answered within " + Await.LIMIT);
    }
    if (failed.get() > 0) throw new IOException("ZooKeeper: " + failed.get() + " deletes failed");
  }

  @Override
  public void close() {
    if (client != null) client.close();
  }
}
