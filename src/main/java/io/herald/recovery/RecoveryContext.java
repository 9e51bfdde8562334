package io.herald.recovery;

import io.herald.cluster.AddressResolver;
import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.discovery.DiscoveryView;
import io.herald.failover.SuccessorRules;
import io.herald.mysql.ReplicationControl;
import io.herald.raft.Candidate;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.DesiredState;
import io.herald.raft.RaftNode;
import io.herald.raft.Recovery;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** What a recovery run works with: the group's state and log, this node's view, the servers. */
record RecoveryContext(RecoveryOptions options, DesiredState desired, RaftNode raft, Supplier<DiscoveryView> view,
    ReplicationControl control, AddressResolver resolver, Clock clock, HookProcesses hooks, ExecutorService io) {

  /** How long a command may take to commit before the run gives up (a new leader resumes it). */
  static final long COMMIT_TIMEOUT_SECONDS = 15;

  /** Commits a command and returns its result (applied or refused); throws Deposed when it cannot be committed. */
  CommandResult commit(Command command) {
    try {
      return raft.submit(command).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Deposed("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new Deposed("cannot commit through raft: " + (e.getCause() == null ? e : e.getCause()).getMessage());
    }
  }

  /** The promotion rules registered and still valid now. */
  SuccessorRules rules() {
    long now = clock.millis();
    Map<HostPort, io.herald.cluster.PromotionRule> rules = new HashMap<>();
    for (Candidate c : desired.candidates()) if (c.validAt(now)) rules.put(c.instance(), c.rule());
    return new SuccessorRules(rules, options.promotionIgnoreHostnames(), options.sameDataCenterOnly());
  }


  Optional<Recovery> active(Alias alias) {
    return desired.activeRecovery(alias);
  }

  /** Throws {@link Deposed} unless this node is the raft leader. */
  void raftGuard() {
    if (!raft.status().isLeader()) throw new Deposed("not the leader");
  }

  /** This node lost the leadership (or its term changed), or cannot commit: the run stops; a leader resumes it. */
  static final class Deposed extends RuntimeException {
    Deposed(String why) {
      super(why, null, false, false);
    }
  }
}
