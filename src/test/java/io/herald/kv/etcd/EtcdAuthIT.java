package io.herald.kv.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.Master;
import io.herald.kv.KvStoreException;
import io.herald.cluster.Secret;
import io.herald.kv.WriteOutcome;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd with authentication on: a private etcd process on free loopback ports (enabling auth on the shared test
 * etcd would break the other tests), with a root user and a read-only user.
 */
class EtcdAuthIT {
  @TempDir static Path dir;
  private static Process etcd;
  private static String endpoint;

  @BeforeAll
  static void startEtcdWithAuth() throws Exception {
    int client = freePort();
    int peer = freePort();
    endpoint = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    etcd = new ProcessBuilder("etcd", "--name", "auth", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint, "--listen-peer-urls", peerUrl,
        "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "auth=" + peerUrl)
        .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
    try (Client admin = Client.builder().endpoints(endpoint).build()) {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> admin.getKVClient().get(bytes("ping")).get(2, TimeUnit.SECONDS) != null);
      Auth auth = admin.getAuthClient();
      auth.roleAdd(bytes("root")).get(5, TimeUnit.SECONDS);
      auth.userAdd(bytes("root"), bytes("rootpw")).get(5, TimeUnit.SECONDS);
      auth.userGrantRole(bytes("root"), bytes("root")).get(5, TimeUnit.SECONDS);
      auth.roleAdd(bytes("ro")).get(5, TimeUnit.SECONDS);
      auth.roleGrantPermission(bytes("ro"), bytes("\0"), bytes("\0"), Permission.Type.READ).get(5, TimeUnit.SECONDS);
      auth.userAdd(bytes("reader"), bytes("readerpw")).get(5, TimeUnit.SECONDS);
      auth.userGrantRole(bytes("reader"), bytes("ro")).get(5, TimeUnit.SECONDS);
      auth.authEnable().get(5, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (etcd != null) {
      etcd.destroy();
      if (!etcd.waitFor(10, TimeUnit.SECONDS)) etcd.destroyForcibly();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static EtcdKvStore store(String user, String password) {
    return new EtcdKvStore("etcd-auth", new EtcdOptions(EtcdOptions.parseEndpoints(endpoint), Optional.of(user),
        Optional.of(new Secret(password)), Duration.ofSeconds(5)));
  }

  private static ClusterEntries entries(long epoch) {
    return KeyLayout.defaults().entries(
        new Cluster(Alias.of("c1"), new Master(new HostPort("127.0.0.9", 3306), "", ""), epoch, 0));
  }

  @Test
  void theRightUserWritesAndOthersAreRefusedWithoutRetry() throws Exception {
    try (EtcdKvStore root = store("root", "rootpw")) {
      root.start();
      assertThat(root.write(List.of(entries(1)))).containsEntry(Alias.of("c1"), WriteOutcome.WRITTEN);
      assertThat(root.get("mysql/master/c1")).contains("127.0.0.9:3306");
      assertThat(root.address()).doesNotContain("rootpw");
    }
    try (EtcdKvStore reader = store("reader", "readerpw")) {
      reader.start();
      assertThat(reader.get("mysql/master/c1")).contains("127.0.0.9:3306");
      assertThatThrownBy(() -> reader.write(List.of(entries(2))))
          .isInstanceOfSatisfying(KvStoreException.class, e -> assertThat(e.retryable()).isFalse());
    }
    try (EtcdKvStore wrong = store("root", "wrongpw")) {
      wrong.start();
      assertThatThrownBy(() -> wrong.write(List.of(entries(3))))
          .isInstanceOfSatisfying(KvStoreException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).doesNotContain("wrongpw");
          });
    }
  }
}
