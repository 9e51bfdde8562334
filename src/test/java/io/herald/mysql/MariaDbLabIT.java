package io.herald.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.MariaDbLab;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lab fixture itself: three servers replicate, a write on the master reaches both replicas. */
class MariaDbLabIT {

  @Test
  void threeServersReplicateAWriteFromTheMaster() {
    long t0 = System.nanoTime();
    try (MariaDbLab lab = MariaDbLab.start(24100, 3, "2->1, 3->1")) {
      long startedMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("MariaDbLabIT: 3-server lab up in " + startedMs + " ms");
      lab.sql(1, "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20))");
      lab.sql(1, "INSERT INTO app.t VALUES (1, 'hello')");
      String pos = lab.value(1, "SELECT @@gtid_binlog_pos");
      assertThat(pos).isEqualTo("0-1-2");
      for (int replica : new int[] {2, 3}) {
        assertThat(lab.value(replica, "SELECT MASTER_GTID_WAIT('" + pos + "', 10)")).isEqualTo("0");
        assertThat(lab.value(replica, "SELECT v FROM app.t WHERE id = 1")).isEqualTo("hello");
        assertThat(lab.value(replica, "SELECT @@read_only")).isEqualTo("1");
      }
      assertThat(lab.value(1, "SELECT @@read_only")).isEqualTo("0");
    }
  }

  @Test
  void aKilledServerComesBackAndAChainReplicatesThroughTheMiddle() {
    try (MariaDbLab lab = MariaDbLab.start(24110, 3, "2->1, 3->2")) {
      lab.kill9(2);
      lab.sql(1, "CREATE TABLE app.c (id INT PRIMARY KEY)");
      lab.restart(2);
      lab.awaitReplicating(2);
      lab.awaitCaughtUp(2, 1, Duration.ofSeconds(10));
      lab.awaitCaughtUp(3, 1, Duration.ofSeconds(10));
      assertThat(lab.sql(3, "SHOW SLAVE STATUS").get(0).get("Master_Port")).isEqualTo("24111");
    }
  }
}
