package io.herald.mysql;

import static io.herald.mysql.ReplicationLabs.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.HostPort;
import io.herald.cluster.Secret;
import io.herald.testing.MariaDbLab;
import io.herald.topology.GtidList;
import io.herald.topology.ProbeError.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** GTID waits, fencing and faults against real servers, each test on its own lab (ports 24330-24359). */
class MariaDbReplicationControlWaitsIT {
  @Test
  void masterGtidWaitReachesOrTimesOutAndTheRelayLogDrainWaitsUntilApplied() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24330, 2, "2->1"); MariaDbReplicationControl rc = control(lab)) {
      HostPort r2 = lab.address(2);
      createTable(lab, 1);
      GtidWait reached = rc.waitForGtid(r2, binlogPos(lab, 1), WAIT);
      assertThat(reached.status()).isEqualTo(GtidWait.Status.REACHED);
      assertThat(reached.applied()).isEqualTo(binlogPos(lab, 1));

      lab.sql(2, "STOP SLAVE SQL_THREAD");
      insertRows(lab, 1, 1, 20);
      GtidList target = binlogPos(lab, 1);
      GtidWait timedOut = rc.waitForGtid(r2, target, Duration.ofMillis(500));
      assertThat(timedOut.status()).isEqualTo(GtidWait.Status.TIMED_OUT);
      assertThat(timedOut.waited()).isBetween(Duration.ofMillis(450), Duration.ofMillis(2500));
      await("the IO thread receives " + target).atMost(WAIT).pollInterval(Duration.ofMillis(20))
          .until(() -> target.toString().equals(slaveStatus(lab, 2).get("Gtid_IO_Pos")));
      GtidWait stopped = rc.waitForRelayLogApplied(r2, WAIT);
      assertThat(stopped.status()).isEqualTo(GtidWait.Status.SQL_THREAD_STOPPED);
      assertThat(stopped.target()).isEqualTo(target);
      assertThat(count(lab, 2)).isZero();

      lab.sql(2, "START SLAVE SQL_THREAD");
      GtidWait drained = rc.waitForRelayLogApplied(r2, WAIT);
      assertThat(drained.status()).isEqualTo(GtidWait.Status.REACHED);
      assertThat(drained.target()).isEqualTo(target);
      assertThat(count(lab, 2)).isEqualTo(20);
      assertThat(rc.waitForRelayLogApplied(lab.address(1), WAIT).status()).isEqualTo(GtidWait.Status.NOT_A_REPLICA);
    }
  }

  @Test
  void readOnlyAndKillingTheSessionsThatBypassItBlockAPrivilegedAppWrite() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24340, 2, "2->1"); MariaDbReplicationControl rc = control(lab)) {
      HostPort m1 = lab.address(1);
      createTable(lab, 1);
      lab.sql(1, "CREATE USER 'writer'@'127.0.0.1' IDENTIFIED BY 'writerpass'");
      lab.sql(1, "GRANT READ_ONLY ADMIN ON *.* TO 'writer'@'127.0.0.1'");
      lab.sql(1, "GRANT ALL ON app.* TO 'writer'@'127.0.0.1'");
      try (Connection writer = connect(lab, 1, "writer", "writerpass");
          Connection app = connect(lab, 1, "app", "apppass");
          Connection herald = connect(lab, 1, "herald", "heraldpass")) {
        execute(writer, "INSERT INTO app.t VALUES (1, 'before')");
        assertThat(rc.killWriteSessions(m1).status()).isEqualTo(SessionKill.Status.REFUSED_WRITABLE);

        assertThat(rc.setReadOnly(m1, true).status()).isEqualTo(ReadOnlyChange.Status.SET);
        assertThat(rc.setReadOnly(m1, true).status()).isEqualTo(ReadOnlyChange.Status.ALREADY_SET);
        // read_only alone stops the app user, but not a user with READ_ONLY ADMIN
        assertThatThrownBy(() -> execute(app, "INSERT INTO app.t VALUES (2, 'app')")).hasMessageContaining("read-only");
        execute(writer, "INSERT INTO app.t VALUES (3, 'bypass')");

        SessionKill kill = rc.killWriteSessions(m1);
        System.out.println("MariaDbReplicationControlWaitsIT: " + kill);
        assertThat(kill.status()).isEqualTo(SessionKill.Status.KILLED);
        assertThat(kill.privilegedUsers()).contains("writer", "root", "herald");
        assertThat(kill.killed()).extracting(SessionKill.Session::user).containsExactly("writer");
        assertThatThrownBy(() -> execute(writer, "INSERT INTO app.t VALUES (4, 'after')"))
            .isInstanceOf(SQLException.class);
        // the app's and Herald's own sessions live on, and so does the replica's dump thread
        execute(herald, "SELECT 1");
        execute(app, "SELECT 1");
        assertThat(rc.killWriteSessions(m1).status()).isEqualTo(SessionKill.Status.NONE_FOUND);
      }
      assertThat(count(lab, 1)).isEqualTo(2);
      // on a replica: its own replication threads are never killed
      assertThat(rc.killWriteSessions(lab.address(2)).status()).isEqualTo(SessionKill.Status.NONE_FOUND);
      assertThat(slaveStatus(lab, 2).get("Slave_IO_Running")).isEqualTo("Yes");
      assertThat(slaveStatus(lab, 2).get("Slave_SQL_Running")).isEqualTo("Yes");
      assertThat(rc.setReadOnly(m1, false).status()).isEqualTo(ReadOnlyChange.Status.SET);

      // read_only behind a LOCK TABLES gives up within the read timeout, and does not stay queued blocking writers
      lab.sql(1, "CREATE TABLE app.u (id INT PRIMARY KEY)");
      try (Connection locker = connect(lab, 1, "root", "rootpass");
          Connection app = connect(lab, 1, "app", "apppass")) {
        execute(locker, "LOCK TABLES app.t WRITE");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> rc.setReadOnly(m1, true)).isInstanceOf(ReplicationControlException.class)
            .satisfies(e -> System.out.println("MariaDbReplicationControlWaitsIT: read_only behind LOCK TABLES: "
                + millisSince(t0) + " ms: " + e.getMessage()));
        assertThat(millisSince(t0)).isLessThan(READ.plusMillis(1000).toMillis());
        long t1 = System.nanoTime();
        execute(app, "INSERT INTO app.u VALUES (1)");
        assertThat(millisSince(t1)).isLessThan(500);
        execute(locker, "UNLOCK TABLES");
      }
      assertThat(rc.setReadOnly(m1, true).status()).isEqualTo(ReadOnlyChange.Status.SET);
    }
  }

  @Test
  void aHungInstanceFailsEveryOperationWithinTheTimeoutsAsTimeout() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (MariaDbLab lab = MariaDbLab.start(24355, 2, "2->1"); MariaDbReplicationControl rc = control(lab)) {
      HostPort r2 = lab.address(2);
      lab.pause(2);
      try {
        List<Callable<Object>> ops = List.of(() -> rc.setReadOnly(r2, false), () -> rc.killWriteSessions(r2),
            () -> rc.waitForGtid(r2, binlogPos(lab, 1), Duration.ofSeconds(1)),
            () -> rc.waitForRelayLogApplied(r2, Duration.ofSeconds(1)), () -> rc.promote(r2, Optional.empty()),
            () -> rc.repoint(r2, lab.address(1), Optional.empty()),
            () -> rc.demoteToReplica(r2, lab.address(1), REPL, true));
        List<Long> took = new ArrayList<>();
        for (Callable<Object> op : ops) {
          long t0 = System.nanoTime();
          Future<Object> f = pool.submit(op);
          assertThatThrownBy(() -> f.get(CONNECT.plus(READ).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS))
              .hasCauseInstanceOf(ReplicationControlException.class)
              .satisfies(e -> assertThat(((ReplicationControlException) e.getCause()).error().kind())
                  .isEqualTo(Kind.TIMEOUT));
          took.add(millisSince(t0));
        }
        System.out.println("MariaDbReplicationControlWaitsIT: on a hung instance each operation failed after " + took
            + " ms");
        assertThat(took).allSatisfy(ms -> assertThat(ms).isLessThan(CONNECT.plus(READ).plusMillis(1500).toMillis()));
      } finally {
        lab.resume(2);
        pool.shutdownNow();
      }
      assertThat(rc.setReadOnly(r2, true).status()).isEqualTo(ReadOnlyChange.Status.ALREADY_SET);
    }
  }

  @Test
  void aWaitUnderWayWhenTheServerHangsFailsAsTimeoutAndCloseAbortsAWaitAtOnce() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (MariaDbLab lab = MariaDbLab.start(24358, 2, "2->1"); MariaDbReplicationControl rc = control(lab)) {
      HostPort r2 = lab.address(2);
      lab.sql(2, "STOP SLAVE SQL_THREAD");
      createTable(lab, 1);
      GtidList never = binlogPos(lab, 1);
      long t0 = System.nanoTime();
      Future<GtidWait> hung = pool.submit(() -> rc.waitForGtid(r2, never, Duration.ofSeconds(1)));
      awaitGtidWaitRunning(lab, 2);
      lab.pause(2);
      try {
        assertThatThrownBy(() -> hung.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ReplicationControlException.class)
            .satisfies(e -> {
              ReplicationControlException rce = (ReplicationControlException) e.getCause();
              assertThat(rce.error().kind()).isEqualTo(Kind.TIMEOUT);
              assertThat(rce.getMessage()).contains("MASTER_GTID_WAIT").contains("within 3 s");
            });
        long ms = millisSince(t0);
        System.out.println("MariaDbReplicationControlWaitsIT: a 1 s GTID wait on a server hung meanwhile failed after " + ms
            + " ms");
        assertThat(ms).isBetween(2800L, 4500L);
      } finally {
        lab.resume(2);
      }
      // close aborts a wait under way at once, and the control refuses new operations
      MariaDbReplicationControl other = control(lab);
      Future<GtidWait> waiting = pool.submit(() -> other.waitForGtid(r2, never, Duration.ofSeconds(30)));
      awaitGtidWaitRunning(lab, 2);
      long t1 = System.nanoTime();
      other.close();
      assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ReplicationControlException.class);
      assertThat(millisSince(t1)).isLessThan(1000);
      assertThatThrownBy(() -> other.setReadOnly(r2, true)).isInstanceOf(IllegalStateException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitGtidWaitRunning(MariaDbLab lab, int server) {
    await("a MASTER_GTID_WAIT runs on server " + server).atMost(WAIT).pollInterval(Duration.ofMillis(10))
        .until(() -> !"0".equals(lab.value(server, "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
            + " WHERE INFO LIKE 'SELECT MASTER_GTID_WAIT%'")));
  }
}
