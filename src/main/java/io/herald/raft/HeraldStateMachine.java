package io.herald.raft;

import io.herald.cluster.Cluster;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's raft state machine: thin and deterministic. Commands are validated (decoded) in
 * {@link #startTransaction}, applied to {@link DesiredState} with no I/O, and the {@link StateListener} is told;
 * publishing happens elsewhere, off this thread. Snapshots hold the whole desired state with its term-index.
 */
final class HeraldStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(HeraldStateMachine.class);

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final DesiredState state;
  private final StateListener listener;
  private final Runnable afterFailover;
  private final java.util.concurrent.atomic.AtomicLong snapshotInstalls = new java.util.concurrent.atomic.AtomicLong();
  private volatile long lastSnapshotNanos;

  /**
   * @param afterFailover called (on the apply thread, must not block) after a master change is applied, so that
   *     the node can take a snapshot soon after, as orchestrator does
   */
  HeraldStateMachine(DesiredState state, StateListener listener, Runnable afterFailover) {
    this.state = state;
    this.listener = listener;
    this.afterFailover = afterFailover;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    getLifeCycle().startAndTransition(() -> {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
      deleteUnfinishedSnapshots(raftStorage.getStorageDir().getStateMachineDir());
      load(storage.getLatestSnapshot());
    });
  }

  /** Ratis pauses the state machine before it installs a snapshot from the leader, then reinitializes it. */
  @Override
  public void pause() {
    if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    // called after the leader installed a snapshot on this node: the whole state is new
    snapshotInstalls.incrementAndGet();
    load(storage.loadLatestSnapshot());
    if (getLifeCycle().getCurrentState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    try {
      CommandCodec.decodeCommand(request.getMessage().getContent().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new IOException("refused a malformed command: " + e.getMessage(), e);
    }
    return super.startTransaction(request);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    TermIndex termIndex = TermIndex.valueOf(entry);
    byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
    CommandResult result;
    Command command = null;
    synchronized (this) {
      try {
        command = CommandCodec.decodeLogged(data);
        result = state.apply(command, termIndex.getIndex());
      } catch (RuntimeException e) {
        // startTransaction refuses these; an old, foreign or corrupt entry must still not stop the server, and every
        // node refuses it alike (the same bytes fail the same way), so the states stay equal
        result = CommandResult.refused(termIndex.getIndex(), CommandResult.Refusal.Kind.INVALID, String.valueOf(e.getMessage()));
      }
      updateLastAppliedTermIndex(termIndex);
    }
    if (!result.clusters().isEmpty()) listener.onApplied(result.clusters());
    if (command instanceof Command.SetMaster && result.error().isEmpty()) afterFailover.run();
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(CommandCodec.encode(result))));
  }

  @Override
  public long takeSnapshot() throws IOException {
    long t0 = System.nanoTime();
    TermIndex applied;
    File file;
    org.apache.ratis.io.MD5Hash md5;
    synchronized (this) {
      applied = getLastAppliedTermIndex();
      if (applied == null || applied.getIndex() < 0) return RaftLog.INVALID_LOG_INDEX;
      file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
      File tmp = new File(file.getPath() + ".tmp");
      boolean written = false;
      java.security.MessageDigest digest = MD5FileUtil.newMD5();
      try (FileChannel ch = FileChannel.open(tmp.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
              new java.security.DigestOutputStream(Channels.newOutputStream(ch), digest), 1 << 16))) {
        state.writeTo(out);
        out.flush();
        // Ratis purges the log up to this index once the snapshot is recorded: it must survive a power cut
        ch.force(true);
        written = true;
      } finally {
        if (!written) Files.deleteIfExists(tmp.toPath()); // a full disk must not keep the half-written file
      }
      // the digest goes down before the snapshot takes its name, so a crash never leaves a snapshot without one
      // (which would stop the node at start); a digest without its snapshot is ignored
      md5 = org.apache.ratis.io.MD5Hash.newInstance(digest.digest());
      MD5FileUtil.saveMD5File(file, md5);
      Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(file.getParentFile().toPath(), StandardOpenOption.READ)) {
        dir.force(true); // and so must both renames
      }
    }
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), applied));
    lastSnapshotNanos = System.nanoTime() - t0;
    LOG.info("raft snapshot taken at {} with {} clusters in {} ms", applied, state.size(), lastSnapshotNanos / 1_000_000);
    return applied.getIndex();
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null || !Files.exists(snapshot.getFile().getPath())) return;
    File file = snapshot.getFile().getPath().toFile();
    checkDigest(file);
    TermIndex last = SimpleStateMachineStorage.getTermIndexFromSnapshotFile(file);
    synchronized (this) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file.toPath())))) {
        state.readFrom(in);
      }
      updateLastAppliedTermIndex(last);
    }
    LOG.info("raft snapshot loaded at {} with {} clusters", last, state.size());
    listener.onReset(java.util.List.copyOf(state.clusters()));
  }

  /**
   * The snapshot's content must match the MD5 saved beside it when it was written: a corrupt snapshot loaded
   * silently would be published to every store by anti-entropy. A node stops at start rather than serve it.
   */
  static void checkDigest(File file) throws IOException {
    File md5 = MD5FileUtil.getDigestFileForFile(file);
    if (!md5.exists()) {
      throw new IOException("raft snapshot " + file + " has no " + md5.getName() + ": it cannot be checked; move the "
          + "snapshot out of the directory to let this node catch up from the leader");
    }
    var stored = MD5FileUtil.readStoredMd5ForFile(file);
    var actual = MD5FileUtil.computeMd5ForFile(file);
    if (!stored.equals(actual)) {
      throw new IOException("raft snapshot " + file + " is corrupt (its content does not match " + md5.getName()
          + "); move it and its .md5 out of the directory to start without it: a group member then gets the state from "
          + "the leader, a standalone node keeps what older snapshots and its log still hold");
    }
  }

  /** A snapshot write that failed (disk full, crash) leaves its {@code .tmp} file: delete them at start. */
  private static void deleteUnfinishedSnapshots(File dir) throws IOException {
    File[] tmp = dir.listFiles((d, name) -> name.endsWith(".tmp"));
    if (tmp == null) return;
    for (File f : tmp) {
      Files.deleteIfExists(f.toPath());
      LOG.info("raft snapshot {} was never finished; deleted", f);
    }
  }

  /** How long the last snapshot took to write (Ratis' apply thread waits meanwhile); 0 before the first. */
  long lastSnapshotNanos() {
    return lastSnapshotNanos;
  }

  /** For status: how many snapshots the leader installed on this node since start. */
  long snapshotInstalls() {
    return snapshotInstalls.get();
  }

  /** For status: the index of the newest snapshot, -1 when none. */
  long latestSnapshotIndex() {
    SingleFileSnapshotInfo s = storage.getLatestSnapshot();
    return s == null ? -1 : s.getIndex();
  }

  /** Unused by Herald: all reads are served from {@link DesiredState} directly. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("Herald serves reads locally"));
  }

}
