package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.topology.Gtid;
import io.herald.topology.GtidList;
import io.herald.topology.GtidPosition;
import io.herald.topology.IoThread;
import io.herald.topology.ProbeError;
import io.herald.topology.ProbeError.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Pointing an instance at a source by GTID and watching its IO thread afterwards; for re-points and demotions. */
final class SourceSetup {
  private static final long POLL_MILLIS = 5;

  private SourceSetup() {}

  /**
   * Where an old master asks its new source to start: per domain the later of what it binlogged and what it applied
   * as a replica. After {@code RESET SLAVE ALL} the slave position is stale (pitfall 11); with log_slave_updates the
   * binlog position covers it, and without, a demotion resumed after some replication still asks from what it applied.
   * Ties go to the binlog's GTID.
   */
  static GtidList startPosition(GtidList binlogPos, GtidList slavePos) {
    TreeMap<Long, Gtid> m = new TreeMap<>(GtidPosition.of(binlogPos).byDomain());
    for (Gtid g : GtidPosition.of(slavePos).byDomain().values()) {
      m.merge(g.domain(), g, (a, b) -> b.seq() > a.seq() ? b : a);
    }
    return new GtidList(List.copyOf(m.values()));
  }

  /**
   * {@code CHANGE MASTER TO MASTER_HOST, MASTER_PORT[, MASTER_USER, MASTER_PASSWORD], MASTER_USE_GTID=slave_pos,
   * MASTER_CONNECT_RETRY=1} (replication stopped); a failure names it without the credentials.
   */
  static void changeMaster(InstanceSession s, HostPort source, Optional<ReplicationCredentials> credentials)
      throws ReplicationControlException {
    String target = "MASTER_HOST=" + s.literal(source.host()) + ", MASTER_PORT=" + source.port();
    StringBuilder sql = new StringBuilder("CHANGE MASTER TO ").append(target);
    if (credentials.isPresent()) {
      sql.append(", MASTER_USER=").append(s.literal(credentials.get().user()))
          .append(", MASTER_PASSWORD=").append(s.literal(credentials.get().password().value()));
    }
    sql.append(", MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
    s.execute("CHANGE MASTER TO " + target, sql.toString());
  }

  /**
   * How the IO thread stands after START SLAVE, watched for at most {@code bound}: connected once the source has
   * accepted the GTID position (its first event, a rotate, names its binlog in {@code Master_Log_File}, which CHANGE
   * MASTER emptied; a refused position gets error 1236 before any event), failed once the thread stops on an error.
   */
  static SourceLink watch(InstanceSession s, Duration bound) throws ReplicationControlException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      Optional<Map<String, String>> status = s.slaveStatus();
      if (status.isEmpty()) return new SourceLink(SourceLink.State.FAILED, 0, "replication was reset meanwhile");
      Map<String, String> r = status.get();
      // "Preparing" (checking the source's version, registering) comes between Connecting and Yes
      String running = r.get("Slave_IO_Running");
      IoThread io = "Preparing".equalsIgnoreCase(running) ? IoThread.CONNECTING : IoThread.parse(running);
      int errno = intOrZero(r.get("Last_IO_Errno"));
      String error = s.redact(r.get("Last_IO_Error") == null ? "" : r.get("Last_IO_Error"));
      boolean past = System.nanoTime() > deadline;
      // a thread not yet started shows "No" with no error for a moment
      if (io == IoThread.NO && (errno != 0 || past)) return new SourceLink(SourceLink.State.FAILED, errno, error);
      String file = r.get("Master_Log_File");
      if (io == IoThread.YES && errno == 0 && file != null && !file.isBlank()) {
        return new SourceLink(SourceLink.State.CONNECTED, 0, "");
      }
      if (past) return new SourceLink(SourceLink.State.CONNECTING, errno, error);
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReplicationControlException(new ProbeError(Kind.TIMEOUT, s.key() + ": interrupted while watching"
            + " the IO thread after START SLAVE"), e);
      }
    }
  }

  private static int intOrZero(String s) {
    return s == null || s.isBlank() ? 0 : Integer.parseInt(s.trim());
  }
}
