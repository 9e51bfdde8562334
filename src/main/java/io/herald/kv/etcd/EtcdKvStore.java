package io.herald.kv.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.herald.cluster.Alias;
import io.herald.cluster.ClusterEntries;
import io.herald.kv.KvStore;
import io.herald.kv.AsyncCalls;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes masters to etcd (v3 API) under orchestrator's keys ({@code mysql/master/c1},
 * {@code mysql/master/c1/hostname}, ...), each cluster in one transaction fenced by its epoch key's revision.
 * Requests are asynchronous and many are in flight at once, so a batch of many clusters costs a few round trips.
 *
 * <p>Thread-safe. Every call returns within {@code options.timeout()}; while etcd is away, calls fail with a
 * retryable {@link KvStoreException}. An authentication or permission failure is not retryable.
 */
public final class EtcdKvStore implements KvStore {
  private static final Logger log = LoggerFactory.getLogger(EtcdKvStore.class);

  private final String name;
  private final EtcdOptions options;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set once by {@link #start}; read by every call. */
  private volatile Client client;

  public EtcdKvStore(String name, EtcdOptions options) {
    this.name = Objects.requireNonNull(name, "name");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return "etcd";
  }

  @Override
  public String address() {
    return options.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
  }

  /** Builds the client; it connects on the first call, so an etcd that is down shows there, not here. */
  @Override
  public synchronized void start() throws KvStoreException {
    if (closed.get()) throw new KvStoreException(name, "store is closed", false);
    if (client != null) throw new IllegalStateException(name + ": already started");
    ClientBuilder b = Client.builder();
    EtcdOptions.Tls tls = options.tls();
    if (tls.enabled()) {
      try {
        b.sslContext(EtcdTls.context(tls));
      } catch (IllegalArgumentException e) {
        throw new KvStoreException(name, "cannot set up TLS to etcd: " + e.getMessage(), false, e);
      }
      // before endpoints(): jetcd puts the authority into the target it makes of them, and only then is it the
      // name checked for every endpoint (otherwise each endpoint's own host is)
      tls.serverName().ifPresent(b::authority);
    }
    b.endpoints(options.endpoints().toArray(URI[]::new))
        .connectTimeout(options.timeout())
        .retryMaxDuration(options.timeout())
        .waitForReady(false);
    options.user().ifPresent(u -> b.user(EtcdKeys.bytes(u)));
    options.password().ifPresent(p -> b.password(EtcdKeys.bytes(p.value())));
    try {
      client = b.build();
    } catch (RuntimeException e) {
      throw new KvStoreException(name, "cannot build the etcd client for " + address() + ": " + e.getMessage(), false, e);
    }
    log.info("store {}: etcd client for {} (user {}, {})", name, address(), options.user().orElse("none"), describe(tls));
    if (tls.skipVerify()) {
      log.warn("store {}: EtcdSSLSkipVerify is on: the connection to etcd is encrypted but etcd's certificate is NOT "
          + "verified, so anyone on the path can pose as etcd and read every write; set EtcdCAFile instead", name);
    }
  }

  private static String describe(EtcdOptions.Tls tls) {
    if (!tls.enabled()) return "plain text";
    return "TLS, " + (tls.skipVerify() ? "server certificate NOT verified" : "server verified against " + tls.caFile().get())
        + tls.serverName().map(n -> ", server name " + n).orElse("")
        + tls.certFile().map(c -> ", client certificate " + c).orElse(", no client certificate");
  }

  @Override
  public Map<Alias, WriteOutcome> write(List<ClusterEntries> batch) throws KvStoreException {
    String what = "write " + batch.size() + " clusters";
    if (batch.isEmpty()) return Map.of();
    List<CompletableFuture<WriteOutcome>> writes = new BatchWrite(name, keys(what)).start(batch);
    await(writes, what);
    Map<Alias, WriteOutcome> out = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) out.put(batch.get(i).alias(), writes.get(i).join());
    return out;
  }

  @Override
  public Optional<String> get(String key) throws KvStoreException {
    String what = "read " + key;
    CompletableFuture<Optional<StoredValue>> read = keys(what).read(key);
    await(List.of(read), what);
    return read.join().map(StoredValue::value);
  }

  private EtcdKeys keys(String what) throws KvStoreException {
    Client c = client;
    if (c == null) throw new IllegalStateException(name + ": not started");
    if (closed.get()) throw new KvStoreException(name, what + ": store is closed", false);
    return new EtcdKeys(c.getKVClient());
  }

  private void await(List<? extends CompletableFuture<?>> fs, String what) throws KvStoreException {
    AsyncCalls.awaitAll(name, what, "etcd " + address(), options.timeout(), fs, t -> EtcdFailures.translate(name, what, t, options.usesTls()));
  }

  /** Closes the client. Idempotent; calls after it fail with a non-retryable exception. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    Client c;
    synchronized (this) {
      c = client;
    }
    if (c != null) {
      c.close();
      log.info("store {}: etcd client closed", name);
    }
  }
}
