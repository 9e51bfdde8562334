package io.herald.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.testing.FreePort;
import io.herald.testing.HeraldProcess;
import io.herald.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 and restart: every cluster survives, and the store (real ZooKeeper) is not written again, because the
 * delivery log remembers what it holds: every znode keeps its modification zxid across the restart.
 */
class RestartIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  private JsonNode call(String base, String method, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void killMinus9KeepsEveryClusterAndRewritesNothing() throws Exception {
    String prefix = TestServers.uniquePrefix("restart");
    int port = FreePort.pick();
    Path cfg = dir.resolve("herald.json");
    Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:" + port + "\", \"RaftDataDir\": \"" + dir.resolve("data")
        + "\", \"ZkAddress\": \"" + TestServers.zookeeper() + "\", \"KVClusterMasterPrefix\": \"" + prefix + "\" }");
    try (CuratorFramework zk = CuratorFrameworkFactory.newClient(TestServers.zookeeper(), new RetryOneTime(200))) {
      zk.start();
      Map<String, Long> epochs = new HashMap<>();
      try (HeraldProcess first = new HeraldProcess(cfg, port).start()) {
        for (int i = 1; i <= 3; i++) {
          JsonNode r = call(first.base(), "POST", "/api/set-master/r" + i + "/127.0.0." + (50 + i) + "/3306");
          epochs.put("r" + i, r.path("Details").path("Epoch").asLong());
        }
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
          for (int i = 1; i <= 3; i++) {
            assertThat(new String(zk.getData().forPath("/" + prefix + "/r" + i))).isEqualTo("127.0.0." + (50 + i) + ":3306");
          }
        });
        // a second node started by mistake on the same data directory stops at once, touching nothing
        int otherPort = FreePort.pick();
        Path second = dir.resolve("second.json");
        Files.writeString(second, Files.readString(cfg).replace("127.0.0.1:" + port, "127.0.0.1:" + otherPort));
        assertThatThrownBy(() -> new HeraldProcess(second, otherPort).start())
            .hasMessageContaining("is in use by another Herald node");
        assertThat(call(first.base(), "GET", "/api/clusters-info")).hasSize(3);
        first.kill9();
      }
      Map<String, Long> mzxids = new HashMap<>();
      for (int i = 1; i <= 3; i++) {
        for (String sub : new String[] {"", "/hostname", "/port", "/ipv4", "/ipv6", "/epoch"}) {
          String path = "/" + prefix + "/r" + i + sub;
          mzxids.put(path, zk.checkExists().forPath(path).getMzxid());
        }
      }

      try (HeraldProcess second = new HeraldProcess(cfg, port).start()) {
        // its first answer already holds every change acknowledged before the kill (no commit-index entry in the
        // log: the node waits, before it serves, until its first commit in the new term applied them)
        assertThat(call(second.base(), "GET", "/api/clusters-info")).as("first answer after the restart").hasSize(3);
        assertThat(call(second.base(), "GET", "/api/health").path("Problems").toString()).doesNotContain("starting");
        // a standalone node listens for raft on a new port each run: its status shows today's, not the stored one
        await().atMost(Duration.ofSeconds(20)).until(() -> call(second.base(), "GET", "/api/raft-status").path("Leader").asText()
            .equals(call(second.base(), "GET", "/api/raft-status").path("RaftAdvertise").asText()));
        assertThat(call(second.base(), "GET", "/api/raft-status").path("Peers").toString())
            .contains(call(second.base(), "GET", "/api/raft-status").path("RaftAdvertise").asText());
        JsonNode clusters = call(second.base(), "GET", "/api/clusters-info");
        Map<String, Long> after = new HashMap<>();
        for (JsonNode c : clusters) after.put(c.path("ClusterAlias").asText(), c.path("Epoch").asLong());
        assertThat(after).isEqualTo(epochs);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
          JsonNode zkStatus = null;
          for (JsonNode s : call(second.base(), "GET", "/api/kv-stores")) if (s.path("name").asText().equals("zookeeper")) zkStatus = s;
          assertThat(zkStatus).isNotNull();
          assertThat(zkStatus.path("healthy").asBoolean()).isTrue();
          assertThat(zkStatus.path("pending").asInt()).isZero();
          // the internal store (in memory) is rebuilt from the replicated state
          assertThat(call(second.base(), "GET", "/api/kv/" + prefix + "/r2/port").path("Value").asText()).isEqualTo("3306");
        });
        for (var e : mzxids.entrySet()) {
          Stat now = zk.checkExists().forPath(e.getKey());
          assertThat(now.getMzxid()).as("rewritten after restart: " + e.getKey()).isEqualTo(e.getValue());
        }
        // and the restarted node still publishes new changes
        call(second.base(), "POST", "/api/set-master/r1/127.0.0.60/3306");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
            assertThat(new String(zk.getData().forPath("/" + prefix + "/r1"))).isEqualTo("127.0.0.60:3306"));
      }
    }
  }

  @Test
  void aDamagedDeliveryLogNeitherStopsStartupNorKeepsAStoreStale() throws Exception {
    String prefix = TestServers.uniquePrefix("restart-damaged");
    int port = FreePort.pick();
    Path cfg = dir.resolve("herald.json");
    Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:" + port + "\", \"RaftDataDir\": \"" + dir.resolve("data")
        + "\", \"ZkAddress\": \"" + TestServers.zookeeper() + "\", \"KVClusterMasterPrefix\": \"" + prefix + "\" }");
    Path log = dir.resolve("data").resolve("delivery").resolve("zookeeper.log");
    try (CuratorFramework zk = CuratorFrameworkFactory.newClient(TestServers.zookeeper(), new RetryOneTime(200))) {
      zk.start();
      try (HeraldProcess first = new HeraldProcess(cfg, port).start()) {
        call(first.base(), "POST", "/api/set-master/d1/127.0.0.71/3306");
        call(first.base(), "POST", "/api/set-master/d2/127.0.0.72/3306");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
            assertThat(new String(zk.getData().forPath("/" + prefix + "/d2"))).isEqualTo("127.0.0.72:3306"));
        first.kill9();
      }
      // what the adversarial test did: an epoch edited by hand (in an old file, with no checksum to catch it) and
      // 200 random bytes appended, which stopped startup with "herald: Input length = 1"
      Files.writeString(log, "d1 99999999 0\nd2 2 0\n");
      byte[] noise = new byte[200];
      new java.util.Random(7).nextBytes(noise);
      noise[0] = (byte) 0xff;
      Files.write(log, noise, java.nio.file.StandardOpenOption.APPEND);

      try (HeraldProcess second = new HeraldProcess(cfg, port).start()) {
        long t0 = System.nanoTime();
        call(second.base(), "POST", "/api/set-master/d1/127.0.0.81/3306");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
            assertThat(new String(zk.getData().forPath("/" + prefix + "/d1"))).isEqualTo("127.0.0.81:3306"));
        // well before the first anti-entropy pass (60 s), which used to be the only way out
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
      }
    }
  }
}
