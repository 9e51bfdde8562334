package io.herald.recovery;

import io.herald.raft.Command;
import io.herald.raft.DesiredState;
import io.herald.raft.RaftNode;
import io.herald.raft.Recovery;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a node without discovery (no {@code MySQLTopologyUser}), which cannot drive a recovery: while it leads, it ends
 * every active recovery with the reason, so that none stays active for ever (blocking discovery's changes of that
 * cluster) because the group elected a leader that cannot reach the servers. A misconfigured group is told so in
 * the recovery's record.
 */
public final class UndrivableRecoveries implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UndrivableRecoveries.class);
  private final DesiredState desired;
  private final RaftNode raft;
  private final Clock clock;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "recovery-undrivable");
    t.setDaemon(true);
    return t;
  });

  public UndrivableRecoveries(DesiredState desired, RaftNode raft, Clock clock) {
    this.desired = desired;
    this.raft = raft;
    this.clock = clock;
  }

  public void start() {
    loop.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  private void tick() {
    try {
      var status = raft.status();
      if (!status.isLeader()) return;
      for (Recovery r : desired.activeRecoveries()) {
        String why = "the leader " + status.self() + " has no discovery (MySQLTopologyUser is not configured): it "
            + "cannot drive recoveries; configure every node alike";
        LOG.warn("recovery {} of {}: ended: {}", r.id(), r.alias(), why);
        raft.submit(new Command.EndRecovery(r.alias(), r.id(), r.promoting(), why, clock.millis()));
      }
    } catch (RuntimeException e) {
      LOG.warn("recovery: check failed (retried): {}", e.toString());
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
