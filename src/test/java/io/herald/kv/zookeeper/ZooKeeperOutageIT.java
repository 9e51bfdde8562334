package io.herald.kv.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.Master;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import io.herald.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A ZooKeeper that goes away and comes back: calls fail fast and retryably, and the same store recovers. */
class ZooKeeperOutageIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final KeyLayout layout = new KeyLayout(TestServers.uniquePrefix("mysql/master"), true, "herald/epoch");
  private TestingServer server;
  private ZooKeeperKvStore store;

  @BeforeEach
  void startServer() throws Exception {
    server = LoopbackZooKeeper.start();
    store = new ZooKeeperKvStore("zk-outage", new ZooKeeperOptions(server.getConnectString(), Optional.empty(), true,
        Duration.ofSeconds(6), TIMEOUT));
  }

  @AfterEach
  void stopAll() throws Exception {
    store.close();
    server.close();
  }

  private ClusterEntries entries(long epoch) {
    return layout.entries(new Cluster(Alias.of("c1"), new Master(new HostPort("127.0.0.9", 3306), "", ""), epoch, 0));
  }

  private void assertFailsRetryablyInTime(long epoch) {
    long start = System.nanoTime();
    assertThatThrownBy(() -> store.write(List.of(entries(epoch))))
        .isInstanceOfSatisfying(KvStoreException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
  }

  @Test
  void aStoreStartedWhileZooKeeperIsDownFailsRetryablyThenWritesOnceItIsBack() throws Exception {
    server.stop();
    long start = System.nanoTime();
    store.start();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
    assertFailsRetryablyInTime(1);
    assertThatThrownBy(() -> store.get(layout.masterKey(Alias.of("c1"))))
        .isInstanceOfSatisfying(KvStoreException.class, e -> assertThat(e.retryable()).isTrue());

    server.restart();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(KvStoreException.class)
        .untilAsserted(() -> assertThat(store.write(List.of(entries(1)))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN));
    assertThat(store.get(layout.epochKey(Alias.of("c1")))).contains("1");
  }

  @Test
  void theLongLivedSessionRecoversAfterARestart() throws Exception {
    store.start();
    assertThat(store.write(List.of(entries(1)))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN);

    server.stop();
    assertFailsRetryablyInTime(2);

    server.restart();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(KvStoreException.class)
        .untilAsserted(() -> assertThat(store.write(List.of(entries(2)))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN));
    assertThat(store.get(layout.masterKey(Alias.of("c1")))).contains("127.0.0.9:3306");
    assertThat(store.get(layout.epochKey(Alias.of("c1")))).contains("2");
  }

  @Test
  void callsAfterCloseFailWithoutRetrying() throws Exception {
    store.start();
    store.close();
    store.close();
    assertThatThrownBy(() -> store.write(List.of(entries(1))))
        .isInstanceOfSatisfying(KvStoreException.class, e -> assertThat(e.retryable()).isFalse());
  }
}
