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

/** The mutating operations against real servers, each test on its own lab (ports 24300-24359). */
class MariaDbReplicationControlIT {
  @Test
  void afterKill9OfTheMasterAReplicaIsPromotedTheOtherRepointedAndTheOldMasterRejoins() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24300, 3, "2->1, 3->1"); MariaDbReplicationControl rc = control(lab)) {
      HostPort m1 = lab.address(1);
      HostPort r2 = lab.address(2);
      HostPort r3 = lab.address(3);
      createTable(lab, 1);
      insertRows(lab, 1, 1, 50);
      lab.awaitCaughtUp(2, 1, WAIT);
      lab.awaitCaughtUp(3, 1, WAIT);
      lab.kill9(1);
      await("both replicas lose the master").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() ->
          !"Yes".equals(slaveStatus(lab, 2).get("Slave_IO_Running"))
              && !"Yes".equals(slaveStatus(lab, 3).get("Slave_IO_Running")));

      assertThat(rc.waitForRelayLogApplied(r2, WAIT).status()).isEqualTo(GtidWait.Status.REACHED);
      long t0 = System.nanoTime();
      Promotion promotion = rc.promote(r2, Optional.of(m1));
      long promoteMs = millisSince(t0);
      long t1 = System.nanoTime();
      Repointing repointing = rc.repoint(r3, r2, Optional.empty());
      long repointMs = millisSince(t1);
      System.out.println("MariaDbReplicationControlIT: promote " + promoteMs + " ms, re-point " + repointMs
          + " ms (IO " + repointing.link().state() + "), together " + (promoteMs + repointMs) + " ms");

      assertThat(promotion.status()).isEqualTo(Promotion.Status.PROMOTED);
      assertThat(promotion.formerSource()).contains(m1);
      assertThat(promotion.binlogPos()).isEqualTo(GtidList.parse("0-1-51"));
      assertThat(lab.value(2, "SELECT @@read_only")).isEqualTo("0");
      assertThat(lab.sql(2, "SHOW SLAVE STATUS")).isEmpty();
      assertThat(repointing.status()).isEqualTo(Repointing.Status.REPOINTED);
      assertThat(repointing.formerSource()).contains(m1);
      assertThat(repointing.link().state()).isEqualTo(SourceLink.State.CONNECTED);
      assertThat(slaveStatus(lab, 3).get("Master_Port")).isEqualTo("24301");
      assertThat(slaveStatus(lab, 3).get("Using_Gtid")).isEqualTo("Slave_Pos");

      // the new master takes writes and the re-pointed replica gets them: the 50 from before the kill are on both
      insertRows(lab, 2, 51, 55);
      assertThat(rc.waitForGtid(r3, binlogPos(lab, 2), WAIT).status()).isEqualTo(GtidWait.Status.REACHED);
      assertThat(count(lab, 2)).isEqualTo(55);
      assertThat(count(lab, 3)).isEqualTo(55);

      // each again: nothing to do
      assertThat(rc.promote(r2, Optional.of(m1)).status()).isEqualTo(Promotion.Status.ALREADY_MASTER);
      assertThat(rc.repoint(r3, r2, Optional.empty()).status()).isEqualTo(Repointing.Status.ALREADY_REPLICATING);

      // the old master comes back writable (its my.cnf), is demoted first, then catches up from the new one
      lab.restart(1);
      assertThat(lab.value(1, "SELECT @@read_only")).isEqualTo("0");
      long t2 = System.nanoTime();
      Demotion demotion = rc.demoteToReplica(m1, r2, REPL, true);
      System.out.println("MariaDbReplicationControlIT: demote + rejoin of the old master " + millisSince(t2) + " ms: "
          + demotion);
      assertThat(demotion.status()).isEqualTo(Demotion.Status.REPLICATING);
      assertThat(demotion.startPos()).isEqualTo(GtidList.parse("0-1-51"));
      assertThat(demotion.toString()).doesNotContain("replpass");
      assertThat(lab.value(1, "SELECT @@read_only")).isEqualTo("1");
      assertThat(rc.waitForGtid(m1, binlogPos(lab, 2), WAIT).status()).isEqualTo(GtidWait.Status.REACHED);
      assertThat(count(lab, 1)).isEqualTo(55);
      assertThat(rc.demoteToReplica(m1, r2, REPL, true).status()).isEqualTo(Demotion.Status.ALREADY_REPLICATING);
      assertThat(rc.setReadOnly(m1, true).status()).isEqualTo(ReadOnlyChange.Status.ALREADY_SET);
    }
  }

  @Test
  void refusesToPromoteAReplicaOfAnUnexpectedSourceAndToRepointAMaster() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24310, 2, "2->1"); MariaDbReplicationControl rc = control(lab)) {
      Promotion p = rc.promote(lab.address(2), Optional.of(new HostPort("127.0.0.1", 24319)));
      assertThat(p.status()).isEqualTo(Promotion.Status.REFUSED);
      assertThat(p.reason()).contains("127.0.0.1:24310").contains("127.0.0.1:24319");
      // nothing was changed
      assertThat(lab.value(2, "SELECT @@read_only")).isEqualTo("1");
      assertThat(slaveStatus(lab, 2).get("Slave_IO_Running")).isEqualTo("Yes");

      assertThat(rc.repoint(lab.address(1), lab.address(2), Optional.empty()).status())
          .isEqualTo(Repointing.Status.REFUSED);
      assertThat(lab.sql(1, "SHOW SLAVE STATUS")).isEmpty();
      assertThat(rc.repoint(lab.address(2), lab.address(2), Optional.empty()).status())
          .isEqualTo(Repointing.Status.REFUSED);
      assertThat(rc.demoteToReplica(lab.address(1), lab.address(1), REPL, true).status())
          .isEqualTo(Demotion.Status.REFUSED);
      assertThat(lab.value(1, "SELECT @@read_only")).isEqualTo("0");

      // multi-source replication (a named connection besides the default one) is left alone
      lab.sql(2, "CHANGE MASTER 'extra' TO MASTER_HOST='127.0.0.1', MASTER_PORT=24319, MASTER_USER='repl',"
          + " MASTER_PASSWORD='replpass', MASTER_USE_GTID=slave_pos");
      Promotion multi = rc.promote(lab.address(2), Optional.of(lab.address(1)));
      assertThat(multi.status()).isEqualTo(Promotion.Status.REFUSED);
      assertThat(multi.reason()).contains("[extra]");
      assertThat(rc.repoint(lab.address(2), new HostPort("127.0.0.1", 24318), Optional.empty()).status())
          .isEqualTo(Repointing.Status.REFUSED);
      assertThat(rc.demoteToReplica(lab.address(2), lab.address(1), REPL, true).status())
          .isEqualTo(Demotion.Status.REFUSED);
      assertThat(slaveStatus(lab, 2).get("Master_Port")).isEqualTo("24310");
      assertThat(slaveStatus(lab, 2).get("Slave_IO_Running")).isEqualTo("Yes");
      lab.sql(2, "RESET SLAVE 'extra' ALL");
    }
  }

  @Test
  void aPromotionCutShortIsFinishedAndADemotionSetUpWithoutStartingIsStartedLater() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24315, 2, "2->1"); MariaDbReplicationControl rc = control(lab)) {
      HostPort m1 = lab.address(1);
      HostPort r2 = lab.address(2);
      createTable(lab, 1);
      insertRows(lab, 1, 1, 3);
      lab.awaitCaughtUp(2, 1, WAIT);
      // as if a promotion had died between RESET SLAVE ALL and read_only=0
      lab.sql(2, "STOP SLAVE");
      lab.sql(2, "RESET SLAVE ALL");
      Promotion finished = rc.promote(r2, Optional.of(m1));
      assertThat(finished.status()).isEqualTo(Promotion.Status.PROMOTED);
      assertThat(finished.formerSource()).isEmpty();
      assertThat(lab.value(2, "SELECT @@read_only")).isEqualTo("0");

      Demotion configured = rc.demoteToReplica(m1, r2, REPL, false);
      assertThat(configured.status()).isEqualTo(Demotion.Status.CONFIGURED);
      assertThat(configured.link().state()).isEqualTo(SourceLink.State.NOT_STARTED);
      assertThat(lab.value(1, "SELECT @@read_only")).isEqualTo("1");
      assertThat(slaveStatus(lab, 1)).containsEntry("Master_Port", "24316").containsEntry("Slave_IO_Running", "No")
          .containsEntry("Slave_SQL_Running", "No").containsEntry("Using_Gtid", "Slave_Pos");
      assertThat(lab.value(1, "SELECT @@gtid_slave_pos")).isEqualTo("0-1-4");
      assertThat(rc.demoteToReplica(m1, r2, REPL, false).status()).isEqualTo(Demotion.Status.ALREADY_REPLICATING);

      insertRows(lab, 2, 4, 5);
      assertThat(rc.demoteToReplica(m1, r2, REPL, true).status()).isEqualTo(Demotion.Status.REPLICATING);
      assertThat(rc.waitForGtid(m1, binlogPos(lab, 2), WAIT).reached()).isTrue();
      assertThat(count(lab, 1)).isEqualTo(5);
    }
  }

  @Test
  void wrongReplicationCredentialsAreReportedWithoutThePasswordAndGoodOnesFixIt() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24320, 2, "2->1"); MariaDbReplicationControl rc = control(lab)) {
      ReplicationCredentials wrong = new ReplicationCredentials("repl", new Secret("s3cret-wrong"));
      // connected with the same user: its password works, so nothing is changed
      assertThat(rc.repoint(lab.address(2), lab.address(1), Optional.of(wrong)).status())
          .isEqualTo(Repointing.Status.ALREADY_REPLICATING);
      lab.sql(2, "STOP SLAVE IO_THREAD");
      Repointing bad = rc.repoint(lab.address(2), lab.address(1), Optional.of(wrong));
      assertThat(bad.status()).isEqualTo(Repointing.Status.REPOINTED);
      assertThat(bad.link().state()).isEqualTo(SourceLink.State.CONNECTING);
      assertThat(bad.link().lastIoErrno()).isEqualTo(1045);
      assertThat(bad.toString()).doesNotContain("s3cret-wrong").contains("Access denied");
      // the IO thread is not running: not "already" done, so good credentials are applied
      Repointing good = rc.repoint(lab.address(2), lab.address(1), Optional.of(REPL));
      assertThat(good.status()).isEqualTo(Repointing.Status.REPOINTED);
      assertThat(good.link().state()).isEqualTo(SourceLink.State.CONNECTED);
      assertThat(rc.repoint(lab.address(2), lab.address(1), Optional.of(REPL)).status())
          .isEqualTo(Repointing.Status.ALREADY_REPLICATING);
      // a password with a quote and a backslash goes into CHANGE MASTER intact
      lab.sql(1, "CREATE USER 'odd'@'127.0.0.1' IDENTIFIED BY 'it''s\\\\x'");
      lab.sql(1, "GRANT REPLICATION SLAVE ON *.* TO 'odd'@'127.0.0.1'");
      Repointing odd = rc.repoint(lab.address(2), lab.address(1),
          Optional.of(new ReplicationCredentials("odd", new Secret("it's\\x"))));
      assertThat(odd.status()).isEqualTo(Repointing.Status.REPOINTED);
      assertThat(odd.link().state()).isEqualTo(SourceLink.State.CONNECTED);
      assertThat(slaveStatus(lab, 2).get("Master_User")).isEqualTo("odd");
    }
  }

  @Test
  void anOldMasterWithATransactionTheNewOneLacksIsReportedDivergedAndLeftStopped() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24350, 3, "2->1, 3->1"); MariaDbReplicationControl rc = control(lab)) {
      HostPort m1 = lab.address(1);
      HostPort r2 = lab.address(2);
      createTable(lab, 1);
      insertRows(lab, 1, 1, 10);
      lab.awaitCaughtUp(2, 1, WAIT);
      lab.awaitCaughtUp(3, 1, WAIT);
      // the master is cut off from its replicas, takes a write nobody else receives, and dies
      lab.sql(2, "STOP SLAVE");
      lab.sql(3, "STOP SLAVE");
      insertRows(lab, 1, 11, 11);
      lab.kill9(1);

      assertThat(rc.promote(r2, Optional.of(m1)).status()).isEqualTo(Promotion.Status.PROMOTED);
      assertThat(rc.repoint(lab.address(3), r2, Optional.empty()).link().state()).isEqualTo(SourceLink.State.CONNECTED);
      insertRows(lab, 2, 12, 12);
      lab.restart(1);

      long t0 = System.nanoTime();
      Demotion d = rc.demoteToReplica(m1, r2, REPL, true);
      System.out.println("MariaDbReplicationControlIT: diverged demotion " + millisSince(t0) + " ms: " + d);
      assertThat(d.status()).isEqualTo(Demotion.Status.DIVERGED);
      assertThat(d.link().lastIoErrno()).isEqualTo(1236);
      assertThat(d.link().lastIoError()).contains("0-1-12");
      assertThat(d.toString()).doesNotContain("replpass");
      assertThat(lab.value(1, "SELECT @@read_only")).isEqualTo("1");
      Map<String, String> st = slaveStatus(lab, 1);
      assertThat(st.get("Slave_IO_Running")).isEqualTo("No");
      assertThat(st.get("Slave_SQL_Running")).isEqualTo("No");
      // again: the same verdict, never "already replicating"
      assertThat(rc.demoteToReplica(m1, r2, REPL, true).status()).isEqualTo(Demotion.Status.DIVERGED);
      assertThat(count(lab, 1)).isEqualTo(11);
      assertThat(count(lab, 2)).isEqualTo(11);
    }
  }

  @Test
  void fiveGracefulSwitchoversRoundThreeServersAreTimedAndLoseNoWrite() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24360, 3, "2->1, 3->1"); MariaDbReplicationControl rc = control(lab)) {
      createTable(lab, 1);
      int master = 1;
      int rows = 0;
      List<String> figures = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        int next = master % 3 + 1;
        int other = next % 3 + 1;
        HostPort m = lab.address(master);
        HostPort a = lab.address(next);
        insertRows(lab, master, rows + 1, rows + 10);
        rows += 10;
        long t0 = System.nanoTime();
        assertThat(rc.setReadOnly(m, true).status()).isEqualTo(ReadOnlyChange.Status.SET);
        long readOnly = millisSince(t0);
        rc.killWriteSessions(m);
        GtidList pos = binlogPos(lab, master);
        assertThat(rc.waitForGtid(a, pos, WAIT).status()).isEqualTo(GtidWait.Status.REACHED);
        long caughtUp = millisSince(t0);
        assertThat(rc.promote(a, Optional.of(m)).status()).isEqualTo(Promotion.Status.PROMOTED);
        long writeBlock = millisSince(t0);
        long t1 = System.nanoTime();
        assertThat(rc.repoint(lab.address(other), a, Optional.empty()).link().state())
            .isEqualTo(SourceLink.State.CONNECTED);
        long repoint = millisSince(t1);
        long t2 = System.nanoTime();
        assertThat(rc.demoteToReplica(m, a, REPL, true).status()).isEqualTo(Demotion.Status.REPLICATING);
        long demote = millisSince(t2);
        figures.add("read_only " + readOnly + ", caught up " + caughtUp + ", promoted " + writeBlock + " (write block),"
            + " re-point " + repoint + ", demote " + demote + " ms");
        master = next;
      }
      System.out.println("MariaDbReplicationControlIT: graceful switchovers:\n  " + String.join("\n  ", figures));
      for (int s = 1; s <= 3; s++) {
        if (s != master) assertThat(rc.waitForGtid(lab.address(s), binlogPos(lab, master), WAIT).reached()).isTrue();
        assertThat(count(lab, s)).isEqualTo(rows);
      }
      assertThat(lab.value(master, "SELECT @@read_only")).isEqualTo("0");
    }
  }
}
