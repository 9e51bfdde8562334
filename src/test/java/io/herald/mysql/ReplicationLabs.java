package io.herald.mysql;

import io.herald.cluster.Secret;
import io.herald.testing.MariaDbLab;
import io.herald.testing.MariaDbLab.Login;
import io.herald.topology.GtidList;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What the replication-control tests do on their labs. */
final class ReplicationLabs {
  static final Duration CONNECT = Duration.ofSeconds(1);
  static final Duration READ = Duration.ofSeconds(2);
  static final Duration WAIT = Duration.ofSeconds(10);
  static final ReplicationCredentials REPL = new ReplicationCredentials("repl", new Secret("replpass"));

  private ReplicationLabs() {}

  /** Herald's control on the lab, connect 1 s, read 2 s. */
  static MariaDbReplicationControl control(MariaDbLab lab) {
    return new MariaDbReplicationControl(
        MySqlOptions.of(lab.user(Login.HERALD), lab.password(Login.HERALD)).withTimeouts(CONNECT, READ));
  }

  static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  static void createTable(MariaDbLab lab, int server) {
    lab.sql(server, "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20))");
  }

  static int count(MariaDbLab lab, int server) {
    return Integer.parseInt(lab.value(server, "SELECT COUNT(*) FROM app.t"));
  }

  static void insertRows(MariaDbLab lab, int server, int from, int to) {
    for (int i = from; i <= to; i++) lab.sql(server, "INSERT INTO app.t VALUES (" + i + ", 'row " + i + "')");
  }

  static GtidList binlogPos(MariaDbLab lab, int server) {
    return GtidList.parse(lab.value(server, "SELECT @@gtid_binlog_pos"));
  }

  /** The SHOW SLAVE STATUS row; empty when none. */
  static Map<String, String> slaveStatus(MariaDbLab lab, int server) {
    List<Map<String, String>> rows = lab.sql(server, "SHOW SLAVE STATUS");
    return rows.isEmpty() ? Map.of() : rows.get(0);
  }

  static Connection connect(MariaDbLab lab, int server, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "2000");
    p.setProperty("socketTimeout", "5000");
    return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + lab.address(server) + "/", p);
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
