package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.topology.InstanceState;
import io.herald.topology.ProbeError;
import io.herald.topology.ProbeError.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads MariaDB instances over JDBC (MariaDB Connector/J, no pool): one connection kept per instance, opened on
 * the first read and again after it fails. Every connect is bounded by {@link MySqlOptions#connectTimeout} and every
 * statement's answer by {@link MySqlOptions#readTimeout}, so a dead or hung instance costs a read at most about
 * connect + read timeout.
 *
 * <p>A read runs, in order: one {@code SELECT} of the {@code @@global} variables, {@code SHOW SLAVE STATUS},
 * {@code SHOW SLAVE HOSTS} (when {@code discoverByShowSlaveHosts}; the processlist's Binlog Dump threads, with this
 * instance's port, when it is off, refused or lists nobody), the semi-sync variables and status (absent = off), the
 * cluster alias query (only on an instance that replicates from nobody), the data center query (or the pattern on
 * the host), and once per instance {@code SHOW GRANTS}, whose missing privileges are kept until {@link #forget}.
 *
 * <p>Failures become an {@link InstanceReadException} whose {@link ProbeError} says why: refused connection
 * {@code UNREACHABLE}, connect or read timeout {@code TIMEOUT}, error 1045 {@code ACCESS_DENIED}, a listener that
 * does not speak MySQL {@code NOT_MYSQL}, a refused or failed statement {@code QUERY_FAILED} (naming the statement
 * and, in the server's words, the missing privilege). A port that accepts connections and never speaks is reported
 * as {@code TIMEOUT}: it cannot be told from a hung server. Messages never contain the password.
 *
 * <p>Thread-safe. Reads of different instances run concurrently (no shared lock: a hung instance holds up only
 * reads of itself); reads of one instance are serialised, and one waits at most connect + read timeout for the
 * previous read before failing with {@code TIMEOUT}. {@link #close} and {@link #forget} abort a connection at once,
 * even mid-read.
 */
public final class MariaDbInstanceReader implements InstanceReader {
  private static final Logger LOG = LoggerFactory.getLogger(MariaDbInstanceReader.class);

  private final MySqlOptions options;
  private final ProbeFailures failures;
  private final InstanceQueries queries;
  private final JdbcConnector connector;
  private final ConcurrentMap<HostPort, Probe> probes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public MariaDbInstanceReader(MySqlOptions options) {
    this.options = options;
    this.failures = new ProbeFailures(options);
    this.queries = new InstanceQueries(options, failures);
    this.connector = new JdbcConnector(options);
  }

  /** One instance's connection and what is cached for it. */
  private static final class Probe {
    final ReentrantLock lock = new ReentrantLock();
    /** Written under {@code lock}; read without it only to abort. */
    volatile Connection connection;
    /** Written under {@code lock}. */
    Optional<Set<String>> missingPrivileges = Optional.empty();
    /** Written under {@code lock}. */
    boolean warnedShowSlaveHosts;
  }

  @Override
  public InstanceState read(HostPort instance) throws InstanceReadException {
    if (closed) throw new IllegalStateException("the instance reader is closed");
    Probe probe = probes.computeIfAbsent(instance, k -> new Probe());
    long waitMs = options.connectTimeout().toMillis() + options.readTimeout().toMillis();
    try {
      if (!probe.lock.tryLock(waitMs, TimeUnit.MILLISECONDS)) {
        throw new InstanceReadException(new ProbeError(Kind.TIMEOUT,
            instance + ": the previous read has not finished after " + waitMs + " ms"), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InstanceReadException(new ProbeError(Kind.TIMEOUT, instance + ": interrupted"), e);
    }
    try {
      boolean reused = probe.connection != null;
      try {
        return readLocked(instance, probe);
      } catch (InstanceReadException e) {
        // a kept connection may be stale (the server restarted since): one fresh try, unless it timed out
        if (!reused || e.error().kind() != Kind.UNREACHABLE) throw e;
        LOG.debug("{}: kept connection failed ({}), reconnecting", instance, e.getMessage());
        return readLocked(instance, probe);
      }
    } finally {
      probe.lock.unlock();
    }
  }

  private InstanceState readLocked(HostPort instance, Probe probe) throws InstanceReadException {
    if (probe.connection == null) {
      probe.connection = connect(instance);
      if (closed || probes.get(instance) != probe) {
        // forgotten or closed while connecting: nobody would close this connection
        drop(probe);
        throw new InstanceReadException(new ProbeError(Kind.QUERY_FAILED, instance + ": forgotten while reading"), null);
      }
    }
    try {
      InstanceState state = queries.read(probe.connection, instance, probe.missingPrivileges, () -> {
        if (!probe.warnedShowSlaveHosts) {
          probe.warnedShowSlaveHosts = true;
          LOG.warn("{}: SHOW SLAVE HOSTS refused (needs REPLICATION MASTER ADMIN); replicas come from the "
              + "processlist, assumed on this instance's port", instance);
        }
      });
      if (probe.missingPrivileges.isEmpty()) {
        probe.missingPrivileges = state.missingPrivileges();
        state.missingPrivileges().filter(m -> !m.isEmpty()).ifPresent(m ->
            LOG.warn("{}: user '{}' lacks {} (needed for discovery or failover)", instance, options.user(), m));
      }
      return state;
    } catch (InstanceReadException e) {
      if (e.error().kind() != Kind.QUERY_FAILED) drop(probe);
      throw e;
    } catch (RuntimeException e) {
      // a value the server printed that we cannot read (a malformed GTID, host or number)
      throw new InstanceReadException(new ProbeError(Kind.QUERY_FAILED, instance + ": unexpected answer: "
          + e.getMessage()), e);
    }
  }

  private Connection connect(HostPort instance) throws InstanceReadException {
    try {
      return connector.open(instance);
    } catch (SQLException e) {
      throw failures.connectFailed(instance, e);
    }
  }

  /** Aborts the probe's connection at once (no COM_QUIT round trip to a server that may be hung). */
  private static void drop(Probe probe) {
    Connection c = probe.connection;
    probe.connection = null;
    JdbcConnector.abort(c);
  }

  @Override
  public void forget(HostPort instance) {
    Probe probe = probes.remove(instance);
    if (probe != null) drop(probe);
  }

  @Override
  public void close() {
    closed = true;
    for (HostPort key : probes.keySet()) forget(key);
  }
}
