package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.Main;
import io.herald.testing.InProcessNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every client command against a running node: output, exit codes, and one clear line on errors. */
class CliIT {
  @TempDir static Path data;
  static InProcessNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start(data, "");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  record Run(int code, String out, String err) {}

  /** Runs the CLI in this JVM on writers of its own: log lines of servers running here never mix in. */
  static Run run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
    return new Run(code, o.toString(), e.toString());
  }

  private Run client(String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--api";
    full[args.length + 1] = node.base();
    return run(full);
  }

  @Test
  void setMasterSubmitAndListClusters() {
    Run set = client("set-master", "cli1", "127.0.0.41:3306");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("cli1").contains("127.0.0.41:3306");
    Run submit = client("submit-masters-to-kv-stores", "--alias", "cli1");
    assertThat(submit.code()).isZero();
    assertThat(submit.out().lines()).containsExactly("mysql/master/cli1:127.0.0.41:3306",
        "mysql/master/cli1/hostname:127.0.0.41", "mysql/master/cli1/port:3306", "mysql/master/cli1/ipv4:127.0.0.41",
        "mysql/master/cli1/ipv6:");
    Run clusters = client("clusters");
    assertThat(clusters.out()).containsPattern("(?m)^cli1 127\\.0\\.0\\.41:3306 \\d+$");
    Run stores = client("stores");
    assertThat(stores.code()).isZero();
    assertThat(stores.out()).containsPattern("(?m)^internal +internal +memory +yes");
  }

  @Test
  void badInputExitsNonZeroWithOneLine() {
    assertOneLineError(client("set-master", "bad/alias", "127.0.0.1:3306"), "alias");
    assertOneLineError(client("set-master", "ok", "127.0.0.1:99999"), "port");
    assertOneLineError(client("set-master", "ok", "no-port"), "host:port");
    assertOneLineError(client("submit-masters-to-kv-stores", "--alias", "nosuch-cli"), "unknown cluster");
    assertOneLineError(run("clusters", "--api", "http://127.0.0.1:1"), "cannot reach");
    assertOneLineError(client("discover", "no-port"), "host:port");
    assertOneLineError(client("discover", "127.0.0.1:99999"), "port");
    assertOneLineError(client("forget", "127.0.0.1:abc"), "port");
    assertOneLineError(client("topology", "nosuch-cli"), "unknown cluster");
    assertOneLineError(client("instances", "nosuch-cli"), "unknown cluster");
    // this node has no MySQLTopologyUser
    assertOneLineError(client("discover", "127.0.0.1:24594"), "discovery is off");
    assertOneLineError(run("analysis", "--api", "http://127.0.0.1:1"), "cannot reach");
    for (String[] args : new String[][] {{"discover"}, {"forget"}, {"topology"}, {"discover", "a:1", "b:2"},
        {"instances", "a", "b"}, {"analysis", "extra"}}) {
      Run r = run(args);
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
      assertThat(r.out()).isEmpty();
    }
    Run usage = run("set-master", "only-one-arg");
    assertThat(usage.code()).as("usage errors exit 2, as Main documents").isEqualTo(2);
    assertThat(usage.err()).contains("HOST:PORT");
  }

  @Test
  void anEmptyAliasIsRefusedRatherThanSubmittingEveryCluster() {
    assertThat(client("set-master", "cli2", "127.0.0.43:3306").code()).isZero();
    for (String empty : new String[] {"", " "}) {
      Run r = client("submit-masters-to-kv-stores", "--alias", empty);
      assertOneLineError(r, "--alias must not be empty");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void theApiUrlMayEndInApiAndMustNotCarryCredentials() {
    assertThat(client("set-master", "cli3", "127.0.0.44:3306").code()).isZero();
    for (String suffix : new String[] {"/api", "/api/", "/"}) {
      Run r = run("clusters", "--api", node.base() + suffix);
      assertThat(r.code()).as(suffix + ": " + r.err()).isZero();
      assertThat(r.out()).as(suffix).contains("cli3 127.0.0.44:3306");
    }
    String withCredentials = node.base().replace("http://", "http://ops:pw-in-url-7@");
    for (String[] args : new String[][] {{"clusters", "--api", withCredentials}, {"stores", "--api", withCredentials},
        {"clusters", "--api", "http://ops:pw-in-url-7@127.0.0.1:1"}, {"clusters", "--api", "ftp://ops:pw-in-url-7@h"}}) {
      Run r = run(args);
      assertOneLineError(r, "HERALD_API_USER");
      assertThat(r.err() + r.out()).doesNotContain("pw-in-url-7");
    }
  }

  @Test
  void storesPrintsNothingOnStdoutWhenTheCallFails() {
    Run r = run("stores", "--api", "http://127.0.0.1:1");
    assertOneLineError(r, "cannot reach");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void discoveryCommandsOnANodeWithoutDiscoveryListNothing() {
    Run instances = client("instances");
    assertThat(instances.code()).as(instances.err()).isZero();
    assertThat(instances.out()).isEmpty();
    Run analysis = client("analysis");
    assertThat(analysis.code()).as(analysis.err()).isZero();
    assertThat(analysis.out()).isEmpty();
    Run forget = client("forget", "127.0.0.1:24593");
    assertThat(forget.code()).as(forget.err()).isZero();
    assertThat(forget.out().strip()).isEqualTo("127.0.0.1:24593");
  }

  @Test
  void serverRefusesABadConfigNamingTheKey() throws Exception {
    Path cfg = data.resolve("bad.json");
    Files.writeString(cfg, "{ \"ConsulMaxKVsPerTransaction\": \"many\" }");
    assertOneLineError(run("server", "--config", cfg.toString()), "ConsulMaxKVsPerTransaction");
    Files.writeString(cfg, "{ \"ListenAddress\": ");
    assertOneLineError(run("server", "--config", cfg.toString()), "not valid JSON");
  }

  /** A RaftDataDir that cannot be used: one line that says what failed and which file, not only a path. */
  @Test
  void serverSaysWhyItCannotUseRaftDataDir() throws Exception {
    Path file = Files.writeString(data.resolve("not-a-dir"), "x");
    Path cfg = data.resolve("datadir.json");
    Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:0\", \"RaftDataDir\": \"" + file + "\" }");
    Run isFile = run("server", "--config", cfg.toString());
    assertOneLineError(isFile, "RaftDataDir " + file + " is a file");
    Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:0\", \"RaftDataDir\": \"" + file.resolve("sub") + "\" }");
    Run under = run("server", "--config", cfg.toString());
    assertOneLineError(under, "cannot create RaftDataDir " + file.resolve("sub") + ": ");
    assertThat(under.err()).contains(file.toString()).containsIgnoringCase("not a directory");
  }

  @Test
  void everyCommandHasHelp() {
    for (String c : new String[] {"server", "set-master", "submit-masters-to-kv-stores", "clusters", "stores",
        "discover", "forget", "topology", "instances", "analysis"}) {
      Run r = run(c, "--help");
      assertThat(r.code()).as(c).isZero();
      assertThat(r.out()).as(c).contains("Usage:");
    }
    assertThat(run("--help").out()).contains("set-master", "submit-masters-to-kv-stores", "clusters", "stores",
        "server", "discover", "forget", "topology", "instances", "analysis");
  }

  @Test
  void recoveryCommandsDriveTheApi() {
    String[] all = {"recover", "force-master-failover", "force-master-takeover", "graceful-master-takeover", "graceful-master-takeover-auto",
        "ack-cluster-recoveries", "ack-all-recoveries", "audit-recovery", "blocked-recoveries", "enable-global-recoveries",
        "disable-global-recoveries", "check-global-recoveries", "begin-downtime", "end-downtime", "register-candidate"};
    for (String c : all) {
      Run r = run(c, "--help");
      assertThat(r.code()).as(c).isZero();
      assertThat(r.out()).as(c).contains("Usage:");
    }
    assertThat(run("--help").out()).contains(all);
    assertThat(client("disable-global-recoveries").code()).isZero();
    assertThat(client("check-global-recoveries").out().strip()).isEqualTo("disabled");
    assertThat(client("enable-global-recoveries").code()).isZero();
    assertThat(client("check-global-recoveries").out().strip()).isEqualTo("enabled");
    Run audit = client("audit-recovery");
    assertThat(audit.code()).isZero();
    assertThat(audit.out()).isEmpty();
    assertThat(client("blocked-recoveries").out()).isEmpty();
    assertThat(client("ack-all-recoveries", "--comment", "nothing to ack").code()).isZero();
    assertThat(client("register-candidate", "127.0.0.1:3306", "prefer").code()).isZero();
    assertThat(client("begin-downtime", "127.0.0.1:3306", "--owner", "ops", "--reason", "maintenance").code()).isZero();
    assertThat(client("end-downtime", "127.0.0.1:3306").code()).isZero();
    assertOneLineError(client("register-candidate", "127.0.0.1:3306", "must"), "not supported");
    assertOneLineError(client("recover", "127.0.0.1:99999"), "port");
    assertOneLineError(client("force-master-failover", "no/such"), "alias");
    // discovery is off on this node: a recovery cannot run here
    assertOneLineError(client("force-master-failover", "nosuch"), "discovery is off");
  }

  private static void assertOneLineError(Run r, String mentions) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).containsIgnoringCase(mentions);
  }

  @Test
  void withBasicAuthOnTheClientSendsTheCredentialsFromTheEnvironment(@TempDir Path authData) throws Exception {
    try (InProcessNode secured = InProcessNode.start(authData,
        "\"AuthenticationMethod\": \"basic\", \"HTTPAuthUser\": \"ops\", \"HTTPAuthPassword\": \"pw-cli-1\"")) {
      ApiClient anonymous = new ApiClient(secured.base(), java.util.Map.of());
      assertThatThrownBy(() -> anonymous.post("/api/set-master/auth1/127.0.0.42/3306"))
          .isInstanceOf(CliException.class).hasMessageContaining("401");
      ApiClient wrong = new ApiClient(secured.base(), java.util.Map.of("HERALD_API_USER", "ops",
          "HERALD_API_PASSWORD", "nope"));
      assertThatThrownBy(() -> wrong.post("/api/set-master/auth1/127.0.0.42/3306"))
          .isInstanceOf(CliException.class).hasMessageContaining("401").hasMessageNotContaining("nope");

      ApiClient ops = new ApiClient(secured.base(), java.util.Map.of("HERALD_API_USER", "ops",
          "HERALD_API_PASSWORD", "pw-cli-1"));
      assertThat(ops.post("/api/set-master/auth1/127.0.0.42/3306").path("Code").asText()).isEqualTo("OK");
      // reads stay open, with or without credentials
      assertThat(anonymous.get("/api/clusters-info").get(0).path("ClusterAlias").asText()).isEqualTo("auth1");
    }
  }
}
