package io.herald.testing;

import static org.awaitility.Awaitility.await;

import io.herald.cluster.HostPort;
import io.herald.cluster.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Disposable MariaDB servers with GTID replication, for tests that break topologies: each destructive test makes its
 * own lab and closes it. Servers are numbered from 1 and listen on 127.0.0.1 at {@code basePort + n - 1} (keep it
 * below 32768, outside the ephemeral range). A topology such as {@code "2->1, 3->2"} says who replicates from whom;
 * a server that replicates from nobody starts writable, the others {@code read_only}.
 *
 * <p>Users: {@code root}/{@code rootpass} (all privileges), {@code herald}/{@code heraldpass} (discovery and
 * failover grants), {@code repl}/{@code replpass}, {@code app}/{@code apppass} (schema {@code app} only).
 * Not thread-safe except {@link #sql}, which opens a connection per call.
 */
public final class MariaDbLab implements AutoCloseable {
  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final org.mariadb.jdbc.Driver DRIVER = new org.mariadb.jdbc.Driver();

  /** Who a statement runs as. */
  public enum Login {
    ROOT("root", MariaDbTemplate.ROOT_PASSWORD), HERALD("herald", MariaDbTemplate.HERALD_PASSWORD);

    final String user;
    final String password;

    Login(String user, String password) {
      this.user = user;
      this.password = password;
    }
  }

  private final Path dir;
  private final List<MariaDbServer> servers = new ArrayList<>();
  private final Map<Integer, Integer> sources;

  private MariaDbLab(Path dir, Map<Integer, Integer> sources) {
    this.dir = dir;
    this.sources = sources;
  }

  /**
   * Installs and starts {@code count} servers in parallel, sets up replication per {@code topology}
   * ({@code "replica->source, ..."}, empty for none) and waits until every replica's threads run.
   */
  public static MariaDbLab start(int basePort, int count, String topology) {
    Map<Integer, Integer> sources = parseTopology(topology, count);
    if (basePort < 1024 || basePort + count > 32768) throw new IllegalArgumentException("ports must lie in 1024..32767");
    for (int n = 0; n < count; n++) requireFree(basePort + n);
    Path template = MariaDbTemplate.datadir();
    MariaDbLab lab;
    try {
      lab = new MariaDbLab(Files.createTempDirectory("herald-mariadb-lab"), sources);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (int n = 1; n <= count; n++) {
        MariaDbServer s = new MariaDbServer(n, basePort + n - 1, sources.containsKey(n), lab.dir.resolve("s" + n));
        s.install(template);
        lab.servers.add(s);
      }
      lab.servers.forEach(MariaDbServer::start);
      for (int n = 1; n <= count; n++) lab.awaitAnswering(n);
      for (Map.Entry<Integer, Integer> e : sources.entrySet()) lab.replicate(e.getKey(), e.getValue());
      for (int replica : sources.keySet()) lab.awaitReplicating(replica);
      return lab;
    } catch (IOException | RuntimeException e) {
      lab.close();
      if (e instanceof IOException io) throw new UncheckedIOException(io);
      throw (RuntimeException) e;
    }
  }

  /** A port some other process holds would let this lab talk to that process' server: fail at once instead. */
  private static void requireFree(int port) {
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " is taken (a server left behind by an earlier run?): " + e.getMessage());
    }
  }

  /** {@code "2->1, 3->2"} -> {2=1, 3=2}. */
  static Map<Integer, Integer> parseTopology(String topology, int count) {
    Map<Integer, Integer> sources = new TreeMap<>();
    for (String edge : topology.split(",")) {
      if (edge.isBlank()) continue;
      String[] p = edge.split("->");
      if (p.length != 2) throw new IllegalArgumentException("bad edge '" + edge + "': expected replica->source");
      int replica = Integer.parseInt(p[0].trim());
      int source = Integer.parseInt(p[1].trim());
      if (replica < 1 || replica > count || source < 1 || source > count || replica == source
          || sources.put(replica, source) != null) {
        throw new IllegalArgumentException("bad edge '" + edge + "' for " + count + " servers");
      }
    }
    return sources;
  }

  public HostPort address(int server) {
    return server(server).address();
  }

  public List<HostPort> addresses() {
    return servers.stream().map(MariaDbServer::address).toList();
  }

  public long pid(int server) {
    return server(server).pid();
  }

  public String user(Login login) {
    return login.user;
  }

  public Secret password(Login login) {
    return new Secret(login.password);
  }

  /** Runs one statement as root; returns its rows (column label -> text, NULL as null), empty for an update. */
  public List<Map<String, String>> sql(int server, String statement) {
    return sql(Login.ROOT, server, statement);
  }

  public List<Map<String, String>> sql(Login login, int server, String statement) {
    try {
      return query(server, login.user, login.password, statement);
    } catch (SQLException e) {
      throw new IllegalStateException("server " + server + ": " + statement + ": " + e.getMessage(), e);
    }
  }

  /** Runs one statement as any user; SQL errors are thrown as they come. */
  public List<Map<String, String>> query(int server, String user, String password, String statement) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "2000");
    p.setProperty("socketTimeout", "30000");
    HostPort a = address(server);
    try (Connection c = DRIVER.connect("jdbc:mariadb://" + a + "/", p); Statement st = c.createStatement()) {
      List<Map<String, String>> rows = new ArrayList<>();
      if (st.execute(statement)) {
        try (ResultSet rs = st.getResultSet()) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getString(i));
            rows.add(row);
          }
        }
      }
      return rows;
    }
  }

  /** The single value of a one-row, one-column query. */
  public String value(int server, String query) {
    List<Map<String, String>> rows = sql(server, query);
    if (rows.size() != 1 || rows.get(0).size() != 1) throw new IllegalStateException(query + " returned " + rows);
    return rows.get(0).values().iterator().next();
  }

  /** SIGKILL: the server dies at once, as in a crash. */
  public void kill9(int server) {
    server(server).kill9();
  }

  /** SIGSTOP: the server hangs (its port still accepts TCP connections, nothing answers). */
  public void pause(int server) {
    server(server).signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume(int server) {
    server(server).signal("CONT");
  }

  /** Starts a killed server again (crash recovery included) and waits until it answers. */
  public void restart(int server) {
    server(server).start();
    awaitAnswering(server);
  }

  /** Waits until the server accepts root's connections. */
  public void awaitAnswering(int server) {
    MariaDbServer s = server(server);
    await("server " + server + " answers").atMost(START_TIMEOUT).pollInterval(POLL).until(() -> {
      if (!s.running()) throw new IllegalStateException("server " + server + " exited:\n" + s.errorLogTail());
      try {
        value(server, "SELECT 1");
        return true;
      } catch (IllegalStateException e) {
        return false;
      }
    });
  }

  /** Waits until {@code SHOW SLAVE STATUS} says both threads run. */
  public void awaitReplicating(int replica) {
    await("server " + replica + " replicates").atMost(START_TIMEOUT).pollInterval(POLL).until(() -> {
      List<Map<String, String>> st = sql(replica, "SHOW SLAVE STATUS");
      return !st.isEmpty() && "Yes".equals(st.get(0).get("Slave_IO_Running"))
          && "Yes".equals(st.get(0).get("Slave_SQL_Running"));
    });
  }

  /** Waits (MASTER_GTID_WAIT) until {@code replica} has applied everything {@code source} has binlogged. */
  public void awaitCaughtUp(int replica, int source, Duration timeout) {
    String pos = value(source, "SELECT @@gtid_binlog_pos");
    String r = value(replica, "SELECT MASTER_GTID_WAIT('" + pos + "', " + timeout.toSeconds() + ")");
    if (!"0".equals(r)) throw new IllegalStateException("server " + replica + " did not reach " + pos + " in " + timeout);
  }

  private void replicate(int replica, int source) {
    sql(replica, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + address(source).port()
        + ", MASTER_USER='repl', MASTER_PASSWORD='replpass', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
    sql(replica, "START SLAVE");
  }

  /**
   * A switchover by hand, orchestrator's graceful sequence: the old master read-only, the designated replica caught
   * up by GTID and promoted, every other replica and then the old master re-pointed under it (GTID, slave_pos).
   */
  public void switchover(int oldMaster, int designated, int... others) {
    sql(oldMaster, "SET GLOBAL read_only=1");
    String pos = value(oldMaster, "SELECT @@gtid_binlog_pos");
    int port = address(designated).port();
    waitGtid(designated, pos);
    sql(designated, "STOP SLAVE");
    sql(designated, "RESET SLAVE ALL");
    sql(designated, "SET GLOBAL read_only=0");
    for (int other : others) {
      waitGtid(other, pos);
      sql(other, "STOP SLAVE");
      sql(other, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + port + ", MASTER_USE_GTID=slave_pos");
      sql(other, "START SLAVE");
    }
    sql(oldMaster, "SET GLOBAL gtid_slave_pos=@@gtid_binlog_pos");
    sql(oldMaster, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + port + ", MASTER_USER='repl', "
        + "MASTER_PASSWORD='replpass', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
    sql(oldMaster, "START SLAVE");
  }

  private void waitGtid(int server, String pos) {
    String r = value(server, "SELECT MASTER_GTID_WAIT('" + pos + "', 10)");
    if (!"0".equals(r)) throw new IllegalStateException("server " + server + " did not reach " + pos + " in 10 s");
  }

  /** The replication configured at start (replica -> source). */
  public Map<Integer, Integer> topology() {
    return Map.copyOf(sources);
  }

  private MariaDbServer server(int n) {
    if (n < 1 || n > servers.size()) throw new IllegalArgumentException("no server " + n);
    return servers.get(n - 1);
  }

  /** Kills every server (SIGKILL works on paused ones too) and deletes the lab's files. Idempotent. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (MariaDbServer s : servers) {
      try {
        s.kill9();
      } catch (RuntimeException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
    }
    try {
      MariaDbTemplate.deleteTree(dir);
    } catch (IOException e) {
      if (failure == null) failure = new UncheckedIOException(e);
      else failure.addSuppressed(e);
    }
    if (failure != null) throw failure;
  }
}
