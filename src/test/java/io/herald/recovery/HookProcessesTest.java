package io.herald.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hook processes as orchestrator runs them: bash, placeholders, ORC_* variables, exit codes, timeouts, background. */
class HookProcessesTest {
  private static final Map<String, String> VALUES = Map.of(
      "failedHost", "db1.example.com",
      "failedPort", "3306",
      "failureClusterAlias", "orders",
      "successorHost", "db2.example.com",
      "successorPort", "3307");

  @TempDir
  Path dir;

  private final HookProcesses hooks = new HookProcesses(Duration.ofSeconds(20));

  private static String quoted(Path p) {
    return "'" + p + "'";
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8).strip();
  }

  @Test
  void placeholdersAreReplacedByTheirValues() {
    assertThat(HookProcesses.expand("{failedHost}:{failedPort} of {failureClusterAlias} -> {successorHost} {unknown}",
        VALUES)).isEqualTo("db1.example.com:3306 of orders -> db2.example.com {unknown}");
    assertThat(HookProcesses.expand("{failedHost}{failedHost}", VALUES)).isEqualTo("db1.example.comdb1.example.com");
  }

  @Test
  void theCommandRunsWithItsPlaceholdersExpanded() throws IOException {
    Path out = dir.resolve("out");
    List<HookProcesses.Outcome> o = hooks.run("PostFailoverProcesses",
        List.of("echo {failedHost} {failureClusterAlias} {successorHost} > " + quoted(out)), VALUES, false);
    assertThat(o).singleElement().satisfies(x -> {
      assertThat(x.ok()).isTrue();
      assertThat(x.hook()).isEqualTo("PostFailoverProcesses");
      assertThat(x.index()).isZero();
      assertThat(x.background()).isFalse();
    });
    assertThat(read(out)).isEqualTo("db1.example.com orders db2.example.com");
  }

  @Test
  void theValuesAreAlsoInOrcEnvironmentVariables() throws IOException {
    Path out = dir.resolve("env");
    hooks.run("PreFailoverProcesses", List.of(
        "printf '%s|%s|%s|%s' \"$ORC_FAILED_HOST\" \"$ORC_FAILURE_CLUSTER_ALIAS\" \"$ORC_SUCCESSOR_PORT\" "
            + "\"$ORC_FAILED_PORT\" > " + quoted(out)), VALUES, true);
    assertThat(read(out)).isEqualTo("db1.example.com|orders|3307|3306");
  }

  @Test
  void placeholderNamesBecomeOrcVariableNames() {
    assertThat(HookProcesses.envName("failureClusterAlias")).isEqualTo("ORC_FAILURE_CLUSTER_ALIAS");
    assertThat(HookProcesses.envName("failedHost")).isEqualTo("ORC_FAILED_HOST");
    assertThat(HookProcesses.envName("successorPort")).isEqualTo("ORC_SUCCESSOR_PORT");
    assertThat(HookProcesses.envName("command")).isEqualTo("ORC_COMMAND");
    assertThat(HookProcesses.envName("isSuccessful")).isEqualTo("ORC_IS_SUCCESSFUL");
  }

  @Test
  void theExitCodeIsReported() {
    List<HookProcesses.Outcome> o = hooks.run("PostUnsuccessfulFailoverProcesses", List.of("exit 3", "true"), VALUES,
        false);
    assertThat(o).extracting(HookProcesses.Outcome::exitCode).containsExactly(3, 0);
    assertThat(o.get(0).ok()).isFalse();
    assertThat(o.get(0).describe()).contains("PostUnsuccessfulFailoverProcesses[0]", "exited 3");
    assertThat(o.get(1).ok()).isTrue();
    assertThat(o.get(1).index()).isEqualTo(1);
  }

  @Test
  void withStopOnFailureNothingRunsAfterAFailure() throws IOException {
    Path after = dir.resolve("after");
    List<String> commands = List.of("exit 1", "touch " + quoted(after));

    List<HookProcesses.Outcome> stopped = hooks.run("PreFailoverProcesses", commands, VALUES, true);
    assertThat(stopped).extracting(HookProcesses.Outcome::exitCode).containsExactly(1);
    assertThat(after).doesNotExist();

    List<HookProcesses.Outcome> all = hooks.run("PostFailoverProcesses", commands, VALUES, false);
    assertThat(all).extracting(HookProcesses.Outcome::exitCode).containsExactly(1, 0);
    assertThat(after).exists();
  }

  @Test
  void aCommandThatRunsPastTheTimeoutIsKilledWithItsChildren() throws Exception {
    Path shellPid = dir.resolve("bash.pid");
    Path sleepPid = dir.resolve("sleep.pid");
    HookProcesses quick = new HookProcesses(Duration.ofSeconds(1));
    long start = System.nanoTime();

    List<HookProcesses.Outcome> o = quick.run("PreFailoverProcesses", List.of("echo $$ > " + quoted(shellPid)
        + "; sleep 30 & echo $! > " + quoted(sleepPid) + "; wait", "touch " + quoted(dir.resolve("next"))), VALUES, true);

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(o).singleElement().satisfies(x -> {
      assertThat(x.exitCode()).isEqualTo(HookProcesses.TIMED_OUT);
      assertThat(x.ok()).isFalse();
      assertThat(x.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(x.describe()).contains("timed out");
    });
    assertThat(dir.resolve("next")).as("a timed-out pre-failover hook stops the others").doesNotExist();
    for (Path p : List.of(shellPid, sleepPid)) {
      long pid = Long.parseLong(read(p));
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isPresent()) h.get().onExit().get(5, TimeUnit.SECONDS); // a condition with a timeout, not a sleep
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d (%s)", pid, p.getFileName())
          .isNotEqualTo(Optional.of(true));
    }
  }

  @Test
  void aBackgroundCommandReturnsAtOnce() {
    String marker = "hook-" + UUID.randomUUID();
    Set<Long> before = children(marker);
    assertThat(before).isEmpty();
    long start = System.nanoTime();
    List<HookProcesses.Outcome> o;
    try {
      o = hooks.run("PostFailoverProcesses", List.of("sleep 30; : " + marker + " &"), VALUES, true);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(took).isLessThan(Duration.ofSeconds(3));
      assertThat(o).singleElement().satisfies(x -> {
        assertThat(x.background()).isTrue();
        assertThat(x.ok()).isTrue();
        assertThat(x.describe()).contains("started in the background");
      });
      assertThat(children(marker)).as("the background process still runs").hasSize(1);
    } finally {
      ProcessHandle.current().children().filter(p -> commandLine(p).contains(marker)).forEach(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      });
    }
  }

  private static Set<Long> children(String marker) {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).filter(p -> commandLine(p).contains(marker))
        .map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private static String commandLine(ProcessHandle p) {
    return p.info().commandLine().or(() -> p.info().arguments().map(a -> String.join(" ", a))).orElse("");
  }

  // --- RecoverMasterClusterFilters ---

  private static RecoveryOptions filters(String... f) {
    RecoveryOptions d = RecoveryOptions.defaults();
    return new RecoveryOptions(List.of(f), d.blockPeriod(), d.replicaCredentials(), d.drainTimeout(),
        d.failIfNotApplied(), d.sameDataCenterOnly(), d.promotionIgnoreHostnames(), d.maintenanceLag(),
        d.rejoinDeposedMasters(), d.wipeValuesPreFailover(), d.hooks());
  }

  @Test
  void anAsteriskRecoversEveryCluster() {
    RecoveryOptions o = filters("*");
    assertThat(o.automatic(io.herald.cluster.Alias.of("orders"), "db1:3306")).isTrue();
    assertThat(o.automatic(io.herald.cluster.Alias.of("x"), "10.0.0.1:3307")).isTrue();
  }

  @Test
  void aRegularExpressionMatchesTheAliasOrTheClusterName() {
    RecoveryOptions o = filters("^ord", "db9[.]example");
    assertThat(o.automatic(io.herald.cluster.Alias.of("orders"), "db1:3306")).as("by alias").isTrue();
    assertThat(o.automatic(io.herald.cluster.Alias.of("users"), "db9.example.com:3306")).as("by cluster name").isTrue();
    assertThat(o.automatic(io.herald.cluster.Alias.of("users"), "db1:3306")).isFalse();
    assertThat(o.automatic(io.herald.cluster.Alias.of("reorders"), "db1:3306")).as("anchored").isFalse();
    assertThat(o.automatic(io.herald.cluster.Alias.of("users"), "db9xexample:3306")).isFalse();
  }

  @Test
  void noFiltersRecoverNoClusterAutomatically() {
    assertThat(RecoveryOptions.defaults().automatic(io.herald.cluster.Alias.of("orders"), "db1:3306")).isFalse();
    assertThat(filters().automatic(io.herald.cluster.Alias.of("orders"), "db1:3306")).isFalse();
  }

  @Test
  void aBadFilterIsRefusedAtOnce() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> filters("orders("))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
