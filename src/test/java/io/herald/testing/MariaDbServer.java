package io.herald.testing;

import io.herald.cluster.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One disposable {@code mariadbd} of a {@link MariaDbLab}: its own my.cnf (never /etc/mysql), datadir, socket, pid
 * file and tmpdir under {@code dir}, listening on 127.0.0.1 only. Not thread-safe; the lab drives it.
 */
final class MariaDbServer {
  private final int id;
  private final int port;
  private final boolean readOnly;
  private final Path dir;
  private Process process;

  MariaDbServer(int id, int port, boolean readOnly, Path dir) {
    this.id = id;
    this.port = port;
    this.readOnly = readOnly;
    this.dir = dir;
  }

  static String runAsUser() {
    // mariadbd refuses to run as root unless told to
    return "root".equals(System.getProperty("user.name")) ? "user=root\n" : "";
  }

  HostPort address() {
    return new HostPort("127.0.0.1", port);
  }

  /** Copies the bootstrapped datadir and writes the my.cnf. */
  void install(Path template) throws IOException {
    Files.createDirectories(dir.resolve("tmp"));
    MariaDbTemplate.copyTree(template, dir.resolve("data"));
    Files.writeString(dir.resolve("my.cnf"), "[mariadbd]\n" + runAsUser()
        + "datadir=" + dir.resolve("data") + "\ntmpdir=" + dir.resolve("tmp") + "\nsocket=" + dir.resolve("mysqld.sock")
        + "\npid-file=" + dir.resolve("mysqld.pid") + "\nlog_error=" + dir.resolve("error.log")
        + "\nport=" + port + "\nbind_address=127.0.0.1\nskip_name_resolve\nskip_external_locking"
        + "\nserver_id=" + id + "\nreport_host=127.0.0.1\nreport_port=" + port
        + "\nlog_bin=bin\nrelay_log=relay\nlog_slave_updates=ON\nbinlog_format=ROW\ngtid_strict_mode=ON"
        + "\nread_only=" + (readOnly ? "ON" : "OFF")
        // before CHANGE MASTER: the heartbeat period is fixed then, so a hung source is seen in ~4 s, not 60
        + "\nslave_net_timeout=4\ninnodb_buffer_pool_size=16M\ninnodb_log_file_size=8M\nperformance_schema=OFF\n");
  }

  /** Starts the server process (returns at once; the lab waits until it answers). */
  void start() {
    if (running()) throw new IllegalStateException("server " + id + " is already running");
    try {
      process = new ProcessBuilder(List.of(MariaDbTemplate.MARIADBD.toString(), "--defaults-file=" + dir.resolve("my.cnf")))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  long pid() {
    if (!running()) throw new IllegalStateException("server " + id + " is not running");
    return process.pid();
  }

  /** SIGKILL, then waits until the process is gone. */
  void kill9() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("server " + id + " survived SIGKILL");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing server " + id, e);
    }
  }

  /** Sends a signal by name ({@code STOP}, {@code CONT}) to the running server. */
  void signal(String name) {
    long pid = pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling server " + id, e);
    }
  }

  /** The end of the error log, for failure messages. */
  String errorLogTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("error.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException e) {
      return "(no error log: " + e.getMessage() + ")";
    }
  }
}
