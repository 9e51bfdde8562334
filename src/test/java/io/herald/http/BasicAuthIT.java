package io.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.InProcessNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** A sample value for each path parameter of the write routes; a new parameter name needs one here. */
  private static final Map<String, String> SAMPLES = Map.ofEntries(Map.entry("alias", "auth4"), Map.entry("host", "127.0.0.1"), Map.entry("port", "24596"), Map.entry("clusterHint", "auth4"), Map.entry("addr", "127.0.0.1:1"), Map.entry("owner", "ops"), Map.entry("reason", "upgrade"), Map.entry("duration", "10m"), Map.entry("promotionRule", "prefer"), Map.entry("designatedHost", "127.0.0.1"), Map.entry("designatedPort", "24597"), Map.entry("clusterName", "auth4"), Map.entry("clusterAlias", "auth4"));

  /** The write routes as the server registered them, with sample values; and the tricks around them. */
  private static List<String> writes() {
    List<String> out = new ArrayList<>();
    for (String route : node.writeRoutes()) {
      Matcher m = Pattern.compile("\\{([^}]+)}").matcher(route);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        String sample = SAMPLES.get(m.group(1));
        assertThat(sample).as("a sample value for {%s} of %s", m.group(1), route).isNotNull();
        m.appendReplacement(b, Matcher.quoteReplacement(sample));
      }
      m.appendTail(b);
      out.add(b.toString());
      out.add(b + "/"); // a trailing slash reaches the same route
    }
    return out;
  }

  @Test
  void theWriteRoutesAreTheOnesThatChangeState() {
    assertThat(node.writeRoutes()).contains("POST /api/set-master/{alias}/{host}/{port}",
        "GET /api/submit-masters-to-kv-stores", "GET /api/submit-masters-to-kv-stores/{clusterHint}",
        "GET /api/raft-snapshot", "GET /api/raft-add-peer/{addr}", "GET /api/raft-remove-peer/{addr}",
        "GET /api/discover/{host}/{port}", "GET /api/forget/{host}/{port}", "GET /api/forget-cluster/{clusterHint}",
        "GET /api/adopt-cluster/{alias}").noneMatch(r -> r.contains("/api/clusters") || r.contains("/api/kv-stores"));
  }

  @Test
  void everyWayToChangeStateIsRefusedWithoutTheRightUserAndPassword() {
    assertThat(post("/api/set-master/auth4/127.0.0.34/3306", "ops:s3cret-pw").status()).isEqualTo(200);
    for (String route : writes()) {
      boolean viaPost = route.startsWith("POST ");
      String path = route.substring(route.indexOf(' ') + 1).replace("/api/set-master/auth4/", "/api/set-master/auth3/");
      for (String auth : new String[] {null, "ops:wrong", "other:s3cret-pw", "ops:"}) {
        InProcessNode.Reply r = viaPost ? post(path, auth) : get(path, auth);
        String what = route + " as " + auth;
        assertThat(r.status()).as(what).isEqualTo(401);
        assertThat(r.body().path("Code").asText()).as(what).isEqualTo("ERROR");
        assertThat(r.body().path("Message").asText()).as(what).contains("authentication required");
      }
      for (String header : MALFORMED) {
        InProcessNode.Reply r = raw(viaPost ? "POST" : "GET", path, header);
        assertThat(r.status()).as(route + " with " + header).isEqualTo(401);
      }
    }
    // a path without a GET route is never a change either
    assertThat(get("/api/set-master/auth3/127.0.0.33/3306", null).status()).isIn(401, 405);
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

  /** Authorization headers that are not valid Basic credentials: each is no credentials, so 401 (never 500). */
  private static final String[] MALFORMED = {"Basic !!!", "Basic", "Basic ", "Basic " + b64("no-colon"),
      "Basic " + b64("ops:s3cret-pw") + "!!", "Bearer " + b64("ops:s3cret-pw"), "Basic\t" + b64("ops:s3cret-pw"), "!!!",
      "Basic " + java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, ':'})};

  private static String b64(String s) {
    return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private InProcessNode.Reply raw(String method, String path, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.base() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", authorization);
    return node.send(b, null);
  }

  @Test
  void malformedAuthorizationHeadersAre401AndTheSchemeIsCaseInsensitive() {
    for (String header : MALFORMED) {
      InProcessNode.Reply r = raw("POST", "/api/set-master/auth6/127.0.0.36/3306", header);
      assertThat(r.status()).as(header + ": " + r.text()).isEqualTo(401);
      assertThat(r.body().path("Code").asText()).as(header).isEqualTo("ERROR");
      assertThat(r.header("WWW-Authenticate")).as(header).contains("Basic");
    }
    assertThat(get("/api/clusters-info", null).text()).doesNotContain("auth6");
    String[] schemes = {"basic", "BASIC", "bAsIc"};
    for (int i = 0; i < schemes.length; i++) {
      InProcessNode.Reply r = raw("POST", "/api/set-master/auth7" + i + "/127.0.0.4" + i + "/3306",
          schemes[i] + " " + b64("ops:s3cret-pw"));
      assertThat(r.status()).as(schemes[i] + ": " + r.text()).isEqualTo(200);
    }
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
