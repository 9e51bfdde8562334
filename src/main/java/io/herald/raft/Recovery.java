package io.herald.raft;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One master recovery of a cluster, as the group recorded it: who began it, why, each step, how it ended. The log
 * index of its {@link Command.BeginRecovery} is its id and its lease: a step or end carrying another id is refused,
 * so a deposed leader cannot act on a recovery another leader took over. Immutable.
 *
 * @param id the log index of its begin
 * @param failedMaster the master it replaces
 * @param fromEpoch the cluster's epoch when it began (its end sets the master only if the epoch is still this)
 * @param kind automatic (a dead master, by quorum), manual (recover / force-master-failover) or graceful (takeover)
 * @param analysis the analysis code it acts on ({@code DeadMaster}, or the command for manual ones)
 * @param node the raft address of the leader that began it
 * @param startedAt the proposer's clock, milliseconds
 * @param steps what was done, in order
 * @param successor the replica chosen to replace the master (set once; never changed)
 * @param promoting whether a promotion may have been started on the servers (from then on it cannot end as
 *     {@link State#ABORTED})
 * @param state active, or how it ended
 * @param endedAt when it ended (0 while active)
 * @param lostReplicas replicas that could not follow the successor
 * @param forkPoint the successor's {@code gtid_binlog_pos} when it was promoted ("" when not promoted)
 * @param reason why it failed or was aborted ("" otherwise)
 * @param ack its acknowledgement, when acknowledged
 */
public record Recovery(long id, Alias alias, HostPort failedMaster, long fromEpoch, Kind kind, String analysis,
    String node, long startedAt, List<Step> steps, Optional<HostPort> successor, boolean promoting, State state,
    long endedAt, List<HostPort> lostReplicas, String forkPoint, String reason, Optional<Ack> ack) {

  public enum Kind { AUTOMATIC, MANUAL, GRACEFUL }

  public enum State {
    ACTIVE,
    /** The successor was published. */
    SUCCEEDED,
    /** It ended without a successor after it may have changed the servers. */
    FAILED,
    /** It ended before it changed anything on the servers. */
    ABORTED
  }

  /** One step: the proposer's clock and what was done. */
  public record Step(long at, String text) {
    public Step {
      Objects.requireNonNull(text, "text");
    }
  }

  /** An acknowledgement: who, why, when. */
  public record Ack(String by, String comment, long at) {
    public Ack {
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(comment, "comment");
    }
  }

  public Recovery {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(failedMaster, "failedMaster");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(analysis, "analysis");
    Objects.requireNonNull(node, "node");
    steps = List.copyOf(steps);
    Objects.requireNonNull(successor, "successor");
    Objects.requireNonNull(state, "state");
    lostReplicas = List.copyOf(lostReplicas);
    Objects.requireNonNull(forkPoint, "forkPoint");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(ack, "ack");
  }

  public boolean active() {
    return state == State.ACTIVE;
  }

  Recovery withStep(Step step, Optional<HostPort> chosen, boolean promotingNow) {
    List<Step> s = new ArrayList<>(steps);
    s.add(step);
    return new Recovery(id, alias, failedMaster, fromEpoch, kind, analysis, node, startedAt, s,
        successor.or(() -> chosen), promoting || promotingNow, state, endedAt, lostReplicas, forkPoint, reason, ack);
  }

  Recovery ended(State how, long at, Optional<HostPort> newMaster, List<HostPort> lost, String fork, String why, Step last) {
    List<Step> s = new ArrayList<>(steps);
    s.add(last);
    return new Recovery(id, alias, failedMaster, fromEpoch, kind, analysis, node, startedAt, s,
        newMaster.or(() -> successor), promoting, how, at, lost, fork, why, ack);
  }

  Recovery acknowledged(Ack a) {
    return new Recovery(id, alias, failedMaster, fromEpoch, kind, analysis, node, startedAt, steps, successor,
        promoting, state, endedAt, lostReplicas, forkPoint, reason, Optional.of(a));
  }
}
