package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.HostPort;
import io.herald.testing.DiscoveryNodeConfig;
import io.herald.testing.InProcessNode;
import io.herald.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The discovery commands against a node that discovers the real chained cluster B from its leaf. */
class DiscoveryCliIT {
  @TempDir static Path data;
  static InProcessNode node;
  static final List<HostPort> B = TestServers.mariaDbClusterB();
  static final String ALIAS = "clichain" + Long.toString(System.nanoTime(), 36);

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start(data, DiscoveryNodeConfig.of(B.get(2), ALIAS));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(node.get("/api/cluster/" + ALIAS).body()).hasSize(3));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private CliIT.Run client(String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--api";
    full[args.length + 1] = node.base();
    return CliIT.run(full);
  }

  @Test
  void topologyPrintsTheIndentedTree() {
    CliIT.Run r = client("topology", ALIAS);
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith(B.get(0) + " ");
    assertThat(lines.get(1)).startsWith("+ " + B.get(1) + " ");
    assertThat(lines.get(2)).startsWith("  + " + B.get(2) + " ");
    assertThat(client("topology", B.get(2).toString()).out()).isEqualTo(r.out());
  }

  @Test
  void instancesPrintsOneLinePerInstance() {
    CliIT.Run r = client("instances", ALIAS);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(3);
    assertThat(r.out()).containsPattern("(?m)^" + q(B.get(0)) + " - rw io/sql=- lag=- problems=-$");
    String replicating = " ro io/sql=yes/yes lag=\\d+s problems=-$";
    assertThat(r.out()).containsPattern("(?m)^" + q(B.get(1)) + " " + q(B.get(0)) + replicating);
    assertThat(r.out()).containsPattern("(?m)^" + q(B.get(2)) + " " + q(B.get(1)) + replicating);
    CliIT.Run all = client("instances");
    assertThat(all.code()).isZero();
    assertThat(all.out()).contains(B.get(0) + " - rw", B.get(2) + " " + B.get(1) + " ro");
  }

  @Test
  void analysisPrintsOneLinePerCluster() {
    CliIT.Run r = client("analysis");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("(?m)^" + ALIAS + " " + q(B.get(0))
        + " NoProblem replicas=1 valid=1 replicating=1 problems=-$");
  }

  @Test
  void discoverPrintsTheKeyAndForgetForgetsIt() {
    CliIT.Run d = client("discover", B.get(1).toString());
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(d.out().strip()).isEqualTo(B.get(1).toString());
    CliIT.Run unreachable = client("discover", "127.0.0.1:24592");
    // like orchestrator-client: an error, though the seed is committed (and forgotten below)
    assertThat(unreachable.code()).as(unreachable.out()).isEqualTo(1);
    assertThat(unreachable.err().strip().lines()).hasSize(1);
    assertThat(unreachable.err()).contains("cannot be read").contains("UNREACHABLE");
    assertThat(node.get("/api/seeds").body().path("Seeds").toString()).contains("24592");
    CliIT.Run f = client("forget", "127.0.0.1:24592");
    assertThat(f.code()).as(f.err()).isZero();
    assertThat(f.out().strip()).isEqualTo("127.0.0.1:24592");
    assertThat(node.get("/api/seeds").body().path("Forgotten").toString()).contains("24592");
  }

  @Test
  void badInputExitsOneWithOneLine() {
    for (String[] args : new String[][] {{"discover", "127.0.0.1:0"}, {"forget", "bad..host:3306"},
        {"topology", "nosuch-cli"}, {"instances", "127.0.0.1:23499"}}) {
      CliIT.Run r = client(args);
      assertThat(r.code()).as(String.join(" ", args) + r.out() + r.err()).isEqualTo(1);
      assertThat(r.err().strip().lines()).hasSize(1);
      assertThat(r.out()).isEmpty();
    }
  }

  private static String q(HostPort k) {
    return java.util.regex.Pattern.quote(k.toString());
  }
}
