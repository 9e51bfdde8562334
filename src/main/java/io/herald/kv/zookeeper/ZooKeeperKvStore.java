package io.herald.kv.zookeeper;

import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import io.herald.kv.KvStore;
import io.herald.kv.AsyncCalls;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes masters to ZooKeeper as znodes ({@code /mysql/master/c1}, {@code /mysql/master/c1/hostname}, ...),
 * each cluster in one transaction fenced by its epoch znode. One long-lived session, opened by {@link #start};
 * requests are pipelined on it, so a batch of many clusters costs a few round trips, not one per znode.
 *
 * <p>Thread-safe. Every call returns within {@code options.timeout()}; while ZooKeeper is away, calls fail with a
 * retryable {@link KvStoreException} and the session reconnects by itself. With digest auth, created znodes are
 * writable by the authenticated user only (and readable by anyone if {@code worldReadable}); without it they are
 * open, like orchestrator's.
 */
public final class ZooKeeperKvStore implements KvStore {
  private static final Logger log = LoggerFactory.getLogger(ZooKeeperKvStore.class);

  private final String name;
  private final ZooKeeperOptions options;
  private final List<ACL> acl;
  private final ParentZnodes parents = new ParentZnodes();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set once by {@link #start}; read by every call. */
  private volatile CuratorFramework client;

  public ZooKeeperKvStore(String name, ZooKeeperOptions options) {
    this.name = Objects.requireNonNull(name, "name");
    this.options = Objects.requireNonNull(options, "options");
    this.acl = acl(options);
  }

  static List<ACL> acl(ZooKeeperOptions options) {
    if (options.digestAuth().isEmpty()) return Ids.OPEN_ACL_UNSAFE;
    ACL owner = new ACL(Perms.ALL, Ids.AUTH_IDS);
    return options.worldReadable() ? List.of(owner, new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE)) : List.of(owner);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "zookeeper";
  }

  @Override
  public String address() {
    return options.connectString();
  }

  /** Opens the session without waiting for it: a ZooKeeper that is down shows in the first calls, not here. */
  @Override
  public synchronized void start() throws KvStoreException {
    if (closed.get()) throw new KvStoreException(name, "store is closed", false);
    if (client != null) throw new IllegalStateException(name + ": already started");
    var builder = CuratorFrameworkFactory.builder()
        .connectString(options.connectString())
        .sessionTimeoutMs(Math.toIntExact(options.sessionTimeout().toMillis()))
        .connectionTimeoutMs(Math.toIntExact(options.timeout().toMillis()))
        .retryPolicy(new BoundedExponentialBackoffRetry(100, 1000, 3))
        .ensembleTracker(false);
    options.digestAuth().ifPresent(s -> builder.authorization("digest", s.value().getBytes(StandardCharsets.UTF_8)));
    CuratorFramework c = builder.build();
    c.getConnectionStateListenable().addListener((cf, state) ->
        log.info("store {}: ZooKeeper connection {}", name, state));
    c.start();
    client = c;
    log.info("store {}: ZooKeeper session opening to {} (digest auth {})", name, address(),
        options.digestAuth().isPresent() ? "on" : "off");
  }

  @Override
  public Map<Alias, WriteOutcome> write(List<ClusterEntries> batch) throws KvStoreException {
    String what = "write " + batch.size() + " clusters";
    if (batch.isEmpty()) return Map.of();
    Znodes znodes = znodes(what);
    Set<String> outside = new TreeSet<>();
    for (ClusterEntries e : batch) outside.addAll(ParentZnodes.outside(e));
    CompletableFuture<Void> ready = parents.ensure(znodes, outside, false);
    List<CompletableFuture<WriteOutcome>> writes = new BatchWrite(name, znodes, parents).start(batch, ready);
    await(writes, what);
    Map<Alias, WriteOutcome> out = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) out.put(batch.get(i).alias(), writes.get(i).join());
    return out;
  }

  @Override
  public Optional<String> get(String key) throws KvStoreException {
    String what = "read " + key;
    CompletableFuture<Optional<Znode>> read = znodes(what).read(Znodes.path(key));
    await(List.of(read), what);
    return read.join().map(Znode::value);
  }

  private Znodes znodes(String what) throws KvStoreException {
    CuratorFramework c = client;
    if (c == null) throw new IllegalStateException(name + ": not started");
    if (closed.get()) throw new KvStoreException(name, what + ": store is closed", false);
    try {
      return new Znodes(c.getZookeeperClient().getZooKeeper(), acl);
    } catch (Exception e) {
      throw ZooKeeperFailures.translate(name, what, e);
    }
  }

  private void await(List<? extends CompletableFuture<?>> fs, String what) throws KvStoreException {
    AsyncCalls.awaitAll(name, what, "ZooKeeper " + address(), options.timeout(), fs, t -> ZooKeeperFailures.translate(name, what, t));
  }

  /** Closes the session. Idempotent; calls after it fail with a non-retryable exception. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    CuratorFramework c;
    synchronized (this) {
      c = client;
    }
    if (c != null) {
      c.close();
      log.info("store {}: ZooKeeper session closed", name);
    }
  }
}
