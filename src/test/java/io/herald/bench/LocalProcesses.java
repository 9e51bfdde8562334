package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Server processes a benchmark starts (etcd members, Herald nodes) and the temporary directory that holds their
 * data and logs. {@link #close()} kills every process it started (SIGTERM, then SIGKILL after 5 s) and deletes the
 * directory; a JVM shutdown hook does the same when the benchmark is interrupted. Not thread-safe: one benchmark
 * thread starts and closes.
 */
final class LocalProcesses implements AutoCloseable {
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final Thread hook;
  private boolean closed;

  LocalProcesses(String prefix) throws IOException {
    dir = Files.createTempDirectory(prefix);
    hook = new Thread(this::cleanUp, "bench-clean-up");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  Path dir() {
    return dir;
  }

  /** Starts {@code command} with its output in {@code <dir>/<name>.log}. */
  Process start(String name, List<String> command) throws IOException {
    return start(name, command, java.util.Map.of());
  }

  /** Starts the command with these variables added to this process' environment. */
  Process start(String name, List<String> command, java.util.Map<String, String> env) throws IOException {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.environment().putAll(env);
    Process p = b.start();
    synchronized (processes) {
      processes.add(p);
    }
    return p;
  }

  /** The last {@code lines} lines of a process' log, for a failure message. */
  String logTail(String name, int lines) {
    try {
      List<String> all = Files.readAllLines(dir.resolve(name + ".log"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the processes started so far (SIGTERM, then SIGKILL after 5 s), keeping the directory. */
  void stopAll() {
    List<Process> copy;
    synchronized (processes) {
      copy = new ArrayList<>(processes);
      processes.clear();
    }
    for (Process p : copy) p.destroy();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Process p : copy) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void cleanUp() {
    stopAll();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs (harmlessly) a second time
    }
  }
}
