package io.herald.raft;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.cluster.Origin;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A change to the replicated desired state: decisions and operator intent, never raw observations. The closed set
 * of everything that goes through the raft log.
 */
public sealed interface Command permits Command.SetMaster, Command.Submit, Command.Discover, Command.Forget,
    Command.Adopt, Command.ReportFailure, Command.SetRecoveries, Command.BeginDowntime, Command.EndDowntime,
    Command.RegisterCandidate, Command.BeginRecovery, Command.RecoveryStep, Command.CompleteRecovery,
    Command.EndRecovery, Command.AckRecoveries, Command.WipeValues {

  /**
   * Sets a cluster's master. Treated exactly like a failover: the cluster gets a new epoch and every store's entries
   * for it are replaced. The epoch is {@code max(last epoch issued + 1, proposedAt x 1000, minEpoch)}: it grows with
   * every change and, carried from the proposer's clock, also across a rebuilt group or data directory, whose log
   * indexes start again at 1 (before, epochs were log indexes, and a rebuilt node's changes were all older than
   * what the stores held). Replay is deterministic: the clock reading travels in the command.
   *
   * @param origin {@link Origin#DECLARED} for an operator's {@code set-master} (always applied; the cluster becomes
   *     declared), {@link Origin#DISCOVERED} for a change Herald saw on the servers (refused for a declared cluster)
   * @param ifEpoch compare-and-set: when present, applied only if the cluster's epoch is still this (0: only if
   *     the cluster does not exist yet), so a decision made on a stale view is refused
   * @param proposedAt the proposer's wall clock in milliseconds when it made the change (0 in entries written before
   *     epochs followed the clock: their epoch is their log index)
   * @param minEpoch the epoch must be above this (a take-over of entries a store holds at a foreign, newer epoch);
   *     0 for none
   */
  record SetMaster(Alias alias, Master master, Origin origin, OptionalLong ifEpoch, long proposedAt, long minEpoch)
      implements Command {
    public SetMaster {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(master, "master");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(ifEpoch, "ifEpoch");
      if (proposedAt < 0 || minEpoch < 0) throw new IllegalArgumentException("proposedAt and minEpoch must not be negative");
    }

    /** An operator's declaration at {@code proposedAt}, unconditional. */
    public static SetMaster declared(Alias alias, Master master, long proposedAt) {
      return new SetMaster(alias, master, Origin.DECLARED, OptionalLong.empty(), proposedAt, 0);
    }

    /** A master discovery saw, applied only while the cluster is still at {@code fromEpoch} (0: new). */
    public static SetMaster discovered(Alias alias, Master master, long fromEpoch, long proposedAt) {
      return new SetMaster(alias, master, Origin.DISCOVERED, OptionalLong.of(fromEpoch), proposedAt, 0);
    }
  }

  /** Adds an instance to the group's discovery seeds (orchestrator's {@code discover}); every node probes it. */
  record Discover(HostPort instance) implements Command {
    public Discover {
      Objects.requireNonNull(instance, "instance");
    }
  }

  /**
   * Forgets instances: they leave the seeds, and every node drops them from what it probes (a replicating
   * neighbour may lead discovery back to them, as in orchestrator).
   */
  record Forget(List<HostPort> instances) implements Command {
    public Forget {
      instances = List.copyOf(instances);
      if (instances.isEmpty()) throw new IllegalArgumentException("nothing to forget");
    }
  }

  /** Hands a declared cluster over to discovery: from now on Herald follows the master it sees on the servers. */
  record Adopt(Alias alias) implements Command {
    public Adopt {
      Objects.requireNonNull(alias, "alias");
    }
  }

  /**
   * Asks every node to check, and where they differ rewrite, the stores' entries of one cluster, or of all when
   * {@code alias} is empty (orchestrator's submit-masters-to-kv-stores).
   */
  record Submit(Optional<Alias> alias) implements Command {
    public Submit {
      Objects.requireNonNull(alias, "alias");
    }
  }

  /**
   * One node's verdict on a published cluster's master at an epoch, sent only when the node's verdict changes (a
   * few entries per incident). The leader may fail a master over only when a majority of the group's nodes report
   * it dead at the cluster's current epoch, so a node cut off from the servers cannot fail a healthy master alone.
   *
   * @param node the reporting node's raft address
   * @param analysis the node's analysis code (orchestrator's name, e.g. {@code DeadMaster})
   * @param dead whether that analysis calls for a master failover
   * @param at the node's wall clock in milliseconds
   */
  record ReportFailure(Alias alias, long epoch, String node, String analysis, boolean dead, long at) implements Command {
    public ReportFailure {
      Objects.requireNonNull(alias, "alias");
      if (epoch < 1) throw new IllegalArgumentException("epoch must be positive");
      if (node == null || node.isBlank() || node.length() > 300) throw new IllegalArgumentException("invalid node '" + node + "'");
      if (analysis == null || !analysis.matches("[A-Za-z]{1,64}")) throw new IllegalArgumentException("invalid analysis '" + analysis + "'");
      if (at < 0) throw new IllegalArgumentException("at must not be negative");
    }
  }

  /** Enables or disables automated recoveries for every cluster (orchestrator's global recoveries switch). */
  record SetRecoveries(boolean enabled) implements Command {}

  /**
   * Marks an instance as downtimed from {@code beginsAt} to {@code endsAt} (the proposer's clock, milliseconds): a
   * downtimed master is not failed over automatically (orchestrator's begin-downtime).
   */
  record BeginDowntime(HostPort instance, String owner, String reason, long beginsAt, long endsAt) implements Command {
    public BeginDowntime {
      Objects.requireNonNull(instance, "instance");
      if (owner == null || owner.isBlank() || owner.length() > 200) throw new IllegalArgumentException("invalid owner");
      if (reason == null || reason.isBlank() || reason.length() > 1000) throw new IllegalArgumentException("invalid reason");
      if (beginsAt < 0 || endsAt <= beginsAt) throw new IllegalArgumentException("a downtime must end after it begins");
    }
  }

  /** Ends an instance's downtime (orchestrator's end-downtime). */
  record EndDowntime(HostPort instance) implements Command {
    public EndDowntime {
      Objects.requireNonNull(instance, "instance");
    }
  }

  /** Records an instance's promotion rule until {@code expiresAt} (orchestrator's register-candidate). */
  record RegisterCandidate(HostPort instance, io.herald.cluster.PromotionRule rule, long at, long expiresAt)
      implements Command {
    public RegisterCandidate {
      Objects.requireNonNull(instance, "instance");
      Objects.requireNonNull(rule, "rule");
      if (at < 0 || expiresAt <= at) throw new IllegalArgumentException("a registration must expire after it is made");
    }
  }

  /** The longest text a recovery step, reason or acknowledgement may carry. */
  int MAX_TEXT = 2000;

  private static String checkText(String what, String t, boolean blankAllowed) {
    if (t == null || (!blankAllowed && t.isBlank()) || t.length() > MAX_TEXT) {
      throw new IllegalArgumentException("invalid " + what + ": 1 to " + MAX_TEXT + " characters");
    }
    return t;
  }

  /**
   * Begins a master recovery of a cluster; its log index becomes the recovery's id. Refused unless the cluster is
   * still at {@code fromEpoch} with {@code failedMaster} as its master (compare-and-set), no recovery of it is active,
   * and, for an automatic one: recoveries are enabled, the master is not downtimed, a majority of {@code peers}
   * report it dead at that epoch, and no recovery of the cluster began within {@code blockMillis} before {@code at}
   * unless acknowledged (orchestrator's RecoveryPeriodBlockSeconds). A manual one acknowledges earlier ones.
   *
   * @param node the proposing leader's raft address
   * @param peers the group's members when proposed (the quorum of failure reports is counted among them)
   * @param at the proposer's clock, milliseconds
   * @param designated the successor an operator designated (recorded as chosen); empty: the leader chooses
   */
  record BeginRecovery(Alias alias, long fromEpoch, HostPort failedMaster, Recovery.Kind kind, String analysis,
      String node, List<String> peers, long blockMillis, long at, Optional<HostPort> designated) implements Command {
    public BeginRecovery {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(designated, "designated");
      if (designated.isPresent() && kind == Recovery.Kind.AUTOMATIC) throw new IllegalArgumentException("an automatic recovery has no designated successor");
      if (designated.isPresent() && designated.get().equals(failedMaster)) throw new IllegalArgumentException("the designated successor is the master itself");
      Objects.requireNonNull(failedMaster, "failedMaster");
      Objects.requireNonNull(kind, "kind");
      if (analysis == null || !analysis.matches("[A-Za-z-]{1,64}")) throw new IllegalArgumentException("invalid analysis");
      checkText("node", node, false);
      peers = List.copyOf(peers);
      if (peers.size() > 99) throw new IllegalArgumentException("too many peers");
      if (kind == Recovery.Kind.AUTOMATIC && peers.isEmpty()) throw new IllegalArgumentException("an automatic recovery needs the peers");
      if (fromEpoch < 1 || blockMillis < 0 || at < 0) throw new IllegalArgumentException("invalid epoch, block or clock");
    }
  }

  /**
   * Records a step of the active recovery {@code id}. {@code successor}, when given, is the replica chosen (refused
   * if another was chosen before); {@code promoting} says the promotion of the successor begins now (from then on
   * the recovery may have changed the servers).
   */
  record RecoveryStep(Alias alias, long id, String text, Optional<HostPort> successor, boolean promoting, long at)
      implements Command {
    public RecoveryStep {
      Objects.requireNonNull(alias, "alias");
      checkText("step", text, false);
      Objects.requireNonNull(successor, "successor");
      if (id < 1 || at < 0) throw new IllegalArgumentException("invalid id or clock");
    }
  }

  /**
   * Ends the active recovery {@code id} with its successor as the cluster's master: the master change at a new
   * epoch (as a {@link SetMaster} at the recovery's epoch), published by every node.
   */
  record CompleteRecovery(Alias alias, long id, Master successor, List<HostPort> lostReplicas, String forkPoint, long at)
      implements Command {
    public CompleteRecovery {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(successor, "successor");
      lostReplicas = List.copyOf(lostReplicas);
      if (lostReplicas.size() > 10_000) throw new IllegalArgumentException("too many lost replicas");
      checkText("fork point", forkPoint, true);
      if (id < 1 || at < 0) throw new IllegalArgumentException("invalid id or clock");
    }
  }

  /**
   * Ends the active recovery {@code id} without a successor: {@code changedServers} says whether it may have
   * changed the servers (failed) or not (aborted).
   */
  record EndRecovery(Alias alias, long id, boolean changedServers, String reason, long at) implements Command {
    public EndRecovery {
      Objects.requireNonNull(alias, "alias");
      checkText("reason", reason, false);
      if (id < 1 || at < 0) throw new IllegalArgumentException("invalid id or clock");
    }
  }

  /**
   * Publishes the cluster of the active failover {@code id} blank at a new epoch ({@code KVWipeValuesPreFailover}):
   * consumers stop sending writes to the failed master before its successor is ready. Applied once; the end of the
   * failover publishes the successor, or the recorded master again when it ends without one.
   */
  record WipeValues(Alias alias, long id, long at) implements Command {
    public WipeValues {
      Objects.requireNonNull(alias, "alias");
      if (id < 1 || at < 0) throw new IllegalArgumentException("invalid id or clock");
    }
  }

  /** Acknowledges the ended recoveries of one cluster, or of all when {@code alias} is empty (ack-recovery). */
  record AckRecoveries(Optional<Alias> alias, String by, String comment, long at) implements Command {
    public AckRecoveries {
      Objects.requireNonNull(alias, "alias");
      checkText("acknowledger", by, false);
      checkText("comment", comment, true);
      if (at < 0) throw new IllegalArgumentException("invalid clock");
    }
  }
}
