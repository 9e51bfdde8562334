package io.herald.kv.consul;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Consul's KV API used directly, bypassing the store: what an operator or another tool would do. Test code only.
 */
final class RawConsul {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final Optional<String> token;

  RawConsul(String address, Optional<String> token) {
    this.base = "http://" + address + "/v1/kv/";
    this.token = token;
  }

  /** Sets the key, or deletes it when {@code value} is null. */
  void set(String key, String value) throws IOException, InterruptedException {
    HttpRequest.Builder b = request(key);
    if (value == null) b.DELETE(); else b.PUT(HttpRequest.BodyPublishers.ofString(value));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode() + " " + r.body());
  }

  /** Deletes every key starting with {@code prefix}. */
  void deleteTree(String prefix) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + prefix + "?recurse")).timeout(Duration.ofSeconds(30));
    token.ifPresent(t -> b.header("X-Consul-Token", t));
    HttpResponse<String> r = client.send(b.DELETE().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode() + " " + r.body());
  }

  /** The key's raw value; empty when absent. */
  Optional<String> get(String key) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + key + "?raw")).timeout(Duration.ofSeconds(5));
    token.ifPresent(t -> b.header("X-Consul-Token", t));
    HttpResponse<byte[]> r = client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 404) return Optional.empty();
    if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
    return Optional.of(new String(r.body(), StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + key)).timeout(Duration.ofSeconds(5));
    token.ifPresent(t -> b.header("X-Consul-Token", t));
    return b;
  }
}
