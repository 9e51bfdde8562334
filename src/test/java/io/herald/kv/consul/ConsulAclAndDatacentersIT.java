package io.herald.kv.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.KvPair;
import io.herald.cluster.Master;
import io.herald.kv.KvStoreException;
import io.herald.cluster.Secret;
import io.herald.kv.WriteOutcome;
import io.herald.testing.TestServers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ACL refusals, cross-datacenter distribution, unreachable agents, secrets, and transaction packing. */
class ConsulAclAndDatacentersIT {
  private static final String TOKEN = TestServers.consulAclToken();
  private final RawConsul dc1 = new RawConsul(TestServers.consulAclDc1(), Optional.of(TOKEN));
  private final RawConsul dc2 = new RawConsul(TestServers.consulAclDc2(), Optional.of(TOKEN));
  private KeyLayout layout;

  @BeforeAll
  static void bothDatacentersAreJoined() {
    ConsulHttp http = new ConsulHttp("probe", options(TestServers.consulAclDc1(), Optional.of(TOKEN), true, 64,
        false), HttpClient.newHttpClient());
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> http.datacenters().containsAll(List.of("dc1", "dc2")));
  }

  @BeforeEach
  void newLayout() {
    layout = new KeyLayout(TestServers.uniquePrefix("mysql/master"), true, KeyLayout.DEFAULT_EPOCH_PREFIX);
  }

  @Test
  void withoutATokenAWriteIsRefusedForGoodAndTheMessageNamesNoToken() throws Exception {
    for (boolean transactional : List.of(true, false)) {
      try (ConsulKvStore s = store(TestServers.consulAclDc1(), Optional.empty(), transactional, 64, false)) {
        s.start();
        KvStoreException e = catchThrowableOfType(KvStoreException.class,
            () -> s.write(List.of(entries("denied", "127.0.0.5", 3306, 7))));
        assertThat(e.retryable()).as("retryable").isFalse();
        assertThat(e.getMessage()).contains("Permission denied").doesNotContain(TOKEN);
      }
    }
    assertThat(dc1.get(layout.masterKey(Alias.of("denied")))).isEmpty();
  }

  @Test
  void aWrongTokenIsRefusedForGoodAndNeverShown() throws Exception {
    String wrong = "0badc0de-1111-2222-3333-444455556666";
    try (ConsulKvStore s = store(TestServers.consulAclDc1(), Optional.of(wrong), true, 64, false)) {
      s.start();
      KvStoreException e = catchThrowableOfType(KvStoreException.class,
          () -> s.write(List.of(entries("wrong", "127.0.0.5", 3306, 7))));
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("403").doesNotContain(wrong);
      KvStoreException g = catchThrowableOfType(KvStoreException.class, () -> s.get("anything"));
      assertThat(g.retryable()).isFalse();
      assertThat(g.getMessage()).contains("403").doesNotContain(wrong);
    }
  }

  @Test
  void crossDataCenterWritesReachEveryDatacenter() throws Exception {
    ClusterEntries e = entries("xdc", "127.0.0.5", 3306, 7);
    try (ConsulKvStore s = store(TestServers.consulAclDc1(), Optional.of(TOKEN), true, 64, true)) {
      s.start();
      assertThat(s.write(List.of(e))).containsEntry(Alias.of("xdc"), WriteOutcome.WRITTEN);
      assertHolds(dc1, e);
      assertHolds(dc2, e);
      assertThat(s.write(List.of(e))).containsEntry(Alias.of("xdc"), WriteOutcome.UNCHANGED);
    }
  }

  @Test
  void aDatacenterHoldingANewerEpochIsLeftAloneAndReportedStale() throws Exception {
    ClusterEntries first = entries("split", "127.0.0.5", 3306, 7);
    ClusterEntries second = entries("split", "127.0.0.6", 3307, 8);
    try (ConsulKvStore s = store(TestServers.consulAclDc1(), Optional.of(TOKEN), false, 64, true)) {
      s.start();
      s.write(List.of(first));
      dc2.set(layout.epochKey(Alias.of("split")), "9");
      assertThat(s.write(List.of(second))).containsEntry(Alias.of("split"), WriteOutcome.STALE);
    }
    assertHolds(dc1, second);
    assertThat(dc2.get(layout.masterKey(Alias.of("split")))).contains("127.0.0.5:3306");
    assertThat(dc2.get(layout.epochKey(Alias.of("split")))).contains("9");
  }

  @Test
  void aClosedPortFailsRetryablyWithinTheTimeout() throws Exception {
    for (boolean crossDc : List.of(false, true)) {
      try (ConsulKvStore s = new ConsulKvStore("down", new ConsulOptions("127.0.0.1:1", "http", Optional.empty(),
          true, 64, crossDc, Optional.empty(), false, Duration.ofSeconds(1)))) {
        s.start();
        assertFailsRetryablyWithin(Duration.ofSeconds(2), () -> s.write(List.of(entries("c", "127.0.0.5", 3306, 1))));
        assertFailsRetryablyWithin(Duration.ofSeconds(2), () -> s.get("k"));
      }
    }
  }

  @Test
  void anAgentThatNeverAnswersFailsRetryablyAfterTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ConsulKvStore s = new ConsulKvStore("silent", new ConsulOptions("127.0.0.1:" + silent.getLocalPort(),
            "http", Optional.empty(), true, 64, false, Optional.empty(), false, Duration.ofMillis(500)))) {
      s.start();
      long t0 = System.nanoTime();
      assertFailsRetryablyWithin(Duration.ofMillis(1500), () -> s.write(List.of(entries("c", "127.0.0.5", 3306, 1))));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
    }
  }

  @Test
  void neitherTheAddressNorTheOptionsShowTheToken() {
    ConsulOptions o = options(TestServers.consulAclDc1(), Optional.of(TOKEN), true, 64, true);
    ConsulKvStore s = new ConsulKvStore("consul", o);
    assertThat(s.address()).isEqualTo("http://" + TestServers.consulAclDc1()).doesNotContain(TOKEN);
    assertThat(o.toString()).doesNotContain(TOKEN);
    assertThat(s.toString()).doesNotContain(TOKEN);
  }

  @Test
  void packedTransactionsWriteEveryClusterWhole() throws Exception {
    for (int maxOps : List.of(64, 5)) {
      newLayout();
      List<ClusterEntries> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) batch.add(entries("p" + i, "127.0.2." + (i + 1), 4000 + i, 10 + i));
      try (ConsulKvStore s = store(TestServers.consulAclDc1(), Optional.of(TOKEN), true, maxOps, false)) {
        s.start();
        Map<Alias, WriteOutcome> r = s.write(batch);
        assertThat(r).hasSize(100).allSatisfy((a, o) -> assertThat(o).isEqualTo(WriteOutcome.WRITTEN));
      }
      for (int i : List.of(0, 9, 10, 11, 50, 98, 99)) assertHolds(dc1, batch.get(i));
    }
  }

  private void assertHolds(RawConsul consul, ClusterEntries e) throws Exception {
    for (KvPair p : e.allPairs()) assertThat(consul.get(p.key())).as(p.key()).contains(p.value());
  }

  private static void assertFailsRetryablyWithin(Duration limit, ThrowingCallable call) {
    long t0 = System.nanoTime();
    KvStoreException e = catchThrowableOfType(KvStoreException.class, call);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(limit);
    assertThat(e).isNotNull();
    assertThat(e.retryable()).as("retryable: " + e.getMessage()).isTrue();
  }

  private ClusterEntries entries(String alias, String host, int port, long epoch) {
    return layout.entries(new Cluster(Alias.of(alias), new Master(new HostPort(host, port), host, ""), epoch, 0));
  }

  private static ConsulOptions options(String address, Optional<String> token, boolean txn, int maxOps,
      boolean crossDc) {
    return new ConsulOptions(address, "http", token.map(Secret::new), txn, maxOps, crossDc, Optional.empty(), false,
        Duration.ofSeconds(5));
  }

  private static ConsulKvStore store(String address, Optional<String> token, boolean txn, int maxOps,
      boolean crossDc) {
    return new ConsulKvStore("consul", options(address, token, txn, maxOps, crossDc));
  }
}
