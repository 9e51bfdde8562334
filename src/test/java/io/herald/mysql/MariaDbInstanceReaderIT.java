package io.herald.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.HostPort;
import io.herald.cluster.Secret;
import io.herald.testing.FreePort;
import io.herald.testing.MariaDbLab;
import io.herald.testing.TestServers;
import io.herald.topology.InstanceState;
import io.herald.topology.IoThread;
import io.herald.topology.ProbeError;
import io.herald.topology.ProbeError.Kind;
import io.herald.topology.ReplicaStatus;
import io.herald.topology.SemiSync;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The probe against the shared clusters of bin/test-servers (read only) and, for faults, against its own labs.
 */
class MariaDbInstanceReaderIT {
  private static final Duration CONNECT = Duration.ofSeconds(1);
  private static final Duration READ = Duration.ofSeconds(2);
  private static final MySqlOptions HERALD =
      MySqlOptions.of(TestServers.mariaDbUser(), TestServers.mariaDbPassword()).withTimeouts(CONNECT, READ);

  @Test
  void aMasterListsItsReplicasAndAReplicaItsSource() throws Exception {
    List<HostPort> a = TestServers.mariaDbClusterA();
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(HERALD)) {
      InstanceState master = reader.read(a.get(0));
      assertThat(master.key()).isEqualTo(a.get(0));
      assertThat(master.serverId()).isEqualTo(1);
      assertThat(master.version()).contains("MariaDB");
      assertThat(master.readOnly()).isFalse();
      assertThat(master.logBin()).isTrue();
      assertThat(master.logSlaveUpdates()).isTrue();
      assertThat(master.binlogFormat()).isEqualTo("ROW");
      assertThat(master.gtidStrictMode()).isTrue();
      assertThat(master.gtidDomainId()).isZero();
      assertThat(master.gtidBinlogPos().isEmpty()).isFalse();
      assertThat(master.gtidBinlogState().isEmpty()).isFalse();
      assertThat(master.replication()).isEmpty();
      assertThat(master.replicas()).containsExactlyInAnyOrder(a.get(1), a.get(2));
      SemiSync semiSync = master.semiSync();
      assertThat(semiSync.masterEnabled() || semiSync.masterActive() || semiSync.replicaEnabled()).isFalse();
      assertThat(semiSync.masterTimeoutMillis()).isEqualTo(10_000); // the server's default
      assertThat(master.missingPrivileges()).contains(Set.of());

      for (HostPort r : List.of(a.get(1), a.get(2))) {
        InstanceState replica = reader.read(r);
        assertThat(replica.readOnly()).isTrue();
        assertThat(replica.replicas()).isEmpty();
        ReplicaStatus rs = replica.replication().orElseThrow();
        assertThat(rs.source()).isEqualTo(a.get(0));
        assertThat(rs.io()).isEqualTo(IoThread.YES);
        assertThat(rs.sqlRunning()).isTrue();
        assertThat(rs.lastIoErrno()).isZero();
        assertThat(rs.lastSqlError()).isEmpty();
        assertThat(rs.usingGtid()).isEqualTo("Slave_Pos");
        assertThat(rs.gtidIoPos()).isEqualTo(master.gtidBinlogPos());
        assertThat(rs.secondsBehindMaster()).hasValue(0);
        assertThat(rs.sqlDelay()).isZero();
        assertThat(rs.hasFilters()).isFalse();
      }
    }
  }

  @Test
  void aChainedReplicaReplicatesFromTheIntermediate() throws Exception {
    List<HostPort> b = TestServers.mariaDbClusterB();
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(HERALD)) {
      assertThat(reader.read(b.get(0)).replicas()).containsExactly(b.get(1));
      InstanceState middle = reader.read(b.get(1));
      assertThat(middle.replication().orElseThrow().source()).isEqualTo(b.get(0));
      assertThat(middle.replicas()).containsExactly(b.get(2));
      InstanceState leaf = reader.read(b.get(2));
      assertThat(leaf.replication().orElseThrow().source()).isEqualTo(b.get(1));
      assertThat(leaf.replication().orElseThrow().gtidIoPos()).isEqualTo(middle.gtidBinlogPos());
    }
  }

  @Test
  void withoutShowSlaveHostsReplicasComeFromTheProcesslistOnTheMastersPort() throws Exception {
    List<HostPort> a = TestServers.mariaDbClusterA();
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(HERALD.withDiscoverByShowSlaveHosts(false))) {
      // both replicas are 127.0.0.1: the processlist gives hosts only, so they fold into one key (orchestrator's rule)
      assertThat(reader.read(a.get(0)).replicas()).containsExactly(new HostPort("127.0.0.1", a.get(0).port()));
    }
  }

  @Test
  void clusterAliasRunsOnlyOnMastersAndDataCenterOnAll() throws Exception {
    List<HostPort> a = TestServers.mariaDbClusterA();
    MySqlOptions o = HERALD.withDetection(Optional.of("SELECT 'alias-a'"), Optional.empty(),
        Optional.of(Pattern.compile("^(\\d+)\\.")));
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(o)) {
      assertThat(reader.read(a.get(0)).clusterAlias()).contains("alias-a");
      assertThat(reader.read(a.get(1)).clusterAlias()).isEmpty();
      assertThat(reader.read(a.get(1)).dataCenter()).contains("127");
    }
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(HERALD.withDetection(Optional.empty(),
        Optional.of("SELECT 'dc-east'"), Optional.of(Pattern.compile("^(\\d+)\\."))))) {
      assertThat(reader.read(a.get(2)).dataCenter()).contains("dc-east");
    }
  }

  @Test
  void aWrongPasswordIsAccessDeniedAndTheMessageHasNoPassword() {
    String wrong = "Wr0ng-s3cret-x";
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(
        MySqlOptions.of("herald", new Secret(wrong)).withTimeouts(CONNECT, READ))) {
      ProbeError e = failure(reader, TestServers.mariaDbClusterA().get(0));
      System.out.println("MariaDbInstanceReaderIT: wrong password: " + e);
      assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
      assertThat(e.message()).contains("herald").doesNotContain(wrong);
      assertThatThrownBy(() -> reader.read(TestServers.mariaDbClusterA().get(0)))
          .satisfies(t -> assertThat(stackText(t)).doesNotContain(wrong));
    }
  }

  @Test
  void aClosedPortIsUnreachableAtOnce() {
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(HERALD)) {
      long t0 = System.nanoTime();
      ProbeError e = failure(reader, new HostPort("127.0.0.1", FreePort.pick()));
      System.out.println("MariaDbInstanceReaderIT: closed port: " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e);
      assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
      assertThat(e.suggestsDown()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
    }
  }

  @Test
  void aListenerThatIsNotMysqlIsNamedSo() throws Exception {
    try (ServerSocket http = new ServerSocket()) {
      http.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread t = new Thread(() -> {
        while (!http.isClosed()) {
          try (Socket s = http.accept(); OutputStream out = s.getOutputStream()) {
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
          } catch (IOException e) {
            return; // closed at the end of the test
          }
        }
      }, "fake-http");
      t.setDaemon(true);
      t.start();
      try (MariaDbInstanceReader reader = new MariaDbInstanceReader(HERALD)) {
        ProbeError e = failure(reader, new HostPort("127.0.0.1", http.getLocalPort()));
        System.out.println("MariaDbInstanceReaderIT: fake HTTP: " + e);
        assertThat(e.kind()).isEqualTo(Kind.NOT_MYSQL);
        assertThat(e.suggestsDown()).isFalse();
      }
    }
  }

  @Test
  void aHungServerTimesOutWhileAnotherInstanceReadsPromptly() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24200, 2, "2->1");
        MariaDbInstanceReader reader = new MariaDbInstanceReader(heraldOn(lab))) {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      reader.read(lab.address(1));
      reader.read(lab.address(2));
      lab.pause(1);
      try {
        long t0 = System.nanoTime();
        Future<ProbeError> hung = pool.submit(() -> failure(reader, lab.address(1)));
        // while the hung read waits, the other instance answers at once, again and again
        for (int i = 0; i < 5; i++) {
          long r0 = System.nanoTime();
          assertThat(reader.read(lab.address(2)).serverId()).isEqualTo(2);
          assertThat(Duration.ofNanos(System.nanoTime() - r0)).isLessThan(Duration.ofMillis(500));
        }
        assertThat(hung.isDone()).isFalse();
        ProbeError e = hung.get(10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("MariaDbInstanceReaderIT: paused server, kept connection: " + took.toMillis() + " ms: " + e);
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(took).isBetween(READ.minusMillis(100), CONNECT.plus(READ).plusMillis(1500));
        // and with no connection kept: the new connection's greeting times out too
        long c0 = System.nanoTime();
        ProbeError fresh = failure(reader, lab.address(1));
        System.out.println("MariaDbInstanceReaderIT: paused server, new connection: "
            + Duration.ofNanos(System.nanoTime() - c0).toMillis() + " ms: " + fresh);
        assertThat(fresh.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - c0)).isLessThan(CONNECT.plus(READ).plusMillis(1500));
      } finally {
        lab.resume(1);
        pool.shutdownNow();
      }
      assertThat(reader.read(lab.address(1)).serverId()).isEqualTo(1);
    }
  }

  @Test
  void aKilledServerIsUnreachableAndReadsAgainAfterItsRestartOverANewConnection() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24230, 1, "");
        MariaDbInstanceReader reader = new MariaDbInstanceReader(heraldOn(lab))) {
      reader.read(lab.address(1));
      lab.kill9(1);
      long t0 = System.nanoTime();
      assertThat(failure(reader, lab.address(1)).kind()).isEqualTo(Kind.UNREACHABLE);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
      lab.restart(1);
      assertThat(reader.read(lab.address(1)).serverId()).isEqualTo(1);
      // the kept connection dies with the server: the first read after a restart reconnects by itself
      lab.kill9(1);
      lab.restart(1);
      assertThat(reader.read(lab.address(1)).serverId()).isEqualTo(1);
    }
  }

  @Test
  void aStoppedSqlThreadWithARunningIoThreadIsReportedSo() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24210, 2, "2->1");
        MariaDbInstanceReader reader = new MariaDbInstanceReader(heraldOn(lab))) {
      lab.sql(2, "STOP SLAVE SQL_THREAD");
      lab.sql(1, "CREATE TABLE app.x (id INT PRIMARY KEY)");
      String pos = lab.value(1, "SELECT @@gtid_binlog_pos");
      org.awaitility.Awaitility.await("the IO thread receives " + pos).atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> reader.read(lab.address(2)).replication().orElseThrow().gtidIoPos().toString().equals(pos));
      ReplicaStatus rs = reader.read(lab.address(2)).replication().orElseThrow();
      assertThat(rs.io()).isEqualTo(IoThread.YES);
      assertThat(rs.connected()).isTrue();
      assertThat(rs.sqlRunning()).isFalse();
      assertThat(rs.secondsBehindMaster()).isEmpty();
      assertThat(reader.read(lab.address(2)).gtidSlavePos().toString()).isNotEqualTo(pos);
    }
  }

  @Test
  void missingPrivilegesAreListedAndARefusedStatementIsNamed() throws Exception {
    try (MariaDbLab lab = MariaDbLab.start(24220, 2, "2->1")) {
      // made on the master, they replicate to the replica
      String noReadOnlyAdmin = "CREATE USER IF NOT EXISTS 'weak'@'127.0.0.1' IDENTIFIED BY 'weakpass'";
      String grant = "GRANT SUPER, PROCESS, RELOAD, REPLICATION SLAVE, BINLOG MONITOR, REPLICATION SLAVE ADMIN, "
          + "SLAVE MONITOR, CONNECTION ADMIN ON *.* TO 'weak'@'127.0.0.1'";
      lab.sql(1, noReadOnlyAdmin);
      lab.sql(1, grant);
      lab.sql(1, "GRANT SELECT ON mysql.* TO 'weak'@'127.0.0.1'");
      lab.sql(1, "CREATE USER 'usage'@'127.0.0.1' IDENTIFIED BY 'usagepass'");
      lab.awaitCaughtUp(2, 1, Duration.ofSeconds(10));
      MySqlOptions weak = MySqlOptions.of("weak", new Secret("weakpass")).withTimeouts(CONNECT, READ);
      try (MariaDbInstanceReader reader = new MariaDbInstanceReader(weak)) {
        InstanceState master = reader.read(lab.address(1));
        assertThat(master.missingPrivileges()).contains(Set.of("READ_ONLY ADMIN", "REPLICATION MASTER ADMIN"));
        // SHOW SLAVE HOSTS is refused without REPLICATION MASTER ADMIN: the processlist finds the replica
        assertThat(master.replicas()).containsExactly(new HostPort("127.0.0.1", lab.address(1).port()));
        assertThat(reader.read(lab.address(2)).replication().orElseThrow().source()).isEqualTo(lab.address(1));
      }
      try (MariaDbInstanceReader reader = new MariaDbInstanceReader(
          MySqlOptions.of("usage", new Secret("usagepass")).withTimeouts(CONNECT, READ))) {
        ProbeError e = failure(reader, lab.address(2));
        System.out.println("MariaDbInstanceReaderIT: usage-only user: " + e);
        assertThat(e.kind()).isEqualTo(Kind.QUERY_FAILED);
        assertThat(e.message()).contains("SHOW SLAVE STATUS").contains("SLAVE MONITOR").doesNotContain("usagepass");
      }
    }
  }

  @Test
  void readsOfManyInstancesRunConcurrently() throws Exception {
    List<HostPort> all = new java.util.ArrayList<>(TestServers.mariaDbClusterA());
    all.addAll(TestServers.mariaDbClusterB());
    try (MariaDbInstanceReader reader = new MariaDbInstanceReader(HERALD)) {
      for (int round = 0; round < 3; round++) {
        List<CompletableFuture<InstanceState>> reads = all.stream()
            .map(k -> CompletableFuture.supplyAsync(() -> {
              try {
                return reader.read(k);
              } catch (InstanceReadException e) {
                throw new AssertionError(e.getMessage(), e);
              }
            })).toList();
        for (int i = 0; i < all.size(); i++) assertThat(reads.get(i).get(10, TimeUnit.SECONDS).key()).isEqualTo(all.get(i));
      }
    }
  }

  private static MySqlOptions heraldOn(MariaDbLab lab) {
    return MySqlOptions.of(lab.user(MariaDbLab.Login.HERALD), lab.password(MariaDbLab.Login.HERALD))
        .withTimeouts(CONNECT, READ);
  }

  private static ProbeError failure(InstanceReader reader, HostPort key) {
    try {
      InstanceState s = reader.read(key);
      throw new AssertionError("read of " + key + " succeeded: " + s);
    } catch (InstanceReadException e) {
      return e.error();
    }
  }

  private static String stackText(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
