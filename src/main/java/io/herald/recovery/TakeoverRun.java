package io.herald.recovery;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.failover.SuccessorChoice;
import io.herald.mysql.Demotion;
import io.herald.mysql.GtidWait;
import io.herald.mysql.Promotion;
import io.herald.mysql.ReplicationControlException;
import io.herald.mysql.Repointing;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.Recovery;
import io.herald.topology.GtidList;
import io.herald.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a graceful master takeover (graceful-master-takeover[-auto]) on the leader: block writes on the live master
 * ({@code read_only=1}, privileged sessions killed), wait by GTID until the designated replica applied everything
 * the master wrote (at most {@code ReasonableMaintenanceReplicationLagSeconds}; on timeout the master is made
 * writable again and the takeover fails), promote the replica, re-point the other replicas and the old master under
 * it (the old master's replication started only with {@code -auto}), and publish it. Nothing is committed to raft
 * between blocking writes and promoting, so the block lasts only as long as the servers need.
 */
final class TakeoverRun {
  private static final Logger LOG = LoggerFactory.getLogger(TakeoverRun.class);
  private final RecoveryContext ctx;
  private final RecoveryLease lease;
  private final Alias alias;
  private final long id;

  TakeoverRun(RecoveryContext ctx, Alias alias, long id, long term) {
    this.ctx = ctx;
    this.lease = new RecoveryLease(ctx, alias, id, term, "takeover");
    this.alias = alias;
    this.id = id;
  }

  void run() {
    lease.run(this::drive, why -> end(true, why));
  }

  private void drive() {
    Recovery r = lease.current();
    HostPort old = r.failedMaster();
    Topology topology = ctx.view().get().topology();
    HostPort successor;
    if (r.successor().isEmpty()) {
      SuccessorChoice choice = SuccessorChoice.of(topology, old, ctx.rules());
      if (choice.successor().isEmpty()) {
        end(false, choice.refusal());
        return;
      }
      successor = choice.successor().get();
      lease.step("chose " + successor + " at Gtid_IO_Pos " + choice.position(), Optional.of(successor), false);
    } else {
      successor = r.successor().get();
    }
    if (!r.promoting()) {
      if (!topology.children(old).contains(successor)) {
        end(false, successor + " is not a direct replica of " + old);
        return;
      }
      // a designated replica passes the same checks as a chosen one (errant GTIDs, must_not, filters, delay...)
      String notEligible = SuccessorChoice.of(topology, old, ctx.rules()).rejected().get(successor);
      if (notEligible != null) {
        end(false, successor + " cannot be promoted: " + notEligible);
        return;
      }
      var pre = ctx.hooks().run("PreGracefulTakeoverProcesses", ctx.options().hooks().preGracefulTakeover(),
          FailoverRun.placeholders(r, topology, Optional.of(successor), List.of(), false), true);
      for (var o : pre) lease.step(o.describe(), Optional.empty(), false);
      if (!pre.stream().allMatch(HookProcesses.Outcome::ok)) {
        end(false, "PreGracefulTakeoverProcesses failed: " + pre.get(pre.size() - 1).describe());
        return;
      }
      lease.step("blocking writes on " + old + ", then promoting " + successor, Optional.empty(), true);
    }
    lease.guard();
    long blockStart = System.nanoTime();
    Promotion p;
    if (r.promoting() && alreadyPromoted(successor)) {
      // an earlier run (a leader that died) promoted it: never block, wait or unblock again, only finish
      p = new Promotion(successor, Optional.of(old), binlogPosOrEmpty(successor), Promotion.Status.ALREADY_MASTER, "");
    } else {
      GtidList target;
      GtidWait w;
      try {
        ctx.control().setReadOnly(old, true);
        ctx.control().killWriteSessions(old);
        target = ctx.control().binlogPosition(old);
        w = ctx.control().waitForGtid(successor, target, ctx.options().maintenanceLag());
      } catch (ReplicationControlException e) {
        unblock(old, successor, successor + " not promoted: " + e.getMessage());
        return;
      }
      if (!w.reached()) {
        unblock(old, successor, successor + " did not apply " + target + " within "
            + ctx.options().maintenanceLag().toSeconds() + " s (ReasonableMaintenanceReplicationLagSeconds); applied "
            + w.applied());
        return;
      }
      lease.guard(); // a leader deposed during the wait stops here, the old master still read_only: the next one finishes
      try {
        p = ctx.control().promote(successor, Optional.of(old));
      } catch (ReplicationControlException e) {
        unblock(old, successor, "promotion of " + successor + " failed: " + e.getMessage());
        return;
      }
      if (p.status() == Promotion.Status.REFUSED) {
        unblock(old, successor, "promotion of " + successor + " refused: " + p.reason());
        return;
      }
    }
    long blockedMillis = (System.nanoTime() - blockStart) / 1_000_000;
    boolean start = r.analysis().endsWith("-auto");
    List<HostPort> lost = regroup(topology, old, successor, start);
    Master m = ctx.resolver().resolve(successor);
    CommandResult done = ctx.commit(new Command.CompleteRecovery(alias, id, m, lost, p.binlogPos().toString(),
        ctx.clock().millis()));
    if (done.error().isPresent()) {
      end(true, "not published: " + done.error().get().message());
      return;
    }
    LOG.warn("takeover {} of {}: {} replaced {} at epoch {} (writes blocked {} ms before the promotion){}", id, alias,
        successor, old, done.clusters().get(0).epoch(), blockedMillis, lost.isEmpty() ? "" : "; lost replicas " + lost);
    ctx.hooks().run("PostGracefulTakeoverProcesses", ctx.options().hooks().postGracefulTakeover(),
        FailoverRun.placeholders(r, topology, Optional.of(successor), lost, true), false);
  }

  /** Whether the successor is already a root (promoted, by this run or an earlier one); unknown counts as yes. */
  private boolean alreadyPromoted(HostPort successor) {
    try {
      return ctx.control().role(successor).source().isEmpty();
    } catch (ReplicationControlException e) {
      return true; // cannot tell: never risk a second writer
    }
  }

  private GtidList binlogPosOrEmpty(HostPort h) {
    try {
      return ctx.control().binlogPosition(h);
    } catch (ReplicationControlException e) {
      return GtidList.EMPTY;
    }
  }

  /**
   * The takeover failed before a promotion: the old master takes writes again, but only when the successor is seen
   * still replicating from it (a promotion cut short by an error, or one we cannot see, leaves the old master
   * read_only: no writer is better than two).
   */
  private void unblock(HostPort old, HostPort successor, String why) {
    String restored;
    boolean successorIsReplica;
    try {
      successorIsReplica = ctx.control().role(successor).source().equals(Optional.of(old));
    } catch (ReplicationControlException e) {
      successorIsReplica = false;
    }
    if (!successorIsReplica) {
      end(true, why + "; " + successor + " may have been promoted: " + old + " left read_only for an operator");
      return;
    }
    try {
      ctx.control().setReadOnly(old, false);
      restored = "; " + old + " writable again";
    } catch (ReplicationControlException e) {
      restored = "; could not make " + old + " writable again: " + e.getMessage();
    }
    end(false, why + restored);
  }

  /** The other replicas and the old master under the successor; returns those that cannot follow it. */
  private List<HostPort> regroup(Topology topology, HostPort old, HostPort successor, boolean startOld) {
    List<HostPort> siblings = new ArrayList<>(topology.children(old));
    siblings.remove(successor);
    List<CompletableFuture<String>> work = new ArrayList<>();
    for (HostPort s : siblings) work.add(CompletableFuture.supplyAsync(() -> repoint(s, successor), ctx.io()));
    CompletableFuture<String> demoted = CompletableFuture.supplyAsync(() -> demote(old, successor, startOld), ctx.io());
    List<HostPort> lost = new ArrayList<>();
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < siblings.size(); i++) {
      String outcome = work.get(i).join();
      if (!outcome.isEmpty()) lost.add(siblings.get(i));
      outcomes.add(outcome.isEmpty() ? "re-pointed " + siblings.get(i) + " to " + successor
          : "lost replica " + siblings.get(i) + ": " + outcome);
    }
    outcomes.add(demoted.join());
    lease.step(String.join("; ", outcomes), Optional.empty(), false); // one commit for all: writes wait for the publish
    return lost;
  }

  private String repoint(HostPort replica, HostPort successor) {
    try {
      Repointing r = ctx.control().repoint(replica, successor, ctx.options().replicaCredentials());
      if (r.status() == Repointing.Status.REFUSED) return r.reason();
      if (r.link().diverged()) return "it has transactions " + successor + " lacks";
      return "";
    } catch (ReplicationControlException e) {
      return e.getMessage();
    }
  }

  private String demote(HostPort old, HostPort successor, boolean start) {
    if (ctx.options().replicaCredentials().isEmpty()) {
      return "old master " + old + " left read_only, not replicating (no MySQLReplicaUser)";
    }
    try {
      Demotion d = ctx.control().demoteToReplica(old, successor, ctx.options().replicaCredentials().get(), start);
      return "old master " + old + " now a replica of " + successor + " (" + d.status().name().toLowerCase()
          + (start ? ", started" : ", not started: use graceful-master-takeover-auto to start it") + ")";
    } catch (ReplicationControlException e) {
      return "old master " + old + " not demoted: " + e.getMessage();
    }
  }


  private void end(boolean changedServers, String reason) {
    lease.end(changedServers, reason);
  }

}
