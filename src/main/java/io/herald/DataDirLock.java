package io.herald;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a node's data directory, held for the node's life, so that a second Herald process started
 * on the same {@code RaftDataDir} stops before it touches the raft log or the delivery logs. The operating system
 * releases it when the process dies, even by {@code kill -9}.
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE = "herald.lock";
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code dir} (which must exist); fails at once, naming the directory, when another node holds it. */
  static DataDirLock acquire(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (java.nio.file.FileSystemException e) {
      throw new IOException("cannot open the lock file of RaftDataDir " + dir + ": " + HeraldNode.reason(e)
          + " (RaftDataDir must be writable by the user running Herald)", e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("RaftDataDir " + dir + " is in use by another Herald node (it holds " + file
          + "); give each node its own RaftDataDir");
    }
    return new DataDirLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
