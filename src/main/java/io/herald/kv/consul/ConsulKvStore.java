package io.herald.kv.consul;

import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consul, over its HTTP API, in orchestrator's key layout. Kind {@code consul-txn} writes each cluster's keys in
 * one {@code /v1/txn} transaction guarded by a compare-and-set of its epoch key, packing many clusters into one
 * transaction and keeping several in flight; kind {@code consul} writes them as orchestrator's {@code consul}
 * provider does, one PUT per key after a compare-and-set of the epoch key: fenced, but not atomic (readers can
 * see a half-written cluster), which is why {@code consul-txn} exists.
 *
 * <p>With cross-datacenter distribution, every write goes to each datacenter {@code /v1/catalog/datacenters}
 * lists (re-listed at most once a minute, and after a failed write). A cluster's outcome is then {@code STALE} if
 * any datacenter holds a newer epoch (that datacenter is left alone), else {@code WRITTEN} if any was written, else
 * {@code UNCHANGED}. If any datacenter fails, the others are still written and the call throws, naming each
 * failed datacenter (retryable unless some datacenter refused the request); repeating it is safe.
 *
 * <p>Thread-safe. Each HTTP call is bounded by the configured timeout; a write makes several. Owns a small pool of
 * daemon threads, shut down by {@link #close}.
 */
public final class ConsulKvStore implements KvStore {
  private static final Logger log = LoggerFactory.getLogger(ConsulKvStore.class);
  /** Transactions (or plain clusters) in flight at once. */
  static final int CONCURRENCY = 8;
  private static final Duration DATACENTERS_TTL = Duration.ofSeconds(60);

  private record Running(ConsulHttp http, BatchWriter writer, ExecutorService pool) {}

  private record Datacenters(List<String> names, long listedAtNanos) {}

  private final String name;
  private final ConsulOptions options;
  /** Set once by start(); null before. */
  private volatile Running running;
  private volatile boolean closed;
  /** The cached datacenter list; null when it must be listed again. Replaced whole, never mutated. */
  private volatile Datacenters datacenters;

  /** Does no I/O; {@link #start} connects. */
  public ConsulKvStore(String name, ConsulOptions options) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("store name must not be blank");
    this.name = name;
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return options.transactional() ? "consul-txn" : "consul";
  }

  @Override
  public String address() {
    return options.scheme() + "://" + options.address();
  }

  /**
   * Builds the HTTP client and the thread pool; makes no request, so a Consul that is down does not fail it.
   *
   * @throws KvStoreException (not retryable) when the CA file cannot be read or parsed
   * @throws IllegalStateException when started twice or after {@link #close}
   */
  @Override
  public synchronized void start() throws KvStoreException {
    if (running != null || closed) throw new IllegalStateException(name + ": already started or closed");
    HttpClient.Builder client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(options.timeout());
    sslContext().ifPresent(client::sslContext);
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY, r -> {
      Thread t = new Thread(r, "consul-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ConsulHttp http = new ConsulHttp(name, options, client.build());
    running = new Running(http, new BatchWriter(name, http, pool, options.transactional(),
        options.maxKvsPerTransaction()), pool);
    log.info("{}: {} store at {} ready (timeout {}, cross-datacenter {})", name, kind(), address(),
        options.timeout(), options.crossDataCenter());
  }

  private Optional<SSLContext> sslContext() throws KvStoreException {
    if (!options.scheme().equals("https")) return Optional.empty();
    try {
      if (options.skipVerify()) {
        log.warn("{}: https certificates of {} are NOT verified (ConsulSSLSkipVerify)", name, address());
        return Optional.of(ConsulTls.trustingAnyone());
      }
      if (options.caFile().isPresent()) return Optional.of(ConsulTls.trusting(options.caFile().get()));
      return Optional.empty();
    } catch (IOException | GeneralSecurityException e) {
      throw new KvStoreException(name, "cannot use CA file " + options.caFile().orElse(null) + ": " + e, false, e);
    }
  }

  @Override
  public Map<Alias, WriteOutcome> write(List<ClusterEntries> batch) throws KvStoreException {
    Running r = running();
    if (batch.isEmpty()) return Map.of();
    if (!options.crossDataCenter()) return r.writer().write(batch, Optional.empty());
    List<String> dcs = datacenters(r.http());
    Map<Alias, WriteOutcome> merged = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    KvStoreException first = null;
    boolean retryable = true;
    for (String dc : dcs) {
      try {
        r.writer().write(batch, Optional.of(dc)).forEach((alias, o) -> merged.merge(alias, o, ConsulKvStore::merge));
      } catch (KvStoreException e) {
        String reason = e.getMessage().substring(name.length() + 2);
        log.warn("{}: writing {} clusters to datacenter {} failed: {}", name, batch.size(), dc, reason);
        failures.add(dc + ": " + reason);
        retryable &= e.retryable();
        if (first == null) first = e; else first.addSuppressed(e);
      }
    }
    if (first != null) {
      datacenters = null;
      throw new KvStoreException(name, "writing to datacenters failed: " + String.join("; ", failures), retryable,
          first);
    }
    return merged;
  }

  /** STALE anywhere wins (a newer epoch exists), then WRITTEN anywhere, else UNCHANGED. */
  private static WriteOutcome merge(WriteOutcome a, WriteOutcome b) {
    if (a == WriteOutcome.STALE || b == WriteOutcome.STALE) return WriteOutcome.STALE;
    if (a == WriteOutcome.WRITTEN || b == WriteOutcome.WRITTEN) return WriteOutcome.WRITTEN;
    return WriteOutcome.UNCHANGED;
  }

  private List<String> datacenters(ConsulHttp http) throws KvStoreException {
    Datacenters d = datacenters;
    if (d == null || System.nanoTime() - d.listedAtNanos() > DATACENTERS_TTL.toNanos()) {
      d = new Datacenters(http.datacenters(), System.nanoTime());
      if (datacenters == null || !d.names().equals(datacenters.names())) {
        log.info("{}: writing to datacenters {}", name, d.names());
      }
      datacenters = d;
    }
    return d.names();
  }

  /** Reads {@code key} in the agent's own datacenter; a key with no value reads {@code ""}. */
  @Override
  public Optional<String> get(String key) throws KvStoreException {
    return running().http().read(key, Optional.empty()).map(StoredKey::value);
  }

  /** HTTP requests sent since start: lets tests check that bulk writes stay bulk. */
  long requestsSent() {
    Running r = running;
    return r == null ? 0 : r.http().requests();
  }

  private Running running() {
    Running r = running;
    if (closed) throw new IllegalStateException(name + ": closed");
    if (r == null) throw new IllegalStateException(name + ": not started");
    return r;
  }

  /** Stops the pool, waiting briefly for writes in flight. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    Running r = running;
    if (r == null) return;
    r.pool().shutdown();
    try {
      if (!r.pool().awaitTermination(options.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        log.warn("{}: writes still in flight after close; interrupting them", name);
        r.pool().shutdownNow();
      }
    } catch (InterruptedException e) {
      r.pool().shutdownNow();
      Thread.currentThread().interrupt();
    }
    log.info("{}: closed", name);
  }

  @Override
  public String toString() {
    return "ConsulKvStore[" + name + ", " + kind() + ", " + address() + "]";
  }
}
