package io.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.InProcessNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With basic auth configured, every mutating endpoint requires it; reads stay open; the password never leaks. */
class BasicAuthIT {
  @TempDir static Path data;
  static InProcessNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start(data,
        "\"AuthenticationMethod\": \"basic\", \"HTTPAuthUser\": \"ops\", \"HTTPAuthPassword\": \"s3cret-pw\"");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private InProcessNode.Reply post(String path, String auth) {
    return node.send(HttpRequest.newBuilder(URI.create(node.base() + path)).POST(HttpRequest.BodyPublishers.noBody()), auth);
  }

  private InProcessNode.Reply get(String path, String auth) {
    return node.send(HttpRequest.newBuilder(URI.create(node.base() + path)).GET(), auth);
  }

  @Test
  void writesNeedCredentials() {
    assertThat(post("/api/set-master/auth1/127.0.0.31/3306", null).status()).isEqualTo(401);
    assertThat(post("/api/set-master/auth1/127.0.0.31/3306", "ops:wrong").status()).isEqualTo(401);
    assertThat(post("/api/set-master/auth1/127.0.0.31/3306", "ops:s3cret-pw").status()).isEqualTo(200);
    assertThat(get("/api/submit-masters-to-kv-stores", null).status()).isEqualTo(401);
    assertThat(get("/api/submit-masters-to-kv-stores", "ops:s3cret-pw").status()).isEqualTo(200);
    assertThat(post("/api/raft-snapshot", null).status()).isEqualTo(401);
    assertThat(get("/api/raft-add-peer/127.0.0.1:1", null).status()).isEqualTo(401);
  }

  @Test
  void everyWayToChangeStateIsRefusedWithoutTheRightUserAndPassword() {
    String[] writes = {"/api/set-master/auth3/127.0.0.33/3306", "/api/submit-masters-to-kv-stores",
        "/api/submit-masters-to-kv-stores/auth3", "/api/submit-masters-to-kv-stores/", "/api/raft-snapshot",
        "/api/raft-add-peer/127.0.0.1:1", "/api/raft-remove-peer/127.0.0.1:1", "/api/discover/127.0.0.1/24596",
        "/api/discover/127.0.0.1/24596/", "/api/forget/127.0.0.1/24596", "/api/forget-cluster/auth4",
        "/api/forget-cluster/127.0.0.1:24596", "/api/adopt-cluster/auth4", "/api/adopt-cluster/auth4/"};
    assertThat(post("/api/set-master/auth4/127.0.0.34/3306", "ops:s3cret-pw").status()).isEqualTo(200);
    for (String path : writes) {
      for (String auth : new String[] {null, "ops:wrong", "other:s3cret-pw", "ops:"}) {
        for (boolean viaPost : new boolean[] {true, false}) {
          InProcessNode.Reply r = viaPost ? post(path, auth) : get(path, auth);
          if (!viaPost && path.startsWith("/api/set-master")) {
            assertThat(r.status()).as("GET " + path).isIn(401, 404, 405); // no GET route; never a change
            continue;
          }
          String what = (viaPost ? "POST " : "GET ") + path + " as " + auth;
          assertThat(r.status()).as(what).isEqualTo(401);
          assertThat(r.body().path("Code").asText()).as(what).isEqualTo("ERROR");
          assertThat(r.body().path("Message").asText()).as(what).contains("authentication required");
        }
      }
    }
    assertThat(get("/api/clusters-info", null).text()).doesNotContain("auth3");
    assertThat(get("/api/cluster-info/auth4", null).body().path("Origin").asText()).isEqualTo("declared");
    assertThat(get("/api/seeds", null).text()).doesNotContain("24596");
  }

  @Test
  void discoveryWritesPassWithTheRightCredentials() {
    assertThat(post("/api/set-master/auth5/127.0.0.35/3306", "ops:s3cret-pw").status()).isEqualTo(200);
    InProcessNode.Reply adopt = get("/api/adopt-cluster/auth5", "ops:s3cret-pw");
    assertThat(adopt.status()).as(adopt.text()).isEqualTo(200);
    assertThat(adopt.body().path("Details").path("Origin").asText()).isEqualTo("discovered");
    InProcessNode.Reply forget = post("/api/forget/127.0.0.1/24595", "ops:s3cret-pw");
    assertThat(forget.status()).as(forget.text()).isEqualTo(200);
    assertThat(get("/api/seeds", null).body().path("Forgotten").toString()).contains("24595");
    // past authentication, a node without discovery says so
    InProcessNode.Reply discover = get("/api/discover/127.0.0.1/24595", "ops:s3cret-pw");
    assertThat(discover.status()).isEqualTo(404);
    assertThat(discover.body().path("Message").asText()).contains("discovery is off");
  }

  @Test
  void readsStayOpenAndNeverShowThePassword() {
    post("/api/set-master/auth2/127.0.0.32/3306", "ops:s3cret-pw");
    for (String p : new String[] {"/api/clusters-info", "/api/raft-status", "/api/kv-stores", "/api/health", "/metrics",
        "/api/all-instances", "/api/replication-analysis", "/api/seeds", "/api/cluster-info/auth2"}) {
      InProcessNode.Reply r = get(p, null);
      assertThat(r.status()).as(p).isEqualTo(200);
      assertThat(r.text()).as(p).doesNotContain("s3cret-pw");
    }
    assertThat(get("/api/raft-status", null).body().path("HTTPAuth").asBoolean()).isTrue();
  }
}
