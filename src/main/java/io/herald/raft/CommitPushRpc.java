package io.herald.raft;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * Ratis' gRPC transport, with one change on the leader: a follower is told of a new commit index at once.
 *
 * <p>Ratis carries the leader's commit index only in append requests. When nothing follows a change, a follower
 * learns that the change committed from the next heartbeat, half the minimum election timeout later (300 ms here),
 * and applies and publishes it that late. Ratis' answer is a "commit-index metadata entry" after every commit: one
 * more log append, fsync and replication round per change, which cost about 40% of a change's CPU in
 * {@code bench/run commit-latency}. Here the leader instead sends the follower one empty append (Ratis' own
 * heartbeat message) once the follower has flushed an entry that the group committed and has not been told so,
 * and nothing is waiting to be sent to it or for its answer (the next append, or the answer's own check, would see
 * to it). The push waits {@link #PUSH_DELAY_MICROS} first and is dropped if an append told the follower meanwhile:
 * a client writing one change after another sends its next change within that time, and the append that carries it
 * carries the commit index too, so the push's two messages per follower and change are saved.
 * A follower applies at most what it flushed, whatever commit index it is sent, so this changes when a follower
 * learns of a commit, never what is committed.
 *
 * <p>It relies on Ratis' default read-index type (the commit index), which is what a heartbeat carries as the
 * leader's commit: with another type a heartbeat would carry less than the push wants to tell, and the checks would
 * repeat every {@link #PUSH_DELAY_MICROS} while the follower's apply lags.
 *
 * <p>Ratis finds this class by name ({@code raft.rpc.type}), so it must stay public with a public no-argument
 * constructor.
 */
public final class CommitPushRpc implements RpcType {
  /**
   * How long a push waits for an append that would carry the commit index anyway. A follower applies an idle
   * group's last change this much later (against 300 ms without the push).
   */
  static final long PUSH_DELAY_MICROS = 2_000;
  /** An idle server's push thread ends after this; the next push starts another. */
  private static final long PUSH_THREAD_IDLE_SECONDS = 10;

  @Override
  public String name() {
    return CommitPushRpc.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new Factory(parameters);
  }

  /**
   * Ratis' gRPC factory (one per Ratis server), whose log appenders push commits. Its appenders' delayed checks run on
   * a thread of its own: a check reads the log under its lock, which a stalled disk can hold for seconds, so it
   * must not run on a thread others share (the JDK's delay thread times out every RaftWrites attempt). The thread
   * ends when idle, as Ratis gives a factory no close.
   */
  static final class Factory extends GrpcFactory {
    private final ScheduledThreadPoolExecutor pushes = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "raft-commit-push");
      t.setDaemon(true);
      return t;
    });

    Factory(Parameters parameters) {
      super(parameters);
      pushes.setKeepAliveTime(PUSH_THREAD_IDLE_SECONDS, TimeUnit.SECONDS);
      pushes.allowCoreThreadTimeOut(true);
      pushes.setRemoveOnCancelPolicy(true);
    }

    @Override
    public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      return new Appender(server, state, follower, pushes);
    }
  }

  /** The leader's sender to one follower: Ratis' gRPC appender, plus the commit push. */
  static final class Appender extends GrpcLogAppender {
    /**
     * The highest commit index a request sent to this follower let it apply (Ratis bounds it by the request's last
     * entry; a request without a previous entry lets it apply nothing). Overstated only when a request is lost, and
     * then the next heartbeat tells the follower, as without the push.
     */
    private final AtomicLong told = new AtomicLong(-1);
    /** True from the moment a push is wanted until its delayed check ran (at most one check waits). */
    private final AtomicBoolean pushPending = new AtomicBoolean();

    private final ScheduledExecutorService pushes;

    Appender(RaftServer.Division server, LeaderState state, FollowerInfo follower, ScheduledExecutorService pushes) {
      super(server, state, follower);
      this.pushes = pushes;
    }

    /**
     * Ratis calls this after every commit-index change and every reply from the follower: the moments when the
     * follower may become able to apply more.
     */
    @Override
    public void notifyLogAppender() {
      try {
        if (pushWanted() && pushPending.compareAndSet(false, true)) {
          pushes.schedule(this::pushIfStillWanted, PUSH_DELAY_MICROS, TimeUnit.MICROSECONDS);
        }
      } catch (RuntimeException closedLog) {
        // the log is closed (a failed write, or shutting down): nothing to push; Ratis' own signal still goes out
        pushPending.set(false);
      } finally {
        super.notifyLogAppender();
      }
    }

    /**
     * The delayed check: pushes unless an append told the follower meanwhile. The flag is cleared first, so that a
     * change arriving during the check schedules its own (at worst one check too many: Ratis' trigger comes back to
     * {@link #notifyLogAppender} before the heartbeat is built, and that second check finds nothing to do).
     */
    private void pushIfStillWanted() {
      pushPending.set(false);
      try {
        if (pushWanted()) triggerHeartbeat();
      } catch (RuntimeException closedLog) {
        // closed meanwhile: nothing to push
      }
    }

    private boolean pushWanted() {
      FollowerInfo f = getFollower();
      return pushTo(getRaftLog().getLastCommittedIndex(), f.getMatchIndex(), Math.max(f.getCommitIndex(), told.get()),
          hasAppendEntries(), hasPendingDataRequests()) >= 0;
    }

    @Override
    public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat) throws RaftLogIOException {
      AppendEntriesRequestProto request = super.newAppendEntriesRequest(callId, heartbeat);
      if (request != null && request.hasPreviousLog()) {
        int n = request.getEntriesCount();
        long last = n > 0 ? request.getEntries(n - 1).getIndex() : request.getPreviousLog().getIndex();
        told.accumulateAndGet(Math.min(request.getLeaderCommit(), last), Math::max);
      }
      return request;
    }

    /**
     * The commit index worth pushing to the follower now, or -1: what it flushed and the group committed, when it was
     * told less, no entry waits to be sent to it and no append to it awaits its answer (a heartbeat sent meanwhile
     * carries no commit index the follower may use; the answer comes back here).
     */
    static long pushTo(long committed, long followerMatch, long followerTold, boolean entriesToSend,
        boolean appendPending) {
      long applicable = Math.min(committed, followerMatch);
      if (applicable <= followerTold || entriesToSend || appendPending) return -1;
      return applicable;
    }
  }
}
