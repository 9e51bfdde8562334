package io.herald.kv.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.kv.KvStoreException;
import io.herald.cluster.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The few calls of Consul's HTTP API the Consul store makes, over the JDK's {@link HttpClient}. Every request
 * carries the ACL token (when there is one) in the {@code X-Consul-Token} header and the configured timeout;
 * every failure becomes a {@link KvStoreException}: I/O errors, timeouts, HTTP 5xx and 429 are retryable, other
 * refusals (403 ACL denied, 400, ...) are not. Messages name the request and Consul's answer, never the token.
 * An empty {@code dc} means the agent's own datacenter. Thread-safe; every method blocks for at most the timeout.
 */
final class ConsulHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STALE_CAS = "index is stale";
  private static final int MAX_ERROR_TEXT = 300;

  /**
   * One transaction operation: a compare-and-set when {@code casIndex >= 0}, else a plain set; with
   * {@code delete}, a delete of the key only if its modify index is still {@code casIndex}.
   */
  record Op(String key, String value, long casIndex, boolean delete) {
    static Op set(String key, String value) {
      return new Op(key, value, -1, false);
    }

    static Op cas(String key, String value, long index) {
      return new Op(key, value, index, false);
    }

    static Op deleteIf(String key, long index) {
      return new Op(key, "", index, true);
    }
  }

  private final String store;
  private final String base;
  private final Optional<Secret> token;
  private final Duration timeout;
  private final HttpClient client;
  private final LongAdder requests = new LongAdder();

  ConsulHttp(String store, ConsulOptions options, HttpClient client) {
    this.store = store;
    this.base = options.scheme() + "://" + options.address();
    this.token = options.aclToken();
    this.timeout = options.timeout();
    this.client = client;
  }

  /** Every key whose name starts with {@code prefix} (a plain string prefix, not a path); empty when none. */
  Map<String, StoredKey> list(String prefix, Optional<String> dc) throws KvStoreException {
    String what = "GET /v1/kv/" + prefix + "?recurse";
    HttpResponse<byte[]> r = send(get(kvUri(prefix, dc, "recurse")), what);
    if (r.statusCode() == 404) return Map.of();
    if (r.statusCode() != 200) throw refused(what, r);
    JsonNode entries = parse(what, r.body());
    Map<String, StoredKey> out = new HashMap<>(entries.size() * 2);
    for (JsonNode e : entries) out.put(e.path("Key").asText(), storedKey(e));
    return out;
  }

  /** One key; empty when absent. */
  Optional<StoredKey> read(String key, Optional<String> dc) throws KvStoreException {
    String what = "GET /v1/kv/" + key;
    HttpResponse<byte[]> r = send(get(kvUri(key, dc, null)), what);
    if (r.statusCode() == 404) return Optional.empty();
    if (r.statusCode() != 200) throw refused(what, r);
    JsonNode entries = parse(what, r.body());
    return entries.isEmpty() ? Optional.empty() : Optional.of(storedKey(entries.get(0)));
  }

  /** Sets {@code key} only if its modify index is still {@code index} (0: only if absent). True when set. */
  boolean cas(String key, String value, long index, Optional<String> dc) throws KvStoreException {
    String what = "PUT /v1/kv/" + key + "?cas=" + index;
    HttpResponse<byte[]> r = send(put(kvUri(key, dc, "cas=" + index), value.getBytes(StandardCharsets.UTF_8)), what);
    if (r.statusCode() != 200) throw refused(what, r);
    return new String(r.body(), StandardCharsets.UTF_8).trim().equals("true");
  }

  /** Sets {@code key} unconditionally. */
  void put(String key, String value, Optional<String> dc) throws KvStoreException {
    String what = "PUT /v1/kv/" + key;
    HttpResponse<byte[]> r = send(put(kvUri(key, dc, null), value.getBytes(StandardCharsets.UTF_8)), what);
    if (r.statusCode() != 200) throw refused(what, r);
  }

  /** Deletes {@code key} only if its modify index is still {@code index}. True when deleted (or already gone). */
  boolean deleteIf(String key, long index, Optional<String> dc) throws KvStoreException {
    String what = "DELETE /v1/kv/" + key + "?cas=" + index;
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(kvUri(key, dc, "cas=" + index)).DELETE(), what);
    if (r.statusCode() != 200) throw refused(what, r);
    return new String(r.body(), StandardCharsets.UTF_8).trim().equals("true");
  }

  /**
   * Applies {@code ops} in one transaction: all or none. True when applied; false when a compare-and-set found a
   * newer index (nothing was applied). Any other error Consul reports (e.g. an ACL denial) throws, not retryable.
   */
  boolean txn(List<Op> ops, Optional<String> dc) throws KvStoreException {
    String what = "PUT /v1/txn (" + ops.size() + " operations)";
    HttpResponse<byte[]> r = send(put(uri("/v1/txn", dc, null), txnBody(ops)), what);
    if (r.statusCode() == 200) return true;
    if (r.statusCode() != 409) throw refused(what, r);
    List<String> errors = new ArrayList<>();
    for (JsonNode e : parse(what, r.body()).path("Errors")) errors.add(e.path("What").asText());
    if (!errors.isEmpty() && errors.stream().allMatch(e -> e.contains(STALE_CAS))) return false;
    throw new KvStoreException(store, what + " refused: " + redact(String.join("; ", errors)), false);
  }

  /** The datacenters Consul knows, as {@code /v1/catalog/datacenters} lists them; never empty. */
  List<String> datacenters() throws KvStoreException {
    String what = "GET /v1/catalog/datacenters";
    HttpResponse<byte[]> r = send(get(uri("/v1/catalog/datacenters", Optional.empty(), null)), what);
    if (r.statusCode() != 200) throw refused(what, r);
    List<String> out = new ArrayList<>();
    for (JsonNode dc : parse(what, r.body())) out.add(dc.asText());
    if (out.isEmpty()) throw new KvStoreException(store, what + " listed no datacenter", true);
    return List.copyOf(out);
  }

  /** Requests sent so far (for tests and metrics). */
  long requests() {
    return requests.sum();
  }

  private static byte[] txnBody(List<Op> ops) {
    Base64.Encoder b64 = Base64.getEncoder();
    ArrayNode body = JSON.createArrayNode();
    for (Op op : ops) {
      ObjectNode kv = body.addObject().putObject("KV");
      kv.put("Verb", op.delete() ? "delete-cas" : op.casIndex() >= 0 ? "cas" : "set");
      kv.put("Key", op.key());
      if (!op.delete()) kv.put("Value", b64.encodeToString(op.value().getBytes(StandardCharsets.UTF_8)));
      if (op.casIndex() >= 0) kv.put("Index", op.casIndex());
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a transaction", e);
    }
  }

  private static StoredKey storedKey(JsonNode e) {
    JsonNode v = e.path("Value");
    String value = v.isTextual() ? new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8) : "";
    return new StoredKey(value, e.path("ModifyIndex").asLong());
  }

  private JsonNode parse(String what, byte[] body) throws KvStoreException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new KvStoreException(store, what + ": unreadable answer: " + e.getMessage(), true, e);
    }
  }

  private URI kvUri(String key, Optional<String> dc, String query) {
    return uri("/v1/kv/" + encodePath(key), dc, query);
  }

  private URI uri(String path, Optional<String> dc, String query) {
    StringBuilder q = new StringBuilder();
    if (query != null) q.append(query);
    dc.ifPresent(d -> q.append(q.length() > 0 ? "&" : "").append("dc=").append(encodePath(d)));
    return URI.create(base + path + (q.length() > 0 ? "?" + q : ""));
  }

  /** Percent-encodes everything in a key but unreserved characters and '/'. */
  static String encodePath(String key) {
    StringBuilder out = new StringBuilder(key.length() + 8);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static HttpRequest.Builder get(URI uri) {
    return HttpRequest.newBuilder(uri).GET();
  }

  private static HttpRequest.Builder put(URI uri, byte[] body) {
    return HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /**
   * Sends and reads the whole answer within the timeout: the request's own timeout stops at the response headers,
   * so the wait for the body is bounded here too.
   */
  private HttpResponse<byte[]> send(HttpRequest.Builder request, String what) throws KvStoreException {
    token.ifPresent(t -> request.header("X-Consul-Token", t.value()));
    requests.increment();
    CompletableFuture<HttpResponse<byte[]>> answer =
        client.sendAsync(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
    try {
      return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new KvStoreException(store, what + ": no answer within " + timeout, true, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new KvStoreException(store, what + ": no answer within " + timeout, true, cause);
      }
      throw new KvStoreException(store, what + ": " + redact(String.valueOf(cause)), cause instanceof IOException,
          cause);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new KvStoreException(store, what + ": interrupted", true, e);
    }
  }

  private KvStoreException refused(String what, HttpResponse<byte[]> r) {
    int status = r.statusCode();
    String text = new String(r.body(), StandardCharsets.UTF_8).trim();
    if (text.length() > MAX_ERROR_TEXT) text = text.substring(0, MAX_ERROR_TEXT) + "...";
    boolean retryable = status >= 500 || status == 429;
    return new KvStoreException(store, what + ": HTTP " + status + (text.isEmpty() ? "" : " " + redact(text)),
        retryable);
  }

  private String redact(String text) {
    return token.map(t -> t.value().isEmpty() ? text : text.replace(t.value(), "****")).orElse(text);
  }
}
