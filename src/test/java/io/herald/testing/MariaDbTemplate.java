package io.herald.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB datadir bootstrapped once by {@code mariadb-install-db} with the lab's users, copied for each lab server:
 * a copy takes tens of milliseconds, an install about a second. Made at most once per bootstrap text and machine
 * (under a file lock, so parallel JVMs share it), in {@code java.io.tmpdir}. Nothing in it is binlogged, so every
 * copy starts with an empty GTID state.
 */
final class MariaDbTemplate {
  static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
  static final String ROOT_PASSWORD = "rootpass";
  static final String HERALD_PASSWORD = "heraldpass";

  /** mariadb-install-db runs this with the grant tables not loaded: FLUSH PRIVILEGES first, or CREATE USER fails. */
  static final String BOOTSTRAP = """
      FLUSH PRIVILEGES;
      CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY 'rootpass';
      GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
      CREATE USER 'herald'@'127.0.0.1' IDENTIFIED BY 'heraldpass';
      GRANT SUPER, PROCESS, RELOAD, REPLICATION SLAVE, BINLOG MONITOR, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN,
        SLAVE MONITOR, READ_ONLY ADMIN, CONNECTION ADMIN ON *.* TO 'herald'@'127.0.0.1';
      GRANT SELECT ON mysql.* TO 'herald'@'127.0.0.1';
      CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'replpass';
      GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
      CREATE DATABASE app;
      CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'apppass';
      GRANT ALL ON app.* TO 'app'@'127.0.0.1';
      """;

  private static final Object IN_THIS_JVM = new Object();

  private MariaDbTemplate() {}

  /** The bootstrapped datadir, made now if missing. */
  static Path datadir() {
    if (!Files.isExecutable(MARIADBD)) {
      throw new IllegalStateException(MARIADBD + " is missing: run bin/test-servers start (installs mariadb-server)");
    }
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "herald-mariadb-template");
    Path dir = base.resolve(hash(BOOTSTRAP));
    synchronized (IN_THIS_JVM) {
      try {
        Files.createDirectories(base);
        try (FileChannel ch = FileChannel.open(base.resolve(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
          if (!Files.exists(dir.resolve("installed"))) install(dir);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir.resolve("data");
  }

  private static void install(Path dir) throws IOException {
    deleteTree(dir);
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(dir.resolve("bootstrap.sql"), BOOTSTRAP);
    Files.writeString(dir.resolve("my.cnf"), "[mariadbd]\n" + MariaDbServer.runAsUser() + "datadir=" + dir.resolve("data")
        + "\ntmpdir=" + dir.resolve("tmp") + "\nsocket=" + dir.resolve("mysqld.sock") + "\npid-file=" + dir.resolve("mysqld.pid")
        + "\nlog_error=" + dir.resolve("error.log") + "\nskip_networking\ninnodb_buffer_pool_size=16M\ninnodb_log_file_size=8M\n");
    Process p = new ProcessBuilder(List.of("mariadb-install-db", "--defaults-file=" + dir.resolve("my.cnf"),
        "--skip-test-db", "--auth-root-authentication-method=socket", "--extra-file=" + dir.resolve("bootstrap.sql")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("install.log").toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("mariadb-install-db did not finish within 120 s: " + dir.resolve("install.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while waiting for mariadb-install-db", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("mariadb-install-db failed (exit " + p.exitValue() + "): " + dir.resolve("install.log"));
    }
    Files.createFile(dir.resolve("installed"));
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((MARIADBD + "\n" + text).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
