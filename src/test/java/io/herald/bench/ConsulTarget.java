package io.herald.bench;

import io.herald.kv.KvStore;
import io.herald.kv.consul.ConsulKvStore;
import io.herald.kv.consul.ConsulOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Consul: the baseline is orchestrator's plain {@code consul} provider, an HTTP {@code PUT /v1/kv/<key>} per key,
 * each awaited, with the JDK's HTTP client. Herald's side is the {@code consul-txn} adapter.
 */
final class ConsulTarget implements BulkTarget {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final String address;
  private HttpClient http;

  /** @param address {@code host:port} of the agent's HTTP API */
  ConsulTarget(String address) {
    this.address = address;
  }

  @Override
  public String name() {
    return "consul-txn";
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public void start() throws IOException {
    http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    send(HttpRequest.newBuilder(uri("/v1/status/leader")).GET(), "status/leader");
  }

  @Override
  public void writeOne(String key, String value) throws IOException {
    String body = send(HttpRequest.newBuilder(uri("/v1/kv/" + key)).PUT(HttpRequest.BodyPublishers.ofString(value)),
        "PUT " + key);
    if (!body.trim().equals("true")) throw new IOException("Consul PUT " + key + " answered " + body);
  }

  /** Blocking queries on the prefix, one after another on a thread of their own, until closed. */
  @Override
  public AutoCloseable watch(String prefix, java.util.function.BiConsumer<String, String> onChange) {
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    Thread t = new Thread(() -> {
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      java.util.Map<String, Long> seen = new java.util.HashMap<>();
      long index = 0;
      while (!closed.get()) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/kv/" + prefix + "?recurse=true&wait=5s&index="
              + index)).timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
          java.util.OptionalLong next = r.headers().firstValueAsLong("X-Consul-Index");
          if (next.isPresent() && next.getAsLong() < index) { // the index went back (a Consul restart): start over
            index = 0;
            seen.clear();
          } else if (next.isPresent()) {
            index = Math.max(1, next.getAsLong());
          }
          if (r.statusCode() == 404 && next.isPresent()) continue; // nothing under the prefix yet: the query blocked
          if (r.statusCode() != 200) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // an error answers at once: no busy loop
            continue;
          }
          for (com.fasterxml.jackson.databind.JsonNode kv : json.readTree(r.body())) {
            String key = kv.get("Key").asText();
            long modified = kv.get("ModifyIndex").asLong();
            if (seen.getOrDefault(key, -1L) == modified) continue;
            seen.put(key, modified);
            String value = kv.get("Value").isNull() ? "" : new String(java.util.Base64.getDecoder().decode(kv.get("Value").asText()),
                StandardCharsets.UTF_8);
            onChange.accept(key, value);
          }
        } catch (IOException e) {
          if (!closed.get()) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // Consul restarting: retry
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "consul-watch");
    t.setDaemon(true);
    t.start();
    return () -> {
      closed.set(true);
      t.interrupt();
    };
  }

  @Override
  public KvStore heraldStore() {
    return new ConsulKvStore("bench-consul-txn", ConsulOptions.plain(address, true));
  }

  @Override
  public void deleteAll(String root, List<String> written) throws IOException {
    send(HttpRequest.newBuilder(uri("/v1/kv/" + root + "?recurse=true")).DELETE(), "DELETE " + root);
  }

  private URI uri(String path) {
    return URI.create("http://" + address + path);
  }

  private String send(HttpRequest.Builder request, String what) throws IOException {
    try {
      HttpResponse<String> r = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IOException("Consul " + what + ": HTTP " + r.statusCode() + " " + r.body());
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Consul " + what + ": interrupted");
    }
  }

  @Override
  public void close() {
    // the JDK 17 HttpClient has no close(); its threads are daemons
  }
}
