package io.herald.raft;

import java.util.concurrent.CompletableFuture;

/**
 * This node's membership in the raft group, as the rest of Herald sees it (no Ratis types). Thread-safe.
 */
public interface RaftNode extends AutoCloseable {

  /**
   * Replicates a command through the group's leader (wherever it is) and completes with its result once it is
   * committed and applied. Completes exceptionally with {@link RaftUnavailableException} when the group cannot
   * commit within the configured write timeout (no leader, no majority reachable).
   */
  CompletableFuture<CommandResult> submit(Command command);

  /** This node's view of the group; never blocks on the network. */
  RaftStatus status();

  /**
   * True while this node knows of committed changes it has not applied yet (it is catching up with the group
   * after a restart or a partition). Never blocks.
   */
  boolean catchingUp();

  /**
   * The highest epoch this group can have issued so far: an epoch is the log index of the entry that set it, so
   * nothing larger than this node's last log index (or its snapshot's) was ever given out. {@link Long#MAX_VALUE}
   * when not known (not started). Never blocks.
   */
  long epochBound();

  /**
   * Why this node's raft membership cannot do its work right now, one line each: the raft server closed (Ratis closes
   * it after a JVM pause longer than its threshold), the raft log failed (a write to the disk failed), the state
   * machine stopped applying committed entries, no leader known. Empty when healthy. Never blocks on the network.
   */
  java.util.List<String> problems();

  /**
   * True when the node cannot recover without a restart (its raft server or log was closed under it): the process
   * should exit so that a supervisor restarts it.
   */
  boolean needsRestart();

  /** Takes a snapshot of this node's state now; returns its log index. */
  long snapshot() throws RaftUnavailableException;

  /** Adds a member (its advertised {@code host:port}) through a raft membership change. */
  void addPeer(String address) throws RaftUnavailableException;

  /** Removes a member through a raft membership change. */
  void removePeer(String address) throws RaftUnavailableException;

  @Override
  void close();
}
