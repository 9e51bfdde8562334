package io.herald.raft;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Ratis' gRPC transport, with one change on the leader: a follower is told of a new commit index at once.
 *
 * <p>Ratis carries the leader's commit index only in append requests. When nothing follows a change, a follower
 * learns that the change committed from the next heartbeat, half the minimum election timeout later (300 ms here),
 * and applies and publishes it that late. Ratis' answer is a "commit-index metadata entry" after every commit: one
 * more log append, fsync and replication round per change, which cost about 40% of a change's CPU in
 * {@code bench/run commit-latency}. Here the leader instead sends the follower one empty append (Ratis' own
 * heartbeat message) as soon as the follower has flushed an entry that the group committed and has not been told
 * so, and nothing newer is waiting to be sent to it (the next append would carry the commit index anyway).
 * A follower applies at most what it flushed, whatever commit index it is sent, so this changes when a follower
 * learns of a commit, never what is committed.
 *
 * <p>Ratis finds this class by name ({@code raft.rpc.type}), so it must stay public with a public no-argument
 * constructor.
 */
public final class CommitPushRpc implements RpcType {
  @Override
  public String name() {
    return CommitPushRpc.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new Factory(parameters);
  }

  /** Ratis' gRPC factory, whose log appenders push commits. */
  static final class Factory extends GrpcFactory {
    Factory(Parameters parameters) {
      super(parameters);
    }

    @Override
    public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      return new Appender(server, state, follower);
    }
  }

  /** The leader's sender to one follower: Ratis' gRPC appender, plus the commit push. */
  static final class Appender extends GrpcLogAppender {
    /** The highest commit index this appender pushed to its follower. */
    private final AtomicLong pushed = new AtomicLong(-1);

    Appender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      super(server, state, follower);
    }

    /**
     * Ratis calls this after every commit-index change and every reply from the follower: the moments when the
     * follower may become able to apply more.
     */
    @Override
    public void notifyLogAppender() {
      FollowerInfo f = getFollower();
      long push = pushTo(getRaftLog().getLastCommittedIndex(), getRaftLog().getNextIndex(), f.getMatchIndex(),
          f.getCommitIndex(), f.getNextIndex());
      if (push >= 0 && pushed.getAndAccumulate(push, Math::max) < push) {
        triggerHeartbeat(); // sets Ratis' trigger, then comes back here (nothing new to push) to wake the sender
        return;
      }
      super.notifyLogAppender();
    }

    /**
     * The commit index worth pushing to the follower now, or -1: what it flushed and the group committed, when it was
     * told less, and when no entry waits to be sent to it.
     */
    static long pushTo(long committed, long leaderNext, long followerMatch, long followerCommit, long followerNext) {
      long applicable = Math.min(committed, followerMatch);
      if (applicable <= followerCommit || followerNext < leaderNext) return -1;
      return applicable;
    }
  }
}
