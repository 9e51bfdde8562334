package io.herald.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Errant transactions of a replica: ones it has in its binary log that its master does not have. Judged on MariaDB's
 * {@code @@gtid_binlog_state}, which holds the last GTID of every (domain, server_id) pair ever written to the
 * binary log.
 *
 * <p>A replica is clean when, for every (domain, server_id) pair of its state, the master's state has that pair with a
 * sequence number at least as high. The servers of the cluster's history (earlier masters, whose server ids are in
 * everyone's state after a failover) need no special case: the master logged their transactions too, so it has their
 * pairs. What remains is exactly what the replica wrote itself or received from elsewhere.
 *
 * <p>Caveats the caller owns: the master's state must be read <em>after</em> the replica's (otherwise a transaction
 * the master committed between the two reads shows as errant: {@link InstanceProblems} checks the observation times);
 * and the master must log what it replicated ({@code log_bin} and, if it was ever a replica, {@code
 * log_slave_updates}), or its state lacks the history and every replica looks errant.
 */
public final class ErrantGtids {
  private ErrantGtids() {}

  /**
   * The replica's state entries the master's state does not cover, in the replica's order; empty when none. Each is
   * the last errant GTID of its (domain, server_id): the errant ones of that pair are those after the master's
   * sequence number for it (all of them when the master lacks the pair) up to the returned one.
   */
  public static GtidList of(GtidList replicaBinlogState, GtidList masterBinlogState) {
    Map<Pair, Long> master = new HashMap<>();
    for (Gtid g : masterBinlogState.gtids()) master.merge(new Pair(g.domain(), g.serverId()), g.seq(), Math::max);
    List<Gtid> errant = new ArrayList<>();
    for (Gtid g : replicaBinlogState.gtids()) {
      Long seq = master.get(new Pair(g.domain(), g.serverId()));
      if (seq == null || seq < g.seq()) errant.add(g);
    }
    return errant.isEmpty() ? GtidList.EMPTY : new GtidList(errant);
  }

  private record Pair(long domain, long serverId) {}
}
