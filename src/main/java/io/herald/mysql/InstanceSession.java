package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.cluster.Secret;
import io.herald.topology.ProbeError;
import io.herald.topology.ProbeError.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One mutating operation's connection to one instance: runs its statements and turns every driver failure into a
 * {@link ReplicationControlException} whose message names the statement by a label free of secrets. After a failure
 * the connection is aborted on close (it may be stuck on a hung server); otherwise it is closed politely. Confined to
 * the thread of the operation.
 */
final class InstanceSession implements AutoCloseable {
  /** {@code ER_NO_SUCH_THREAD}: {@code KILL} of a session that has ended meanwhile. */
  static final int NO_SUCH_THREAD = 1094;

  private final HostPort key;
  private final Connection connection;
  private final Duration readTimeout;
  private final ProbeFailures failures;
  private final List<Secret> hidden;
  private final Consumer<Connection> onClose;
  private boolean failed;

  InstanceSession(HostPort key, Connection connection, Duration readTimeout, ProbeFailures failures,
      List<Secret> hidden, Consumer<Connection> onClose) {
    this.key = key;
    this.connection = connection;
    this.readTimeout = readTimeout;
    this.failures = failures;
    this.hidden = List.copyOf(hidden);
    this.onClose = onClose;
  }

  HostPort key() {
    return key;
  }

  /** Rows as column label -> text (NULL as null). */
  List<Map<String, String>> rows(String query) throws ReplicationControlException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(query)) {
      return read(rs);
    } catch (SQLException e) {
      throw failed(query, e);
    }
  }

  /** The one row of {@code query}, or QUERY_FAILED. */
  Map<String, String> row(String query) throws ReplicationControlException {
    List<Map<String, String>> rows = rows(query);
    if (rows.size() != 1) {
      throw new ReplicationControlException(new ProbeError(Kind.QUERY_FAILED,
          key + ": " + query + " returned " + rows.size() + " rows"), null);
    }
    return rows.get(0);
  }

  /** The default connection's {@code SHOW SLAVE STATUS} row; empty when none is configured. */
  Optional<Map<String, String>> slaveStatus() throws ReplicationControlException {
    List<Map<String, String>> rows = rows("SHOW SLAVE STATUS");
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** The names of the named (multi-source) replication connections; empty when there are none. */
  List<String> namedConnections() throws ReplicationControlException {
    List<String> names = new ArrayList<>();
    for (Map<String, String> r : rows("SHOW ALL SLAVES STATUS")) {
      String name = r.get("Connection_name");
      if (name != null && !name.isEmpty()) names.add(name);
    }
    return names;
  }

  void execute(String statement) throws ReplicationControlException {
    execute(statement, statement);
  }

  /** Runs {@code statement}; failures name it by {@code label} (a statement holding a secret gets one without). */
  void execute(String label, String statement) throws ReplicationControlException {
    try (Statement st = connection.createStatement()) {
      st.execute(statement);
    } catch (SQLException e) {
      throw failed(label, e);
    }
  }

  /** {@code KILL CONNECTION id}; false when that session had ended already. */
  boolean kill(long id) throws ReplicationControlException {
    String statement = "KILL CONNECTION " + id;
    try (Statement st = connection.createStatement()) {
      st.execute(statement);
      return true;
    } catch (SQLException e) {
      if (e.getErrorCode() == NO_SUCH_THREAD) return false;
      throw failed(statement, e);
    }
  }

  /** {@code SELECT MASTER_GTID_WAIT(position, seconds)}: 0 reached, -1 timed out; empty when NULL. */
  OptionalInt masterGtidWait(String position, double seconds, String label) throws ReplicationControlException {
    try (PreparedStatement st = connection.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
      st.setString(1, position);
      st.setDouble(2, seconds);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        int v = rs.getInt(1);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
      }
    } catch (SQLException e) {
      throw failed(label, e);
    }
  }

  /**
   * {@code text} as an SQL string literal, for the statements that take no placeholders ({@code CHANGE MASTER}):
   * quotes doubled, backslashes doubled unless the session's sql_mode has NO_BACKSLASH_ESCAPES.
   */
  String literal(String text) throws ReplicationControlException {
    String out = text.replace("'", "''");
    if (text.indexOf('\\') >= 0) {
      String mode = String.valueOf(row("SELECT @@session.sql_mode").values().iterator().next());
      if (!mode.toUpperCase(java.util.Locale.ROOT).contains("NO_BACKSLASH_ESCAPES")) out = out.replace("\\", "\\\\");
    }
    return "'" + out + "'";
  }

  /** A text with the session's secrets and Herald's password cut out. */
  String redact(String text) {
    return failures.redact(text, hidden);
  }

  private ReplicationControlException failed(String label, SQLException e) {
    failed = true;
    ProbeFailures.Failure f = failures.onStatement(key, label, e, hidden, readTimeout);
    return new ReplicationControlException(f.error(), f.cause());
  }

  private static List<Map<String, String>> read(ResultSet rs) throws SQLException {
    List<Map<String, String>> rows = new ArrayList<>();
    ResultSetMetaData md = rs.getMetaData();
    while (rs.next()) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getString(i));
      rows.add(row);
    }
    return rows;
  }

  @Override
  public void close() {
    onClose.accept(connection);
    if (failed) {
      JdbcConnector.abort(connection);
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      JdbcConnector.abort(connection);
    }
  }
}
