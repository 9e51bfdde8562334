package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.InProcessNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/herald answers {@code clusters} and {@code set-master} with curl (no JVM): the same output, error line
 * and exit code as the Java client (run in this JVM) for the same command line, against running nodes (one with
 * basic auth on). {@code HERALD_JAVA_OPTS} is set to an option no JVM accepts, so a command that started Java
 * instead would fail.
 */
class LauncherClientIT {
  @TempDir static Path data;
  static InProcessNode node;
  static InProcessNode secured;

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start(data.resolve("open"), "");
    secured = InProcessNode.start(data.resolve("auth"),
        "\"AuthenticationMethod\": \"basic\", \"HTTPAuthUser\": \"ops\", \"HTTPAuthPassword\": \"s3cret-pw\"");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (secured != null) secured.close();
  }

  private static CliIT.Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of("bin", "herald").toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("HERALD_API_USER");
    pb.environment().remove("HERALD_API_PASSWORD");
    pb.environment().remove("HERALD_CLI");
    pb.environment().put("HERALD_JAVA_OPTS", "-XX:+NoSuchOptionAnywhere");
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/herald did not end within 30 s: " + cmd);
    }
    return new CliIT.Run(p.exitValue(), out.join(), err.join());
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Epochs (each set-master makes a new one) as E. */
  private static String epochless(String text) {
    return text.replaceAll("\\d{13,}", "E");
  }

  /** The launcher and the Java client on the same command line: equal output (epochs aside) and exit code. */
  private static CliIT.Run same(String... args) throws Exception {
    CliIT.Run java = CliIT.run(args);
    CliIT.Run fast = launcher(Map.of(), args);
    assertThat(fast.code()).as("exit code of %s (stderr %s)", List.of(args), fast.err()).isEqualTo(java.code());
    assertThat(epochless(fast.out())).as("output of %s", List.of(args)).isEqualTo(epochless(java.out()));
    assertThat(fast.err()).as("stderr of %s", List.of(args)).isEqualTo(java.err());
    return fast;
  }

  @Test
  void setMasterAndClustersPrintWhatTheJavaClientPrints() throws Exception {
    CliIT.Run set = same("set-master", "fast1", "127.0.0.51:3306", "--api", node.base());
    assertThat(set.code()).isZero();
    assertThat(set.out()).contains("fast1", "127.0.0.51:3306");
    same("set-master", "fast2", "db-2.example.com:3307", "--api=" + node.base() + "/api/");
    CliIT.Run clusters = same("clusters", "--api", node.base());
    assertThat(clusters.out()).containsPattern("(?m)^fast1 127\\.0\\.0\\.51:3306 \\d+$")
        .containsPattern("(?m)^fast2 db-2\\.example\\.com:3307 \\d+$");
  }

  @Test
  void refusalsGiveTheSameOneLineErrorAndExitCode() throws Exception {
    same("set-master", "fast3", "127.0.0.53:3306", "--api", node.base());
    // one server cannot be the master of two clusters: the node's 409 message
    CliIT.Run twice = same("set-master", "fast4", "127.0.0.53:3306", "--api", node.base());
    assertThat(twice.code()).isEqualTo(1);
    assertThat(twice.err()).startsWith("herald: ").contains("already the master", "(HTTP 409)").hasLineCount(1);
    // a path the node does not serve
    CliIT.Run elsewhere = same("clusters", "--api", node.base() + "/not-herald");
    assertThat(elsewhere.code()).isEqualTo(1);
    assertThat(elsewhere.err()).hasLineCount(1);
  }

  @Test
  void theNodeAnswersTextOnlyToAClientThatAsksForIt() {
    var text = node.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.base() + "/api/master/nosuch-text"))
        .header("Accept", "text/plain"), null);
    assertThat(text.status()).isEqualTo(404);
    assertThat(text.header("Content-Type")).startsWith("text/plain");
    assertThat(text.text()).contains("nosuch-text").doesNotContain("no such endpoint").endsWith("\n").hasLineCount(1);
    var json = node.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.base() + "/api/master/nosuch-text"))
        .header("Accept", "text/plain, application/json"), null);
    assertThat(json.status()).isEqualTo(404);
    assertThat(json.body().path("Code").asText()).isEqualTo("ERROR");
    assertThat(node.get("/api/clusters-info").body().isArray()).isTrue();
  }

  /** Command lines the curl path leaves to the Java client (here a JVM that cannot start: nothing is sent). */
  @Test
  void whatTheCurlPathDoesNotHandleExactlyGoesToTheJavaClient() throws Exception {
    String base = node.base();
    List<List<String>> lines = List.of(
        List.of("clusters", "--api", base, "--api", base),
        List.of("clusters", "--api", "http://127.0.0.1:0"),
        List.of("clusters", "--api", base + "//x"),
        List.of("clusters", "--api", "http://x.1:3000"),
        List.of("clusters", "--api", "https://127.0.0.1:3000"),
        List.of("clusters", "--api", "http://u:p@127.0.0.1:3000"),
        List.of("clusters", "extra"),
        List.of("set-master", "a", "0x7f.0.0.1:3306"),
        List.of("set-master", "a", "1.2.3:3306"),
        List.of("set-master", "a", "01.2.3.4:3306"),
        List.of("set-master", "a", "a..b:3306"),
        List.of("set-master", "a", "[::1]:3306"),
        List.of("set-master", "a", "127.0.0.1:65536"),
        List.of("set-master", "bad/alias", "127.0.0.1:3306"),
        List.of("set-master", "..", "127.0.0.1:3306"),
        List.of("set-master", "a", "127.0.0.1:3306", "--", "x"));
    for (List<String> line : lines) {
      CliIT.Run r = launcher(Map.of(), line.toArray(String[]::new));
      assertThat(r.err()).as("%s went to the JVM", line).contains("NoSuchOptionAnywhere");
      assertThat(r.code()).as("%s", line).isNotZero();
    }
    CliIT.Run empty = launcher(Map.of("HERALD_API", ""), "clusters");
    assertThat(empty.err()).as("HERALD_API empty").contains("NoSuchOptionAnywhere");
  }

  @Test
  void credentialsNeverReachCurlsCommandLine() throws Exception {
    Path bin = data.resolve("fake-bin");
    java.nio.file.Files.createDirectories(bin);
    Path args = data.resolve("curl-args");
    String real = new String(new ProcessBuilder("bash", "-c", "command -v curl").start().getInputStream().readAllBytes(),
        StandardCharsets.UTF_8).strip();
    Path curl = bin.resolve("curl");
    java.nio.file.Files.writeString(curl, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + args + "'\nexec '" + real + "' \"$@\"\n");
    assertThat(curl.toFile().setExecutable(true)).isTrue();
    CliIT.Run ok = launcher(Map.of("PATH", bin + ":" + System.getenv("PATH"), "HERALD_API_USER", "ops",
        "HERALD_API_PASSWORD", "s3cret-pw"), "set-master", "fast7", "127.0.0.57:3306", "--api", secured.base());
    assertThat(ok.code()).as(ok.err()).isZero();
    String seen = java.nio.file.Files.readString(args);
    String token = java.util.Base64.getEncoder().encodeToString("ops:s3cret-pw".getBytes(StandardCharsets.UTF_8));
    assertThat(seen).contains("@/dev/fd/3", "/api/set-master/fast7/127.0.0.57/3306").doesNotContain("s3cret-pw")
        .doesNotContain(token);
  }

  @Test
  void anUnreachableNodeIsOneLineAndExitOne() throws Exception {
    CliIT.Run down = launcher(Map.of(), "clusters", "--api", "http://127.0.0.1:1");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.out()).isEmpty();
    assertThat(down.err()).startsWith("herald: cannot reach Herald at http://127.0.0.1:1: ").hasLineCount(1);
  }

  @Test
  void credentialsComeFromTheEnvironmentAndAWrongPasswordIsRefusedAsInJava() throws Exception {
    CliIT.Run ok = launcher(Map.of("HERALD_API_USER", "ops", "HERALD_API_PASSWORD", "s3cret-pw"),
        "set-master", "fast5", "127.0.0.55:3306", "--api", secured.base());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(secured.get("/api/kv/mysql/master/fast5").body().path("Value").asText()).isEqualTo("127.0.0.55:3306");
    CliIT.Run none = launcher(Map.of(), "set-master", "fast6", "127.0.0.56:3306", "--api", secured.base());
    CliIT.Run javaNone = CliIT.run("set-master", "fast6", "127.0.0.56:3306", "--api", secured.base());
    assertThat(none.code()).isEqualTo(javaNone.code()).isEqualTo(1);
    assertThat(none.err()).isEqualTo(javaNone.err()).contains("authentication required", "(HTTP 401)");
    CliIT.Run wrong = launcher(Map.of("HERALD_API_USER", "ops", "HERALD_API_PASSWORD", "not-it"),
        "set-master", "fast6", "127.0.0.56:3306", "--api", secured.base());
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).isEqualTo(none.err()).doesNotContain("not-it");
    assertThat(secured.get("/api/kv/mysql/master/fast6").status()).isEqualTo(404);
  }
}
