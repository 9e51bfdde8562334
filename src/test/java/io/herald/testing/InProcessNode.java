package io.herald.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.HeraldNode;
import io.herald.config.ConfigLoader;
import io.herald.config.HeraldConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A Herald node in this JVM, built from a JSON config like the server's, with HTTP on a free loopback port, plus a
 * small HTTP client for its API.
 */
public final class InProcessNode implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HeraldNode node;
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private InProcessNode(HeraldNode node) {
    this.node = node;
    this.base = "http://127.0.0.1:" + node.httpPort();
  }

  /**
   * Starts a node. {@code extraJson} is spliced into the config object (e.g. {@code "ZkAddress": "..."}); the
   * data dir and listen address are set here.
   */
  public static InProcessNode start(Path dataDir, String extraJson) throws Exception {
    String json = "{ \"ListenAddress\": \"127.0.0.1:0\", \"RaftDataDir\": \"" + dataDir + "\""
        + (extraJson.isBlank() ? "" : ", " + extraJson) + " }";
    Path file = Files.createTempFile("herald-test", ".json");
    Files.writeString(file, json);
    HeraldConfig cfg = new ConfigLoader(Map.of()).load(file);
    HeraldNode node = new HeraldNode(cfg);
    node.start();
    return new InProcessNode(node);
  }

  /** The node's discovery (fails when the config has no MySQLTopologyUser). */
  public io.herald.discovery.Discovery discovery() {
    return node.discovery().orElseThrow(() -> new IllegalStateException("discovery is off on this node"));
  }

  /** The node's raft, to submit commands no route makes (a recovery begun by another node of a group). */
  public io.herald.raft.RaftNode raft() {
    return node.raft();
  }

  /** The HTTP routes that need credentials when basic auth is on, as {@code METHOD path-template}. */
  public java.util.List<String> writeRoutes() {
    return node.httpWriteRoutes();
  }

  public String base() {
    return base;
  }

  /** An answer: status and parsed JSON body (null when the body is not JSON). */
  public record Reply(int status, JsonNode body, String text, java.net.http.HttpHeaders headers) {
    /** The first value of a response header, or "" when it is absent. */
    public String header(String name) {
      return headers.firstValue(name).orElse("");
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), null);
  }

  public Reply post(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()), null);
  }

  public Reply send(HttpRequest.Builder req, String basicAuth) {
    try {
      if (basicAuth != null) {
        req.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(basicAuth.getBytes()));
      }
      HttpResponse<String> r = http.send(req.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = JSON.readTree(r.body());
      } catch (IOException notJson) {
        body = null;
      }
      return new Reply(r.statusCode(), body, r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
