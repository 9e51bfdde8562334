package io.herald;

import io.herald.raft.RaftNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can do its work, checked every second: its raft membership's problems, and every 5 s that
 * its data directory has at least {@link #MIN_FREE_BYTES} free and takes a small synced write (a full disk otherwise
 * shows only when raft fails). When the raft
 * server or log was closed under the node, nothing but a restart helps: {@code onFatal} is called once, and the
 * server command exits non-zero so that a supervisor restarts it. Everything else clears by itself when its cause
 * is gone.
 *
 * <p>Thread-safe; owns one named thread, stopped by {@link #close()}.
 */
final class NodeHealth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);
  private final RaftNode raft;
  private final Path probeFile;
  private final Consumer<String> onFatal;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-health");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean fatal = new AtomicBoolean();
  /** What the last check found, to log changes only; health thread only. */
  private List<String> problems = List.of();
  private volatile String diskProblem = "";
  private long ticks;

  NodeHealth(RaftNode raft, Path dataDir, Consumer<String> onFatal) {
    this.raft = raft;
    this.probeFile = dataDir.resolve("health-probe");
    this.onFatal = onFatal;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::check, 0, 1, TimeUnit.SECONDS);
  }

  /** Why the node cannot work now, read at the call (the disk check is at most 5 s old); empty when healthy. */
  List<String> problems() {
    List<String> now = new ArrayList<>(raft.problems());
    if (!diskProblem.isEmpty()) now.add(diskProblem);
    return List.copyOf(now);
  }

  private void check() {
    try {
      if (ticks++ % 5 == 0) diskProblem = probeDisk();
      List<String> now = problems();
      if (!now.equals(problems)) {
        if (now.isEmpty()) LOG.info("node healthy again"); else LOG.warn("node unhealthy: {}", String.join("; ", now));
      }
      problems = now;
      if (raft.needsRestart() && fatal.compareAndSet(false, true)) {
        String why = now.isEmpty() ? "raft server closed" : now.get(0);
        LOG.error("node cannot recover without a restart: {}", why);
        onFatal.accept(why);
      }
    } catch (RuntimeException e) {
      LOG.warn("health check failed: {}", e.toString());
    }
  }

  /** Less usable space than this on RaftDataDir's file system is a full disk: raft's next segment will not fit. */
  static final long MIN_FREE_BYTES = 1 << 20;

  private String probeDisk() {
    try {
      long free = java.nio.file.Files.getFileStore(probeFile.getParent()).getUsableSpace();
      if (free < MIN_FREE_BYTES) return "the disk of " + probeFile.getParent() + " is full: " + free / 1024 + " KB free";
    } catch (IOException e) {
      return "cannot read the free space of " + probeFile.getParent() + ": " + e.getMessage();
    }
    try (FileChannel ch = FileChannel.open(probeFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
      return "";
    } catch (IOException e) {
      return "cannot write " + probeFile.getParent() + ": " + e.getMessage();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
