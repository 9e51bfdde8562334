package io.herald.recovery;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.failover.SuccessorChoice;
import io.herald.mysql.GtidWait;
import io.herald.mysql.Promotion;
import io.herald.mysql.ReplicationControlException;
import io.herald.mysql.Repointing;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.Recovery;
import io.herald.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one active master recovery (a dead master, automatic or manual) to its end, on the leader: choose the
 * successor, drain its relay log, promote it, re-point its siblings, publish it. Every step is committed to the
 * recovery's record before the next; the run may be started again at any point (after a crash, on a new leader)
 * and goes on from what the record says, with the successor it chose: a recovery never promotes two servers.
 * Before each change on a server it checks that this node is still the leader of the term it began in; committing a
 * step checks the recovery's id, so a deposed leader stops at its next step.
 */
final class FailoverRun {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverRun.class);
  /** The step that records the checks of an operator's designated successor passed. */
  private static final String DESIGNATED = "promoting the designated ";
  /** The step that records the successor a recovery chose itself. */
  private static final String CHOSE = "chose ";
  private final RecoveryContext ctx;
  private final RecoveryLease lease;
  private final Alias alias;
  private final long id;

  FailoverRun(RecoveryContext ctx, Alias alias, long id, long term) {
    this.ctx = ctx;
    this.lease = new RecoveryLease(ctx, alias, id, term, "recovery");
    this.alias = alias;
    this.id = id;
  }

  void run() {
    lease.run(this::drive, why -> end(true, why));
  }

  private void drive() {
    Recovery r = lease.current();
    HostPort failed = r.failedMaster();
    Topology topology = ctx.view().get().topology();
    HostPort successor;
    if (!r.promoting()) fenceFailedMaster(failed);
    if (!r.promoting() && ctx.options().wipeValuesPreFailover()) r = wipe();
    if (r.successor().isEmpty()) {
      if (!preFailover(r, topology)) return;
      SuccessorChoice choice = SuccessorChoice.of(topology, failed, ctx.rules());
      if (choice.successor().isEmpty()) {
        end(false, choice.refusal());
        return;
      }
      successor = choice.successor().get();
      String rejected = choice.rejected().isEmpty() ? "" : "; not eligible: " + choice.rejected().entrySet().stream()
          .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
      String ahead = choice.ineligibleAhead(topology).entrySet().stream()
          .map(e -> e.getKey() + " (Gtid_IO_Pos " + e.getValue() + ")").collect(Collectors.joining(", "));
      if (!ahead.isEmpty()) {
        LOG.warn("recovery {} of {}: not eligible but received more than {}: {}; what only they have is not on the new "
            + "master", id, alias, successor, ahead);
      }
      lease.step(CHOSE + successor + " at Gtid_IO_Pos " + choice.position() + rejected
          + (ahead.isEmpty() ? "" : "; received more but not eligible: " + ahead), Optional.of(successor), false);
    } else if (r.steps().stream().noneMatch(s -> s.text().startsWith(DESIGNATED) || s.text().startsWith(CHOSE))) {
      // designated by an operator (force-master-takeover): the same hook and checks as a chosen one
      successor = r.successor().get();
      if (!preFailover(r, topology)) return;
      String notEligible = SuccessorChoice.of(topology, failed, ctx.rules()).rejected().get(successor);
      if (notEligible != null) {
        end(false, successor + " cannot be promoted: " + notEligible);
        return;
      }
      if (!topology.children(failed).contains(successor)) {
        end(false, successor + " is not a direct replica of " + failed);
        return;
      }
      lease.step(DESIGNATED + successor, Optional.empty(), false);
    } else {
      successor = r.successor().get();
      String resumed = "resumed by " + ctx.raft().status().self() + " with the successor chosen before, " + successor;
      if (!r.steps().get(r.steps().size() - 1).text().equals(resumed)) lease.step(resumed, Optional.empty(), false);
    }
    r = lease.current();
    if (!r.promoting()) {
      try {
        ctx.control().stopReceiving(successor); // nothing arrives after the drain that the reset would throw away
      } catch (ReplicationControlException e) {
        end(false, "cannot stop replication on " + successor + ": " + e.getMessage());
        return;
      }
    }
    if (!drain(r, successor)) return;
    lease.current();
    if (!r.promoting()) lease.step("promoting " + successor, Optional.empty(), true);
    lease.guard();
    Promotion p;
    try {
      p = ctx.control().promote(successor, Optional.of(failed));
    } catch (ReplicationControlException e) {
      end(true, "promotion of " + successor + " failed: " + e.getMessage());
      return;
    }
    if (p.status() == Promotion.Status.REFUSED) {
      end(true, "promotion of " + successor + " refused: " + p.reason());
      return;
    }
    String fork = p.binlogPos().toString();
    lease.step("promoted " + successor + " (" + p.status().name().toLowerCase() + "); fork point gtid_binlog_pos " + fork,
        Optional.empty(), false);
    List<HostPort> lost = repointSiblings(topology, failed, successor);
    lease.guard();
    Master m = ctx.resolver().resolve(successor);
    CommandResult done = ctx.commit(new Command.CompleteRecovery(alias, id, m, lost, fork, ctx.clock().millis()));
    if (done.error().isPresent()) {
      end(true, "not published: " + done.error().get().message());
      return;
    }
    LOG.warn("recovery {} of {}: {} replaced {} at epoch {}{}", id, alias, successor, failed,
        done.clusters().get(0).epoch(), lost.isEmpty() ? "" : "; lost replicas " + lost);
    Map<String, String> values = placeholders(r, topology, Optional.of(successor), lost, true);
    ctx.hooks().run("PostMasterFailoverProcesses", ctx.options().hooks().postMasterFailover(), values, false);
    ctx.hooks().run("PostFailoverProcesses", ctx.options().hooks().postFailover(), values, false);
  }

  /**
   * KVWipeValuesPreFailover: the cluster published blank at a new epoch, once (a resumed run finds it done). A wipe
   * that is not committed does not hold the failover back: the successor is published all the same.
   */
  private Recovery wipe() {
    boolean done = ctx.desired().get(alias).map(io.herald.cluster.Cluster::wiped).orElse(true);
    if (!done) {
      lease.guard();
      CommandResult w = ctx.commit(new Command.WipeValues(alias, id, ctx.clock().millis()));
      if (w.error().isPresent()) LOG.warn("recovery {} of {}: values not wiped: {}", id, alias, w.error().get().message());
      else LOG.warn("recovery {} of {}: published blank at epoch {} (KVWipeValuesPreFailover)", id, alias,
          w.clusters().isEmpty() ? "-" : w.clusters().get(0).epoch());
    }
    return lease.current();
  }

  /** PreFailoverProcesses; a failure ends the recovery with nothing changed. */
  private boolean preFailover(Recovery r, Topology topology) {
    List<String> pre = ctx.options().hooks().preFailover();
    if (pre.isEmpty()) return true;
    var outcomes = ctx.hooks().run("PreFailoverProcesses", pre, placeholders(r, topology, Optional.empty(), List.of(), false), true);
    for (var o : outcomes) lease.step(o.describe(), Optional.empty(), false);
    if (outcomes.stream().allMatch(HookProcesses.Outcome::ok)) return true;
    end(false, "PreFailoverProcesses failed: " + outcomes.get(outcomes.size() - 1).describe());
    return false;
  }

  /** Waits for the successor to apply what it received; false when the recovery ended on it. */
  private boolean drain(Recovery r, HostPort successor) {
    GtidWait w;
    try {
      w = ctx.control().waitForRelayLogApplied(successor, ctx.options().drainTimeout());
    } catch (ReplicationControlException e) {
      if (r.promoting()) return true; // promoted by an earlier run: it replicates from nobody any more
      end(false, "relay log drain on " + successor + " failed: " + e.getMessage());
      return false;
    }
    switch (w.status()) {
      case REACHED -> {
        lease.step("relay log applied up to " + w.target() + " in " + w.waited().toMillis() + " ms", Optional.empty(), false);
        return true;
      }
      case NOT_A_REPLICA -> {
        if (r.promoting()) return true;
        end(false, successor + " replicates from nobody: not promoted");
        return false;
      }
      default -> {
        String why = successor + " did not apply its relay log (" + w.target() + ", applied " + w.applied() + "): "
            + w.status().name().toLowerCase() + " after " + w.waited().toMillis() + " ms";
        if (r.promoting()) return true; // an earlier run promoted it: what it applied is what it has
        // promoting it now would throw away what it received and acknowledged (RESET SLAVE ALL deletes the relay log)
        end(false, why + " (RelayLogDrainTimeoutSeconds); not promoted");
        return false;
      }
    }
  }

  /** Points every other replica of the failed master at the successor, at once; returns those that cannot follow. */
  private List<HostPort> repointSiblings(Topology topology, HostPort failed, HostPort successor) {
    List<HostPort> siblings = new ArrayList<>(topology.children(failed));
    siblings.remove(successor);
    Map<HostPort, CompletableFuture<String>> results = new LinkedHashMap<>();
    for (HostPort s : siblings) {
      results.put(s, CompletableFuture.supplyAsync(() -> repoint(s, successor), ctx.io()));
    }
    List<HostPort> lost = new ArrayList<>();
    List<String> outcomes = new ArrayList<>();
    for (Map.Entry<HostPort, CompletableFuture<String>> e : results.entrySet()) {
      String outcome = e.getValue().join();
      if (!outcome.isEmpty()) {
        lost.add(e.getKey());
        outcomes.add("lost replica " + e.getKey() + ": " + outcome);
      } else {
        outcomes.add("re-pointed " + e.getKey() + " to " + successor);
      }
    }
    if (!outcomes.isEmpty()) lease.step(String.join("; ", outcomes), Optional.empty(), false); // one commit: publish sooner
    return lost;
  }

  /** "" when the replica follows the successor, else why not. */
  private String repoint(HostPort replica, HostPort successor) {
    try {
      Repointing r = ctx.control().repoint(replica, successor, ctx.options().replicaCredentials());
      if (r.status() == Repointing.Status.REFUSED) return r.reason();
      if (r.link().diverged()) return "it has transactions " + successor + " lacks (" + r.link().lastIoError() + ")";
      if (r.link().state() == io.herald.mysql.SourceLink.State.FAILED) {
        return "replication failed: " + r.link().lastIoErrno() + " " + r.link().lastIoError();
      }
      return "";
    } catch (ReplicationControlException e) {
      return e.getMessage();
    }
  }


  /**
   * Best effort, in the background: read_only on the failed master (a forced failover of a live one, a hung one
   * that wakes), so that it takes no writes the successor will not have. Not waited for: a dead or hung master costs
   * the failover nothing.
   */
  private void fenceFailedMaster(HostPort failed) {
    CompletableFuture.runAsync(() -> {
      try {
        ctx.control().setReadOnly(failed, true);
        ctx.control().killWriteSessions(failed);
      } catch (ReplicationControlException e) {
        // dead or hung, as expected: the fence keeps trying on every probe that reaches it
      }
    }, ctx.io());
  }

  /** A failed recovery that promoted its successor leaves it read_only unless it is the published master. */
  private void fenceUnpublishedSuccessor() {
    Optional<Recovery> r = ctx.desired().recovery(id);
    if (r.isEmpty() || !r.get().promoting() || r.get().successor().isEmpty()) return;
    HostPort s = r.get().successor().get();
    boolean published = ctx.desired().clusters().stream().anyMatch(c -> c.master().address().equals(s));
    if (published) return;
    try {
      ctx.control().setReadOnly(s, true);
      ctx.control().killWriteSessions(s);
      LOG.warn("recovery {} of {}: {} was promoted but not published: set read_only=1 again", id, alias, s);
    } catch (ReplicationControlException e) {
      LOG.warn("recovery {} of {}: {} was promoted but not published, and could not be set read_only: {}", id, alias, s,
          e.getMessage());
    }
  }

  private void end(boolean changedServers, String reason) {
    if (!lease.end(changedServers, reason)) return;
    fenceUnpublishedSuccessor();
    Recovery r = ctx.desired().recovery(id).orElse(null);
    if (r != null) {
      ctx.hooks().run("PostUnsuccessfulFailoverProcesses", ctx.options().hooks().postUnsuccessfulFailover(),
          placeholders(r, ctx.view().get().topology(), Optional.empty(), List.of(), false), false);
    }
  }

  /** orchestrator's hook placeholders for this recovery. */
  static Map<String, String> placeholders(Recovery r, Topology topology, Optional<HostPort> successor,
      List<HostPort> lost, boolean successful) {
    Map<String, String> v = new LinkedHashMap<>();
    List<HostPort> replicas = topology.children(r.failedMaster());
    boolean auto = r.kind() == Recovery.Kind.AUTOMATIC;
    v.put("failureType", auto ? r.analysis() : "DeadMaster");
    v.put("instanceType", "master");
    v.put("isMaster", "true");
    v.put("isCoMaster", "false");
    v.put("failureDescription", r.analysis() + " of " + r.failedMaster());
    v.put("failedHost", r.failedMaster().host());
    v.put("failedPort", Integer.toString(r.failedMaster().port()));
    v.put("failureCluster", r.failedMaster().toString());
    v.put("failureClusterAlias", r.alias().value());
    v.put("failureClusterDomain", "");
    v.put("countReplicas", Integer.toString(replicas.size()));
    v.put("countSlaves", Integer.toString(replicas.size()));
    v.put("replicaHosts", replicas.stream().map(HostPort::toString).collect(Collectors.joining(",")));
    v.put("slaveHosts", v.get("replicaHosts"));
    v.put("isDowntimed", "false");
    v.put("autoMasterRecovery", Boolean.toString(r.kind() == Recovery.Kind.AUTOMATIC));
    v.put("autoIntermediateMasterRecovery", "false");
    v.put("orchestratorHost", r.node());
    v.put("lostReplicas", lost.stream().map(HostPort::toString).collect(Collectors.joining(",")));
    v.put("lostSlaves", v.get("lostReplicas"));
    v.put("countLostReplicas", Integer.toString(lost.size()));
    v.put("isSuccessful", Boolean.toString(successful));
    v.put("command", auto ? "" : r.analysis()); // a requested recovery records its command as its analysis
    v.put("successorHost", successor.map(HostPort::host).orElse(""));
    v.put("successorPort", successor.map(h -> Integer.toString(h.port())).orElse(""));
    v.put("successorAlias", successor.isPresent() ? r.alias().value() : "");
    return v;
  }
}
