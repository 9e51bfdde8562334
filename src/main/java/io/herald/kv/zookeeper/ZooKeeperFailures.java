package io.herald.kv.zookeeper;

import io.herald.kv.AsyncCalls;
import io.herald.kv.KvStoreException;
import java.util.EnumSet;
import java.util.Set;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;

/** Translates ZooKeeper and Curator failures into {@link KvStoreException}s, so that none escapes the adapter. */
final class ZooKeeperFailures {
  /** Codes of a server that is away, slow or busy: retrying later may succeed. */
  private static final Set<Code> TRANSIENT = EnumSet.of(Code.CONNECTIONLOSS, Code.SESSIONEXPIRED,
      Code.OPERATIONTIMEOUT, Code.SESSIONMOVED, Code.REQUESTTIMEOUT, Code.THROTTLEDOP, Code.SYSTEMERROR,
      Code.RECONFIGINPROGRESS, Code.NEWCONFIGNOQUORUM, Code.SESSIONCLOSEDREQUIRESASLAUTH);

  private ZooKeeperFailures() {}

  /** The failure of {@code what} (e.g. "write 3 clusters") as a store exception; restores the interrupt flag. */
  static KvStoreException translate(String store, String what, Throwable t) {
    Throwable c = AsyncCalls.cause(t);
    KvStoreException common = AsyncCalls.translatedOrInterrupted(store, what, c);
    if (common != null) return common;
    if (c instanceof KeeperException k) {
      Code code = k.code();
      if (code == Code.NOAUTH || code == Code.AUTHFAILED) {
        return new KvStoreException(store, what + ": ZooKeeper refused access to " + k.getPath() + " (" + code
            + "); check ZkDigestAuth and the znodes' ACLs", false, c);
      }
      String where = k.getPath() == null ? "" : " at " + k.getPath();
      return new KvStoreException(store, what + ": " + code + where, TRANSIENT.contains(code), c);
    }
    return new KvStoreException(store, what + ": " + c, true, c);
  }
}
