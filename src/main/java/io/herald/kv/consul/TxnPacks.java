package io.herald.kv.consul;

import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KvPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How clusters become Consul transactions: whole clusters, packed up to a number of operations. Pure code. */
final class TxnPacks {
  private TxnPacks() {}

  /**
   * Splits {@code clusters}, in order, into packs of at most {@code maxOps} operations ({@link #opsOf} of each,
   * given what the store holds, {@code stored}),
   * never splitting a cluster: a cluster with more operations than {@code maxOps} gets a pack of its own.
   */
  static List<List<ClusterEntries>> pack(List<ClusterEntries> clusters, int maxOps, Map<String, StoredKey> stored) {
    List<List<ClusterEntries>> packs = new ArrayList<>();
    List<ClusterEntries> current = new ArrayList<>();
    int ops = 0;
    for (ClusterEntries e : clusters) {
      int n = opsOf(e, stored).size();
      if (!current.isEmpty() && ops + n > maxOps) {
        packs.add(List.copyOf(current));
        current.clear();
        ops = 0;
      }
      current.add(e);
      ops += n;
    }
    if (!current.isEmpty()) packs.add(List.copyOf(current));
    return packs;
  }

  /**
   * A cluster's operations: a compare-and-set of its epoch key against the modify index read (0 when the key was
   * absent, which means "only if still absent"), then a set of each other pair, then, if the store holds the former
   * epoch key (left by the other {@code HeraldEpochKey} setting), its delete against the index read.
   */
  static List<ConsulHttp.Op> opsOf(ClusterEntries e, Map<String, StoredKey> stored) {
    StoredKey epoch = stored.get(e.epochKey());
    List<ConsulHttp.Op> ops = new ArrayList<>(e.pairs().size() + 2);
    ops.add(ConsulHttp.Op.cas(e.epochKey(), Long.toString(e.epoch()), epoch == null ? 0 : epoch.modifyIndex()));
    for (KvPair p : e.pairs()) ops.add(ConsulHttp.Op.set(p.key(), p.value()));
    StoredKey left = e.formerEpochKey().map(stored::get).orElse(null);
    if (left != null) ops.add(ConsulHttp.Op.deleteIf(e.formerEpochKey().get(), left.modifyIndex()));
    return ops;
  }

  /** The operations of a whole pack, in one list. */
  static List<ConsulHttp.Op> opsOf(List<ClusterEntries> pack, Map<String, StoredKey> stored) {
    List<ConsulHttp.Op> ops = new ArrayList<>();
    for (ClusterEntries e : pack) ops.addAll(opsOf(e, stored));
    return ops;
  }
}
