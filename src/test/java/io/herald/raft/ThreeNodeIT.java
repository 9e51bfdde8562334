package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import io.herald.kv.consul.ConsulKvStore;
import io.herald.kv.consul.ConsulOptions;
import io.herald.kv.etcd.EtcdKvStore;
import io.herald.kv.etcd.EtcdOptions;
import io.herald.kv.zookeeper.ZooKeeperKvStore;
import io.herald.kv.zookeeper.ZooKeeperOptions;
import io.herald.testing.FreePort;
import io.herald.testing.HeraldProcess;
import io.herald.testing.TestServers;
import io.herald.testing.ValueWatcher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Herald processes in a raft group, each publishing to its own real store (etcd, ZooKeeper, Consul with
 * transactions), as one node per datacenter would. Writes go to any node; the leader is killed with SIGKILL in
 * the middle of changes; a failover-then-failback survives node restarts without any store going back in time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<HeraldProcess> nodes = new ArrayList<>();
  private final List<KvStore> stores = new ArrayList<>();
  private String prefix;

  @BeforeAll
  void startGroup() throws Exception {
    prefix = TestServers.uniquePrefix("three");
    int[] raft = {FreePort.pick(), FreePort.pick(), FreePort.pick()};
    String peers = "\"127.0.0.1:" + raft[0] + "\", \"127.0.0.1:" + raft[1] + "\", \"127.0.0.1:" + raft[2] + "\"";
    String[] store = {"\"EtcdEndpoints\": \"" + TestServers.etcd() + "\"", "\"ZkAddress\": \"" + TestServers.zookeeper() + "\"",
        "\"ConsulAddress\": \"" + TestServers.consul() + "\", \"ConsulKVStoreProvider\": \"consul-txn\""};
    for (int i = 0; i < 3; i++) {
      int port = FreePort.pick();
      Path cfg = dir.resolve("n" + i + ".json");
      Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:" + port + "\", \"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"127.0.0.1:"
          + raft[i] + "\", \"RaftDataDir\": \"" + dir.resolve("d" + i) + "\", \"RaftNodes\": [" + peers + "], "
          + "\"KVClusterMasterPrefix\": \"" + prefix + "\", " + store[i] + " }");
      nodes.add(new HeraldProcess(cfg, port));
    }
    for (HeraldProcess n : nodes) n.start();
    stores.add(new EtcdKvStore("etcd-reader", EtcdOptions.plain(TestServers.etcd())));
    stores.add(new ZooKeeperKvStore("zk-reader", ZooKeeperOptions.plain(TestServers.zookeeper())));
    stores.add(new ConsulKvStore("consul-reader", ConsulOptions.plain(TestServers.consul(), true)));
    for (KvStore s : stores) s.start();
  }

  @AfterAll
  void stopGroup() {
    for (HeraldProcess n : nodes) n.close();
    for (KvStore s : stores) s.close();
  }

  private record Reply(int status, JsonNode body) {}

  private Reply call(int node, String method, String path) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nodes.get(node).base() + path)).timeout(Duration.ofSeconds(20));
      b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      return new Reply(-1, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String read(int store, String key) {
    try {
      return stores.get(store).get(key).orElse(null);
    } catch (KvStoreException e) {
      return null;
    }
  }

  /** Exactly one node answers leader-check 200 (polled until the group settles); returns it. */
  private int leader() {
    int[] found = {-1};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
      List<Integer> leaders = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) if (call(i, "GET", "/api/leader-check").status() == 200) leaders.add(i);
      if (leaders.size() == 1) found[0] = leaders.get(0);
      return leaders.size() == 1;
    });
    return found[0];
  }

  @Test
  @Order(1)
  void aChangeSentToAFollowerReachesAllThreeStores() {
    int follower = (leader() + 1) % 3;
    Reply r = call(follower, "POST", "/api/set-master/f1/127.0.0.91/3306");
    assertThat(r.status()).isEqualTo(200);
    for (int s = 0; s < 3; s++) {
      int store = s;
      await().atMost(Duration.ofSeconds(20)).until(() -> "127.0.0.91:3306".equals(read(store, prefix + "/f1")));
    }
    assertThat(call(follower, "GET", "/api/raft-state").body().asText()).isEqualTo("Follower");
    assertThat(call(follower, "GET", "/api/leader-check").status()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void killingTheLeaderInTheMiddleOfChangesLosesNothingAcknowledged() throws Exception {
    int leader = leader();
    Map<String, Long> acknowledged = new HashMap<>();
    int sent = 0;
    for (int change = 0; change < 100; change++) {
      if (change == 40) nodes.get(leader).kill9();
      String alias = "k" + (change % 10);
      String path = "/api/set-master/" + alias + "/127.2." + change + ".1/3306";
      // any node may take the write; a dead one or one waiting for a new leader is skipped (bounded retries)
      for (int attempt = 0; attempt < 60; attempt++) {
        Reply r = call((change + attempt) % 3, "POST", path);
        if (r.status() == 200) {
          acknowledged.merge(alias, r.body().path("Details").path("Epoch").asLong(), Math::max);
          sent++;
          break;
        }
        Thread.sleep(100);
      }
    }
    assertThat(sent).isEqualTo(100);
    int newLeader = leader();
    assertThat(newLeader).isNotEqualTo(leader);
    for (int s = 0; s < 3; s++) {
      if (s == leader) continue;
      assertStoreMatchesLeader(s, newLeader, acknowledged);
    }
    nodes.get(leader).start();
    assertStoreMatchesLeader(leader, newLeader, acknowledged);
  }

  private void assertStoreMatchesLeader(int store, int leader, Map<String, Long> acknowledged) {
    await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
      for (var e : acknowledged.entrySet()) {
        JsonNode m = call(leader, "GET", "/api/master/" + e.getKey()).body();
        String want = m.path("Key").path("Hostname").asText() + ":" + m.path("Key").path("Port").asInt();
        assertThat(read(store, prefix + "/" + e.getKey())).as("store " + store + " " + e.getKey()).isEqualTo(want);
        String epoch = read(store, prefix + "/" + e.getKey() + "/epoch");
        assertThat(epoch).isNotNull();
        assertThat(Long.parseLong(epoch)).isGreaterThanOrEqualTo(e.getValue()).isEqualTo(m.path("Epoch").asLong());
      }
    });
  }

  @Test
  @Order(3)
  void failoverThenFailbackWithRestartsNeverGoesBackInTime() throws Exception {
    List<ValueWatcher> watchers = new ArrayList<>();
    try {
      for (int s = 0; s < 3; s++) {
        int store = s;
        watchers.add(new ValueWatcher("fb-" + s, () -> read(store, prefix + "/fb/epoch")));
      }
      assertThat(call(leader(), "POST", "/api/set-master/fb/127.0.0.101/3306").status()).isEqualTo(200);
      awaitAllStores("fb", "127.0.0.101:3306");
      assertThat(call(leader(), "POST", "/api/set-master/fb/127.0.0.102/3306").status()).isEqualTo(200);
      int follower = (leader() + 1) % 3;
      nodes.get(follower).kill9();
      nodes.get(follower).start();
      awaitAllStores("fb", "127.0.0.102:3306");
      int leader = leader();
      assertThat(call(leader, "POST", "/api/set-master/fb/127.0.0.101/3306").status()).isEqualTo(200);
      nodes.get(leader).kill9();
      nodes.get(leader).start();
      awaitAllStores("fb", "127.0.0.101:3306");
      call(leader(), "GET", "/api/submit-masters-to-kv-stores");
    } finally {
      for (ValueWatcher w : watchers) w.close();
    }
    for (ValueWatcher w : watchers) {
      assertThat(w.seenAsLongs()).as("epochs seen by a watcher").isSorted().hasSizeGreaterThanOrEqualTo(2);
    }
  }

  private void awaitAllStores(String alias, String master) {
    for (int s = 0; s < 3; s++) {
      int store = s;
      await().atMost(Duration.ofSeconds(45)).until(() -> master.equals(read(store, prefix + "/" + alias)));
    }
  }
}
