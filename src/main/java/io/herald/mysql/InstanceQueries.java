package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.topology.GtidList;
import io.herald.topology.InstanceState;
import io.herald.topology.IoThread;
import io.herald.topology.ReplicaStatus;
import io.herald.topology.SemiSync;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statements of one probe, on an open connection, and what their rows mean. Stateless. Its readers of rows
 * ({@link #replication}, {@link #flag}) also serve {@link MariaDbReplicationControl}, so both read the server alike.
 */
final class InstanceQueries {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceQueries.class);
  static final String VARIABLES = "SELECT @@global.server_id, @@global.version, @@global.read_only, @@global.log_bin,"
      + " @@global.log_slave_updates, @@global.binlog_format, @@global.gtid_strict_mode, @@global.gtid_domain_id,"
      + " @@global.gtid_current_pos, @@global.gtid_binlog_pos, @@global.gtid_slave_pos, @@global.gtid_binlog_state";
  static final String SLAVE_STATUS = "SHOW SLAVE STATUS";
  static final String SLAVE_HOSTS = "SHOW SLAVE HOSTS";
  static final String BINLOG_DUMPS = "SELECT host FROM information_schema.processlist"
      + " WHERE command IN ('Binlog Dump', 'Binlog Dump GTID')";
  static final String SEMI_SYNC_VARIABLES = "SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync%'";
  static final String SEMI_SYNC_STATUS = "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'";
  static final String GRANTS = "SHOW GRANTS";
  private static final List<String> FILTER_COLUMNS = List.of("Replicate_Do_DB", "Replicate_Ignore_DB",
      "Replicate_Do_Table", "Replicate_Ignore_Table", "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table",
      "Replicate_Do_Domain_Ids", "Replicate_Ignore_Domain_Ids");

  private final MySqlOptions options;
  private final ProbeFailures failures;

  InstanceQueries(MySqlOptions options, ProbeFailures failures) {
    this.options = options;
    this.failures = failures;
  }

  /** What {@link InstanceState} holds; {@code missingPrivileges} is computed when {@code known} is empty. */
  InstanceState read(Connection c, HostPort key, Optional<Set<String>> known, Runnable showSlaveHostsFailed)
      throws InstanceReadException {
    List<Map<String, String>> v = rows(c, key, VARIABLES, true);
    List<String> vars = new ArrayList<>(v.get(0).values());
    Optional<ReplicaStatus> replication = replication(rows(c, key, SLAVE_STATUS, false));
    List<HostPort> replicas = replicas(c, key, showSlaveHostsFailed);
    SemiSync semiSync = semiSync(nameValues(rows(c, key, SEMI_SYNC_VARIABLES, false)),
        nameValues(rows(c, key, SEMI_SYNC_STATUS, false)));
    Optional<String> alias = Optional.empty();
    if (replication.isEmpty() && options.detectClusterAliasQuery().isPresent()) {
      alias = firstValue(c, key, options.detectClusterAliasQuery().get());
    }
    Optional<String> dataCenter = options.detectDataCenterQuery().isPresent()
        ? firstValue(c, key, options.detectDataCenterQuery().get())
        : options.dataCenterPattern().map(p -> p.matcher(key.host())).filter(Matcher::find).map(m -> m.group(1));
    Optional<Set<String>> missing = known.isPresent() ? known
        : Optional.of(Grants.missing(rows(c, key, GRANTS, false).stream().map(r -> r.values().iterator().next()).toList()));
    return new InstanceState(key, Long.parseLong(vars.get(0)), vars.get(1), flag(vars.get(2)), flag(vars.get(3)),
        flag(vars.get(4)), nonNull(vars.get(5)), flag(vars.get(6)), Long.parseLong(vars.get(7)), GtidList.parse(vars.get(8)),
        GtidList.parse(vars.get(9)), GtidList.parse(vars.get(10)), GtidList.parse(vars.get(11)), replication, replicas,
        semiSync, alias, dataCenter, missing);
  }

  private List<HostPort> replicas(Connection c, HostPort key, Runnable showSlaveHostsFailed) throws InstanceReadException {
    Set<HostPort> found = new LinkedHashSet<>();
    if (options.discoverByShowSlaveHosts()) {
      try {
        for (Map<String, String> r : rows(c, key, SLAVE_HOSTS, false)) {
          String host = nonNull(r.get("Host")).trim();
          if (!host.isEmpty()) found.add(new HostPort(host, Integer.parseInt(r.get("Port"))));
        }
      } catch (InstanceReadException e) {
        if (e.error().kind() != io.herald.topology.ProbeError.Kind.QUERY_FAILED) throw e;
        LOG.debug("{}: {}; replicas from the processlist instead", key, e.getMessage());
        showSlaveHostsFailed.run();
      }
      if (!found.isEmpty()) return List.copyOf(found);
    }
    // the processlist shows the replica's host and an ephemeral port: assume it listens on our own port
    for (Map<String, String> r : rows(c, key, BINLOG_DUMPS, false)) {
      String host = nonNull(r.get("host"));
      int colon = host.lastIndexOf(':');
      if (colon > 0) host = host.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
      if (!host.isEmpty()) found.add(new HostPort(host, key.port()));
    }
    return List.copyOf(found);
  }

  static Optional<ReplicaStatus> replication(List<Map<String, String>> rows) {
    if (rows.isEmpty()) return Optional.empty();
    Map<String, String> r = rows.get(0);
    String host = nonNull(r.get("Master_Host")).trim();
    if (host.isEmpty()) return Optional.empty();
    String behind = r.get("Seconds_Behind_Master");
    boolean filters = FILTER_COLUMNS.stream().anyMatch(col -> !nonNull(r.get(col)).isBlank());
    return Optional.of(new ReplicaStatus(new HostPort(host, Integer.parseInt(r.get("Master_Port"))),
        IoThread.parse(r.get("Slave_IO_Running")), "Yes".equalsIgnoreCase(r.get("Slave_SQL_Running")),
        intOrZero(r.get("Last_IO_Errno")), nonNull(r.get("Last_IO_Error")), intOrZero(r.get("Last_SQL_Errno")),
        nonNull(r.get("Last_SQL_Error")), behind == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(behind)),
        r.get("SQL_Delay") == null ? 0 : Long.parseLong(r.get("SQL_Delay")), nonNull(r.get("Using_Gtid")),
        GtidList.parse(r.get("Gtid_IO_Pos")), filters));
  }

  static SemiSync semiSync(Map<String, String> vars, Map<String, String> status) {
    return new SemiSync(flag(vars.get("rpl_semi_sync_master_enabled")), flag(status.get("rpl_semi_sync_master_status")),
        longOrZero(status.get("rpl_semi_sync_master_clients")), longOrZero(vars.get("rpl_semi_sync_master_timeout")),
        flag(vars.get("rpl_semi_sync_slave_enabled")), flag(status.get("rpl_semi_sync_slave_status")));
  }

  private Optional<String> firstValue(Connection c, HostPort key, String query) throws InstanceReadException {
    List<Map<String, String>> rows = rows(c, key, query, false);
    if (rows.isEmpty() || rows.get(0).isEmpty()) return Optional.empty();
    return Optional.ofNullable(rows.get(0).values().iterator().next()).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** Rows as column label -> text; with {@code oneRow}, exactly one row or QUERY_FAILED. */
  private List<Map<String, String>> rows(Connection c, HostPort key, String statement, boolean oneRow)
      throws InstanceReadException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(statement)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= n; i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
        rows.add(row);
      }
    } catch (SQLException e) {
      throw failures.statementFailed(key, statement, e);
    }
    if (oneRow && rows.size() != 1) {
      throw new InstanceReadException(new io.herald.topology.ProbeError(io.herald.topology.ProbeError.Kind.QUERY_FAILED,
          key + ": " + statement + " returned " + rows.size() + " rows"), null);
    }
    return rows;
  }

  private static Map<String, String> nameValues(List<Map<String, String>> rows) {
    Map<String, String> m = new HashMap<>();
    for (Map<String, String> r : rows) {
      List<String> cols = new ArrayList<>(r.values());
      if (cols.size() >= 2 && cols.get(0) != null) m.put(cols.get(0).toLowerCase(Locale.ROOT), cols.get(1));
    }
    return m;
  }

  /** 1/ON/YES/TRUE (and 11.x's read_only modes other than OFF) are true; absent, 0 and OFF are false. */
  static boolean flag(String text) {
    if (text == null) return false;
    return switch (text.trim().toUpperCase(Locale.ROOT)) {
      case "", "0", "OFF", "NO", "FALSE" -> false;
      default -> true;
    };
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static int intOrZero(String s) {
    return s == null || s.isBlank() ? 0 : Integer.parseInt(s.trim());
  }

  private static long longOrZero(String s) {
    return s == null || s.isBlank() ? 0 : Long.parseLong(s.trim());
  }
}
