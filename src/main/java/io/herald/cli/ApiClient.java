package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Talks to a Herald node's HTTP API as orchestrator-client does. A {@code "Code":"ERROR"} answer, a non-2xx status
 * or an unreachable node becomes a {@link CliException} carrying the one line to print.
 */
final class ApiClient {
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, String> env;

  ApiClient(String base, Map<String, String> env) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    try {
      this.base = URI.create(b);
      if (this.base.getScheme() == null || this.base.getHost() == null) throw new IllegalArgumentException();
    } catch (IllegalArgumentException e) {
      throw new CliException("invalid API URL '" + base + "': expected http://host:port");
    }
    this.env = env;
  }

  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(base.getPath() + path)).GET(), path);
  }

  JsonNode post(String path) {
    return send(HttpRequest.newBuilder(base.resolve(base.getPath() + path)).POST(HttpRequest.BodyPublishers.noBody()), path);
  }

  private JsonNode send(HttpRequest.Builder req, String path) {
    req.timeout(Duration.ofSeconds(30));
    String user = env.get("HERALD_API_USER");
    String password = env.get("HERALD_API_PASSWORD");
    if (user != null && password != null) {
      String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      req.header("Authorization", "Basic " + token);
    }
    HttpResponse<String> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException("cannot reach Herald at " + base + ": " + (e.getMessage() == null ? e : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    JsonNode body;
    try {
      body = mapper.readTree(r.body());
    } catch (IOException e) {
      throw new CliException("unexpected answer from " + base + path + " (HTTP " + r.statusCode() + ")");
    }
    if (body != null && body.isObject() && "ERROR".equals(body.path("Code").asText())) {
      throw new CliException(body.path("Message").asText("error") + " (HTTP " + r.statusCode() + ")");
    }
    if (r.statusCode() / 100 != 2) throw new CliException("HTTP " + r.statusCode() + " from " + base + path);
    return body;
  }
}
