package io.herald.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A Herald server in its own process ({@code java -jar target/herald.jar server --config ...}), so that a test can
 * kill it with SIGKILL as an operator's {@code kill -9} would. Output goes to a log file beside the config.
 */
public final class HeraldProcess implements AutoCloseable {
  private final Path config;
  private final int httpPort;
  private Process process;

  public HeraldProcess(Path config, int httpPort) {
    this.config = config;
    this.httpPort = httpPort;
  }

  public static Path jar() {
    Path jar = Path.of("target", "herald.jar").toAbsolutePath();
    if (!Files.exists(jar)) throw new IllegalStateException("run `mvn package` first: " + jar + " is missing");
    return jar;
  }

  /**
   * Starts the process and waits (up to 60 s) until its API answers (any status: a group member's /api/health is 503
   * until the group has a leader, which needs the other members started too).
   */
  public HeraldProcess start() throws IOException {
    // logs outlive the test's temporary directory, for a post-mortem
    Path logs = Path.of("target", "herald-it-logs").toAbsolutePath();
    Files.createDirectories(logs);
    File log = logs.resolve(config.getParent().getFileName() + "-" + config.getFileName() + ".log").toFile();
    process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", jar().toString(), "server", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    HttpClient http = HttpClient.newHttpClient();
    Awaitility.await("herald on :" + httpPort).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (!process.isAlive()) throw new IllegalStateException("herald exited: " + Files.readString(log.toPath()));
          try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/health")).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
          } catch (IOException e) {
            return false;
          }
        });
    return this;
  }

  public String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The running process (its pid, its exit code once gone). */
  public Process process() {
    return process;
  }

  /** Sends a signal ({@code STOP}, {@code CONT}, ...) to the process. */
  public void signal(String name) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (rc != 0) throw new IOException("kill -" + name + " " + process.pid() + " failed: " + rc);
  }

  /** SIGKILL, and wait for the process to be gone. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) process.destroyForcibly();
  }
}
