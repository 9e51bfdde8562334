package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.topology.GtidList;
import java.time.Duration;
import java.util.Optional;

/**
 * The mutating operations a failover needs on one MySQL/MariaDB instance (GTID replication, the default replication
 * connection only). Each operation first reads the state it is about to change and acts only where it differs, so it
 * is idempotent: run again after it succeeded, it reports {@code ALREADY_*} and changes nothing; run again after it
 * failed half-way, it finishes the job. Each returns what it found and did; a refusal because of what it found is an
 * outcome, not an exception. No operation writes data.
 *
 * <p>Every operation is bounded: connecting by the connect timeout, each statement by the read timeout (a wait by its
 * own timeout plus the read timeout), polls by a stated bound; a hung instance costs at most those and fails with a
 * {@code TIMEOUT}-kind error.
 *
 * <p>Thread-safe; blocking. Operations on one instance are not serialised against each other: the caller (the
 * failover, one step at a time) orders them. Passwords never appear in outcomes, messages or logs.
 */
public interface ReplicationControl extends AutoCloseable {

  /** Sets {@code @@global.read_only} unless it already is so. */
  ReadOnlyChange setReadOnly(HostPort instance, boolean readOnly) throws ReplicationControlException;

  /**
   * Kills the sessions that could still write although the instance is read_only: those of users holding SUPER or
   * READ_ONLY ADMIN ({@code information_schema.USER_PRIVILEGES}, through roles too), matched by user name on any host.
   * Not killed: this operation's own session, replication and other system threads ({@code system user}), the
   * binlog dump threads of replicas, and sessions of Herald's own user (its probes, which never write). A killed
   * session's open transaction is rolled back. Refused (nothing killed) when the instance is not read_only.
   */
  SessionKill killWriteSessions(HostPort instance) throws ReplicationControlException;

  /** Reads whether the instance is read_only and where it replicates from; changes nothing. */
  InstanceRole role(HostPort instance) throws ReplicationControlException;

  /**
   * {@code STOP SLAVE IO_THREAD} unless it is stopped already: the replica receives nothing more, so its relay log
   * can be drained completely before it is promoted (nothing received after the drain is thrown away by the reset).
   */
  void stopReceiving(HostPort instance) throws ReplicationControlException;

  /** {@code @@gtid_binlog_pos}: what the instance wrote to its binary log (read after writes were blocked). */
  GtidList binlogPosition(HostPort instance) throws ReplicationControlException;

  /**
   * {@code SELECT MASTER_GTID_WAIT(position, timeout)}: waits until the instance has applied {@code position}
   * ({@code @@gtid_slave_pos}), at most {@code timeout}. Returns {@code REACHED} or {@code TIMED_OUT}.
   */
  GtidWait waitForGtid(HostPort instance, GtidList position, Duration timeout) throws ReplicationControlException;

  /**
   * The relay-log drain before a promotion: waits until the replica has applied everything its IO thread received
   * (its {@code Gtid_IO_Pos} when asked), at most {@code timeout}. {@code SQL_THREAD_STOPPED} at once when the SQL
   * thread is stopped short of it, {@code NOT_A_REPLICA} when it replicates from nobody.
   */
  GtidWait waitForRelayLogApplied(HostPort instance, Duration timeout) throws ReplicationControlException;

  /**
   * Makes the instance a writable root: {@code STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=0}. When
   * {@code expectedSource} is given and the instance replicates from another source ({@code Master_Host:Master_Port}
   * compared as written, not resolved), refuses. A writable root is left
   * as it is ({@code ALREADY_MASTER}); a read-only root (a promotion cut short) only gets read_only turned off. It does
   * not drain the relay log first: call {@link #waitForRelayLogApplied} before.
   */
  Promotion promote(HostPort instance, Optional<HostPort> expectedSource) throws ReplicationControlException;

  /**
   * Points a replica at {@code source} by GTID: {@code STOP SLAVE; CHANGE MASTER TO MASTER_HOST, MASTER_PORT,
   * MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1 [, MASTER_USER, MASTER_PASSWORD]; START SLAVE}, keeping the
   * user and password it had unless {@code credentials} are given. Nothing is done when it already replicates from
   * {@code source} with both threads running (and as {@code credentials}' user, when given: a connected IO thread
   * proves that user's password works, so a password alone is never changed on a working replica). Refused for an
   * instance that replicates from nobody (demote a master with {@link #demoteToReplica}) or through named
   * (multi-source) connections. Afterwards it watches the IO thread for at most the connect + read timeout and
   * reports how it stands ({@link SourceLink}): a replica the source refuses (error 1236) cannot follow it.
   */
  Repointing repoint(HostPort replica, HostPort source, Optional<ReplicationCredentials> credentials)
      throws ReplicationControlException;

  /**
   * Turns an old master into a replica of {@code source}: {@code SET GLOBAL read_only=1} first, then {@code STOP
   * SLAVE; SET GLOBAL gtid_slave_pos=@@gtid_binlog_pos} (after {@code RESET SLAVE ALL} its slave position is stale),
   * {@code CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1} with {@code credentials}, and
   * {@code START SLAVE} only when {@code start}. After starting it watches the IO thread for at most the connect +
   * read timeout: when the source refuses its position (error 1236: it diverged), it stops the slave again and
   * reports {@code DIVERGED}. Nothing is done when it is already read_only and replicating from {@code source}.
   */
  Demotion demoteToReplica(HostPort oldMaster, HostPort source, ReplicationCredentials credentials, boolean start)
      throws ReplicationControlException;

  /** Aborts the connections of operations under way (they fail) and refuses new ones; idempotent. */
  @Override
  void close();
}
