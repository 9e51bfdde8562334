package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.cluster.Secret;
import io.herald.topology.GtidList;
import io.herald.topology.GtidPosition;
import io.herald.topology.ProbeError;
import io.herald.topology.ProbeError.Kind;
import io.herald.topology.ReplicaStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReplicationControl} for MariaDB over JDBC (MariaDB Connector/J), with the probe's conventions: a new
 * connection per operation (a failover runs few, and none then inherits a stale or half-broken session), connect
 * bounded by {@link MySqlOptions#connectTimeout}, each statement by {@link MySqlOptions#readTimeout} (a GTID wait by
 * its timeout plus the read timeout), failures as {@link ProbeError} kinds whose messages never hold a password.
 * Needs READ_ONLY ADMIN (read_only), REPLICATION SLAVE ADMIN (STOP/START/CHANGE/RESET SLAVE, gtid_slave_pos),
 * CONNECTION ADMIN and PROCESS (killing sessions), SELECT on mysql.* (who holds which privilege).
 *
 * <p>Thread-safe: operations share nothing but the set of open connections, which {@link #close} aborts.
 */
public final class MariaDbReplicationControl implements ReplicationControl {
  private static final Logger LOG = LoggerFactory.getLogger(MariaDbReplicationControl.class);

  private final MySqlOptions options;
  private final ProbeFailures failures;
  private final JdbcConnector connector;
  /** The connections of operations under way; concurrent set, so close can abort them. */
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public MariaDbReplicationControl(MySqlOptions options) {
    this.options = options;
    this.failures = new ProbeFailures(options);
    this.connector = new JdbcConnector(options);
  }

  @Override
  public ReadOnlyChange setReadOnly(HostPort instance, boolean readOnly) throws ReplicationControlException {
    return on(instance, options.readTimeout(), List.of(), s -> {
      if (flag(s.row("SELECT @@global.read_only AS ro").get("ro")) == readOnly) {
        return new ReadOnlyChange(instance, readOnly, ReadOnlyChange.Status.ALREADY_SET);
      }
      s.execute("SET GLOBAL read_only = " + (readOnly ? "ON" : "OFF"));
      LOG.info("{}: read_only set {}", instance, readOnly ? "ON" : "OFF");
      return new ReadOnlyChange(instance, readOnly, ReadOnlyChange.Status.SET);
    });
  }

  @Override
  public SessionKill killWriteSessions(HostPort instance) throws ReplicationControlException {
    return on(instance, options.readTimeout(), List.of(), s -> {
      Map<String, String> v = s.row("SELECT @@global.read_only AS ro, CONNECTION_ID() AS id");
      if (!flag(v.get("ro"))) {
        return new SessionKill(instance, List.of(), List.of(), SessionKill.Status.REFUSED_WRITABLE);
      }
      Set<String> privileged =
          WriteSessions.privilegedUsers(s.rows(WriteSessions.PRIVILEGED), s.rows(WriteSessions.ROLES));
      List<SessionKill.Session> killed = new ArrayList<>();
      for (SessionKill.Session x : WriteSessions.toKill(s.rows(WriteSessions.SESSIONS), privileged,
          Long.parseLong(v.get("id")), options.user())) {
        if (s.kill(x.id())) killed.add(x);
      }
      if (!killed.isEmpty()) {
        LOG.info("{}: killed {} sessions of users who bypass read_only: {}", instance, killed.size(),
            killed.stream().map(k -> k.id() + " " + k.user()).toList());
      }
      return new SessionKill(instance, List.copyOf(privileged), killed,
          killed.isEmpty() ? SessionKill.Status.NONE_FOUND : SessionKill.Status.KILLED);
    });
  }

  @Override
  public InstanceRole role(HostPort instance) throws ReplicationControlException {
    return on(instance, options.readTimeout(), List.of(), s -> {
      boolean ro = flag(s.row("SELECT @@global.read_only AS ro").get("ro"));
      return new InstanceRole(instance, ro, replication(s.slaveStatus()).map(ReplicaStatus::source));
    });
  }

  @Override
  public void stopReceiving(HostPort instance) throws ReplicationControlException {
    on(instance, options.readTimeout(), List.of(), s -> {
      Optional<ReplicaStatus> rs = replication(s.slaveStatus());
      if (rs.isPresent()) s.execute("STOP SLAVE IO_THREAD");
      return null;
    });
  }

  @Override
  public GtidList binlogPosition(HostPort instance) throws ReplicationControlException {
    return on(instance, options.readTimeout(), List.of(),
        s -> GtidList.parse(s.row("SELECT @@global.gtid_binlog_pos AS pos").get("pos")));
  }

  @Override
  public GtidWait waitForGtid(HostPort instance, GtidList position, Duration timeout)
      throws ReplicationControlException {
    checkTimeout(timeout);
    return on(instance, timeout.plus(options.readTimeout()), List.of(), s -> {
      return gtidWait(s, position, timeout);
    });
  }

  @Override
  public GtidWait waitForRelayLogApplied(HostPort instance, Duration timeout) throws ReplicationControlException {
    checkTimeout(timeout);
    return on(instance, timeout.plus(options.readTimeout()), List.of(), s -> {
      Optional<ReplicaStatus> rs = replication(s.slaveStatus());
      if (rs.isEmpty()) {
        return new GtidWait(instance, GtidList.EMPTY, slavePos(s), Duration.ZERO, GtidWait.Status.NOT_A_REPLICA);
      }
      GtidList target = rs.get().gtidIoPos();
      if (!rs.get().sqlRunning()) {
        GtidList applied = slavePos(s);
        boolean done = GtidPosition.of(applied).contains(GtidPosition.of(target));
        return new GtidWait(instance, target, applied, Duration.ZERO,
            done ? GtidWait.Status.REACHED : GtidWait.Status.SQL_THREAD_STOPPED);
      }
      return gtidWait(s, target, timeout);
    });
  }

  @Override
  public Promotion promote(HostPort instance, Optional<HostPort> expectedSource) throws ReplicationControlException {
    return on(instance, options.readTimeout(), List.of(), s -> {
      Map<String, String> v = s.row("SELECT @@global.read_only AS ro, @@global.gtid_binlog_pos AS pos");
      Optional<Map<String, String>> status = s.slaveStatus();
      Optional<HostPort> former = replication(status).map(ReplicaStatus::source);
      List<String> named = s.namedConnections();
      if (!named.isEmpty()) {
        return new Promotion(instance, former, GtidList.parse(v.get("pos")), Promotion.Status.REFUSED,
            multiSource(named));
      }
      if (expectedSource.isPresent() && former.isPresent() && !former.equals(expectedSource)) {
        return new Promotion(instance, former, GtidList.parse(v.get("pos")), Promotion.Status.REFUSED,
            "replicates from " + former.get() + ", not from " + expectedSource.get());
      }
      boolean readOnly = flag(v.get("ro"));
      if (status.isEmpty() && !readOnly) {
        return new Promotion(instance, former, GtidList.parse(v.get("pos")), Promotion.Status.ALREADY_MASTER, "");
      }
      if (status.isPresent()) {
        s.execute("STOP SLAVE");
        s.execute("RESET SLAVE ALL");
      }
      if (readOnly) s.execute("SET GLOBAL read_only = OFF");
      GtidList pos = GtidList.parse(s.row("SELECT @@global.gtid_binlog_pos AS pos").get("pos"));
      LOG.info("{}: promoted (replicated from {}), writable at {}", instance,
          former.map(HostPort::toString).orElse("nobody"), pos);
      return new Promotion(instance, former, pos, Promotion.Status.PROMOTED, "");
    });
  }

  @Override
  public Repointing repoint(HostPort replica, HostPort source, Optional<ReplicationCredentials> credentials)
      throws ReplicationControlException {
    if (replica.equals(source)) {
      return new Repointing(replica, Optional.empty(), source, SourceLink.notStarted(), Repointing.Status.REFUSED,
          "cannot replicate from itself");
    }
    List<Secret> hidden = credentials.map(c -> List.of(c.password())).orElse(List.of());
    return on(replica, options.readTimeout(), hidden, s -> {
      Optional<Map<String, String>> status = s.slaveStatus();
      Optional<ReplicaStatus> rs = replication(status);
      if (rs.isEmpty()) {
        return new Repointing(replica, Optional.empty(), source, SourceLink.notStarted(), Repointing.Status.REFUSED,
            "replicates from nobody (a master: demote it instead)");
      }
      Optional<HostPort> former = Optional.of(rs.get().source());
      List<String> named = s.namedConnections();
      if (!named.isEmpty()) {
        return new Repointing(replica, former, source, SourceLink.notStarted(), Repointing.Status.REFUSED,
            multiSource(named));
      }
      boolean sameUser = credentials.map(c -> c.user().equals(status.get().get("Master_User"))).orElse(true);
      if (rs.get().source().equals(source) && rs.get().connected() && rs.get().sqlRunning() && sameUser) {
        return new Repointing(replica, former, source, new SourceLink(SourceLink.State.CONNECTED, 0, ""),
            Repointing.Status.ALREADY_REPLICATING, "");
      }
      s.execute("STOP SLAVE");
      SourceSetup.changeMaster(s, source, credentials);
      s.execute("START SLAVE");
      SourceLink link = SourceSetup.watch(s, options.connectTimeout().plus(options.readTimeout()));
      LOG.info("{}: re-pointed from {} to {} (IO {})", replica, former.get(), source, link.state());
      return new Repointing(replica, former, source, link, Repointing.Status.REPOINTED, "");
    });
  }

  @Override
  public Demotion demoteToReplica(HostPort oldMaster, HostPort source, ReplicationCredentials credentials,
      boolean start) throws ReplicationControlException {
    if (oldMaster.equals(source)) {
      return new Demotion(oldMaster, source, GtidList.EMPTY, SourceLink.notStarted(), Demotion.Status.REFUSED,
          "cannot replicate from itself");
    }
    return on(oldMaster, options.readTimeout(), List.of(credentials.password()), s -> {
      Map<String, String> v = s.row("SELECT @@global.read_only AS ro, @@global.gtid_binlog_pos AS binlog,"
          + " @@global.gtid_slave_pos AS slave");
      boolean readOnly = flag(v.get("ro"));
      Optional<Map<String, String>> status = s.slaveStatus();
      Optional<ReplicaStatus> rs = replication(status);
      List<String> named = s.namedConnections();
      if (!named.isEmpty()) {
        return new Demotion(oldMaster, source, GtidList.parse(v.get("slave")), SourceLink.notStarted(),
            Demotion.Status.REFUSED, multiSource(named));
      }
      if (readOnly && rs.isPresent() && rs.get().source().equals(source)
          && credentials.user().equals(status.get().get("Master_User"))
          && (!start || rs.get().connected() && rs.get().sqlRunning())) {
        SourceLink link =
            rs.get().connected() ? new SourceLink(SourceLink.State.CONNECTED, 0, "") : SourceLink.notStarted();
        return new Demotion(oldMaster, source, GtidList.parse(v.get("slave")), link,
            Demotion.Status.ALREADY_REPLICATING, "");
      }
      if (!readOnly) {
        s.execute("SET GLOBAL read_only = ON");
        LOG.info("{}: read_only set ON (demoting it under {})", oldMaster, source);
      }
      if (status.isPresent()) s.execute("STOP SLAVE");
      GtidList startPos = SourceSetup.startPosition(GtidList.parse(v.get("binlog")), GtidList.parse(v.get("slave")));
      s.execute("SET GLOBAL gtid_slave_pos = " + s.literal(startPos.toString()));
      SourceSetup.changeMaster(s, source, Optional.of(credentials));
      if (!start) {
        LOG.info("{}: set up to replicate from {} at {}, not started", oldMaster, source, startPos);
        return new Demotion(oldMaster, source, startPos, SourceLink.notStarted(), Demotion.Status.CONFIGURED, "");
      }
      s.execute("START SLAVE");
      SourceLink link = SourceSetup.watch(s, options.connectTimeout().plus(options.readTimeout()));
      if (link.diverged()) {
        s.execute("STOP SLAVE");
        LOG.warn("{}: diverged from {}: it has transactions the new source lacks (replication stopped, read_only kept):"
            + " {}", oldMaster, source, link.lastIoError());
        return new Demotion(oldMaster, source, startPos, link, Demotion.Status.DIVERGED, "");
      }
      LOG.info("{}: demoted under {} from {} (IO {})", oldMaster, source, startPos, link.state());
      return new Demotion(oldMaster, source, startPos, link,
          link.state() == SourceLink.State.CONNECTED ? Demotion.Status.REPLICATING : Demotion.Status.NOT_CONNECTED, "");
    });
  }

  private static String multiSource(List<String> named) {
    return "replicates through named connections " + named + " (multi-source replication is left to an operator)";
  }

  private GtidWait gtidWait(InstanceSession s, GtidList position, Duration timeout) throws ReplicationControlException {
    double seconds = timeout.toMillis() / 1000.0;
    long t0 = System.nanoTime();
    OptionalInt r =
        s.masterGtidWait(position.toString(), seconds, "MASTER_GTID_WAIT(" + position + ", " + seconds + ")");
    Duration waited = Duration.ofNanos(System.nanoTime() - t0);
    if (r.isEmpty() || r.getAsInt() != 0 && r.getAsInt() != -1) {
      throw new ReplicationControlException(new ProbeError(Kind.QUERY_FAILED, s.key() + ": MASTER_GTID_WAIT('"
          + position + "') returned " + (r.isEmpty() ? "NULL" : r.getAsInt())), null);
    }
    return new GtidWait(s.key(), position, slavePos(s), waited,
        r.getAsInt() == 0 ? GtidWait.Status.REACHED : GtidWait.Status.TIMED_OUT);
  }

  private static GtidList slavePos(InstanceSession s) throws ReplicationControlException {
    return GtidList.parse(s.row("SELECT @@global.gtid_slave_pos AS pos").get("pos"));
  }

  private static Optional<ReplicaStatus> replication(Optional<Map<String, String>> status) {
    return InstanceQueries.replication(status.map(List::of).orElse(List.of()));
  }

  /** One step of an operation, on its session. */
  @FunctionalInterface
  private interface Step<T> {
    T run(InstanceSession s) throws ReplicationControlException;
  }

  /** Runs {@code step} on a new session; an answer it cannot read (a malformed GTID, host, number) is QUERY_FAILED. */
  private <T> T on(HostPort instance, Duration readTimeout, List<Secret> hidden, Step<T> step)
      throws ReplicationControlException {
    try (InstanceSession s = session(instance, readTimeout, hidden)) {
      try {
        return step.run(s);
      } catch (IllegalArgumentException e) {
        throw new ReplicationControlException(new ProbeError(Kind.QUERY_FAILED, instance + ": unexpected answer: "
            + s.redact(String.valueOf(e.getMessage()))), e);
      }
    }
  }

  private InstanceSession session(HostPort instance, Duration readTimeout, List<Secret> hidden)
      throws ReplicationControlException {
    if (closed) throw new IllegalStateException("the replication control is closed");
    Connection c;
    try {
      c = connector.open(instance, readTimeout);
    } catch (SQLException e) {
      ProbeFailures.Failure f = failures.onConnect(instance, e);
      throw new ReplicationControlException(f.error(), f.cause());
    }
    open.add(c);
    if (closed) {
      // closed while connecting: close's sweep may have missed this connection
      open.remove(c);
      JdbcConnector.abort(c);
      throw new IllegalStateException("the replication control is closed");
    }
    return new InstanceSession(instance, c, readTimeout, failures, hidden, open::remove);
  }

  private static void checkTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("invalid wait timeout " + timeout);
    }
  }

  private static boolean flag(String text) {
    return InstanceQueries.flag(text);
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c : open) {
      open.remove(c);
      JdbcConnector.abort(c);
    }
  }
}
