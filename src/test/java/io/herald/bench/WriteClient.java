package io.herald.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one HTTP client that writes to etcd and to Herald alike ({@code java.net.http.HttpClient}, HTTP/1.1, kept
 * connections), so that both are timed by the same code. Each write is a fresh value: etcd gets {@code POST
 * /v3/kv/put} of key {@code bench/c<k>} (its v3 JSON gateway, base64 key and value), Herald {@code POST
 * /api/set-master/bench-<k>/<ip>/3306}, the bare Ratis floor ({@link RatisFloorServer}) {@code POST /put} of the
 * same text, over the same {@link #KEYS} keys. Thread-safe.
 */
final class WriteClient {
  /** Clusters (keys) the writes cycle over. */
  static final int KEYS = 100;
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** Which API a base address speaks. */
  enum Kind { ETCD, HERALD, RATIS_FLOOR }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong sequence = new AtomicLong();

  /** One write to {@code base} (e.g. {@code http://127.0.0.1:26001}); throws unless answered 200. */
  void write(Kind kind, String base) throws IOException, InterruptedException {
    long n = sequence.incrementAndGet();
    String ip = "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    long k = n % KEYS;
    HttpRequest request = switch (kind) {
      case ETCD -> HttpRequest.newBuilder(URI.create(base + "/v3/kv/put")).timeout(TIMEOUT)
          .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + b64("bench/c" + k) + "\",\"value\":\""
              + b64(ip + ":3306") + "\"}")).header("Content-Type", "application/json").build();
      case HERALD -> HttpRequest.newBuilder(URI.create(base + "/api/set-master/bench-" + k + "/" + ip + "/3306"))
          .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build();
      case RATIS_FLOOR -> HttpRequest.newBuilder(URI.create(base + "/put")).timeout(TIMEOUT)
          .POST(HttpRequest.BodyPublishers.ofString("bench-" + k + " " + ip + ":3306")).build();
    };
    send(request, kind + " " + base);
  }

  /** A POST without a body; throws unless answered 200. */
  void postOk(String url) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(),
        "POST " + url);
  }

  private void send(HttpRequest request, String what) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      String body = r.body();
      throw new IOException(what + ": HTTP " + r.statusCode() + ": " + body.substring(0, Math.min(200, body.length())));
    }
  }

  /** A GET's status, or -1 when nothing answered within a second. */
  int status(String url) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** A POST's body with a JSON body, or null when nothing answered within a second or not with 200. */
  String post(String url, String json) throws InterruptedException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1))
          .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
