package io.herald.kv.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;

/**
 * ZooKeeper's asynchronous calls as futures, over one session handle. Calls never block: requests are queued on
 * the session and pipelined; their futures complete on ZooKeeper's event thread, so continuations must not block.
 * A failure completes the future with a {@link KeeperException}. Thread-safe.
 */
final class Znodes {
  private final ZooKeeper zk;
  private final List<ACL> acl;

  Znodes(ZooKeeper zk, List<ACL> acl) {
    this.zk = zk;
    this.acl = acl;
  }

  /** The znode's data and version; empty when there is no such znode. */
  CompletableFuture<Optional<Znode>> read(String path) {
    var f = new CompletableFuture<Optional<Znode>>();
    zk.getData(path, false, (rc, p, ctx, data, stat) -> {
      if (rc == Code.OK.intValue()) {
        String v = data == null ? "" : new String(data, StandardCharsets.UTF_8);
        f.complete(Optional.of(new Znode(v, stat.getVersion())));
      } else if (rc == Code.NONODE.intValue()) {
        f.complete(Optional.empty());
      } else {
        f.completeExceptionally(KeeperException.create(Code.get(rc), p));
      }
    }, null);
    return f;
  }

  /**
   * Reads many znodes in one request (ZooKeeper's read-only multi, 3.6 and later): each path maps to its znode,
   * or to empty when there is no such znode. Fails as a whole if any read fails otherwise (e.g. no read access).
   */
  CompletableFuture<Map<String, Optional<Znode>>> readAll(List<String> paths) {
    var f = new CompletableFuture<Map<String, Optional<Znode>>>();
    if (paths.isEmpty()) return CompletableFuture.completedFuture(Map.of());
    List<Op> ops = new ArrayList<>(paths.size());
    for (String p : paths) ops.add(Op.getData(p));
    zk.multi(ops, (rc, p, ctx, results) -> {
      if (results == null) {
        f.completeExceptionally(KeeperException.create(Code.get(rc), paths.get(0)));
        return;
      }
      Map<String, Optional<Znode>> out = new HashMap<>();
      for (int i = 0; i < paths.size(); i++) {
        OpResult r = results.get(i);
        if (r instanceof OpResult.GetDataResult d) {
          byte[] data = d.getData();
          String v = data == null ? "" : new String(data, StandardCharsets.UTF_8);
          out.put(paths.get(i), Optional.of(new Znode(v, d.getStat().getVersion())));
        } else if (r instanceof OpResult.ErrorResult e && e.getErr() == Code.NONODE.intValue()) {
          out.put(paths.get(i), Optional.empty());
        } else {
          int err = r instanceof OpResult.ErrorResult e ? e.getErr() : Code.SYSTEMERROR.intValue();
          f.completeExceptionally(KeeperException.create(Code.get(err), paths.get(i)));
          return;
        }
      }
      f.complete(out);
    }, null);
    return f;
  }

  /** Creates the znode (with the store's ACL) unless it exists. */
  CompletableFuture<Void> createIfAbsent(String path) {
    var f = new CompletableFuture<Void>();
    zk.create(path, new byte[0], acl, CreateMode.PERSISTENT, (rc, p, ctx, name) -> {
      if (rc == Code.OK.intValue() || rc == Code.NODEEXISTS.intValue()) {
        f.complete(null);
      } else {
        f.completeExceptionally(KeeperException.create(Code.get(rc), p));
      }
    }, null);
    return f;
  }

  /**
   * Runs the operations as one transaction. Completes with {@link Code#OK}, or with the code of the first failed
   * operation (the transaction then changed nothing).
   */
  CompletableFuture<Code> multi(List<Op> ops) {
    var f = new CompletableFuture<Code>();
    zk.multi(ops, (rc, p, ctx, results) -> f.complete(Code.get(rc)), null);
    return f;
  }

  Op create(String path, String value) {
    return Op.create(path, value.getBytes(StandardCharsets.UTF_8), acl, CreateMode.PERSISTENT);
  }

  static Op set(String path, String value, int version) {
    return Op.setData(path, value.getBytes(StandardCharsets.UTF_8), version);
  }

  /** The znode path of a store key: keys never start with '/', znode paths always do. */
  static String path(String key) {
    return "/" + key;
  }

  /** The parent path of a znode path; empty for a child of the root. */
  static Optional<String> parent(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? Optional.empty() : Optional.of(path.substring(0, i));
  }
}
