package io.herald;

import io.herald.config.HeraldConfig;
import io.herald.discovery.Discovery;
import io.herald.mysql.MariaDbInstanceReader;
import io.herald.mysql.MariaDbReplicationControl;
import io.herald.recovery.Recoverer;
import java.util.Optional;
import io.herald.http.ApiContext;
import io.herald.http.HttpApi;
import io.herald.kv.KvStore;
import io.herald.kv.internal.InternalKvStore;
import io.herald.metrics.MetricsPublishListener;
import io.herald.metrics.RaftMetrics;
import io.herald.publish.AntiEntropy;
import io.herald.publish.DeliveryLog;
import io.herald.publish.FileDeliveryLog;
import io.herald.publish.MemoryDeliveryLog;
import io.herald.publish.StorePublisher;
import io.herald.publish.StoreStatus;
import io.herald.raft.DesiredState;
import io.herald.raft.RaftOptions;
import io.herald.raft.RatisNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds one Herald node from its configuration, starts the parts in dependency order
 * (stores and publishers, then raft, which replays into them, then the API) and closes them in reverse.
 */
public final class HeraldNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeraldNode.class);
  private final HeraldConfig config;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final DesiredState state = new DesiredState();
  private final InternalKvStore internal = new InternalKvStore();
  private final List<StorePublisher> publishers = new ArrayList<>();
  /** Set once by start(), before raft applies anything; read by publisher threads. */
  private volatile RatisNode raft;
  private int httpPort;
  private List<String> httpWriteRoutes = List.of();
  /** Set once by start() when discovery is configured. */
  private volatile Optional<Discovery> discovery = Optional.empty();
  /** Set once by start() when discovery is configured: failed masters are recovered only where they are seen. */
  private volatile Optional<Recoverer> recoverer = Optional.empty();

  private final java.util.function.Consumer<String> onFatal;
  /** Set once by start(). */
  private volatile NodeHealth health;

  public HeraldNode(HeraldConfig config) {
    this(config, why -> { });
  }

  /**
   * @param onFatal called once (on a health thread) when the node cannot recover without a restart, with the reason;
   *     the server command exits non-zero then
   */
  public HeraldNode(HeraldConfig config, java.util.function.Consumer<String> onFatal) {
    this.config = config;
    this.onFatal = onFatal;
  }

  public void start() throws IOException {
    try {
      startParts();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void startParts() throws IOException {
    for (String w : config.warnings()) LOG.warn(w);
    Path data = config.raft().dataDir().toAbsolutePath();
    createDataDir(data);
    started.push(DataDirLock.acquire(data)); // released last, after everything that writes under it
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MetricsPublishListener metrics = new MetricsPublishListener(registry);

    List<KvStore> stores = new ArrayList<>();
    stores.add(internal);
    stores.addAll(new StoreFactory().build(config));
    for (KvStore store : stores) {
      DeliveryLog log = store == internal ? new MemoryDeliveryLog()
          : FileDeliveryLog.open(data.resolve("delivery").resolve(store.name() + ".log"));
      StorePublisher p = new StorePublisher(store, config.layout(), log, config.publish(), metrics, Clock.systemUTC(),
          this::catchingUp, this::epochBound);
      publishers.add(p);
      metrics.watch(store.name(), p::status);
      p.start();
      started.push(p);
      LOG.info("store {}: {} at {}", store.name(), store.kind(), store.address());
    }

    DelegatingStateListener fanout = new DelegatingStateListener(publishers);
    RaftOptions raftOptions = raftOptions();
    raft = new RatisNode(raftOptions, state, fanout);
    raft.start();
    started.push(raft);
    RaftMetrics.watch(registry, raft::status, raftOptions.peers(), raftOptions.transport());

    health = new NodeHealth(raft, data, onFatal);
    started.push(health); // pushed before it starts, so a failure further on still stops its thread
    health.start();
    NodeHealth h = health;
    io.micrometer.core.instrument.Gauge.builder("herald.node.healthy", () -> h.problems().isEmpty() ? 1 : 0)
        .description("1 when /api/health answers 200: raft running with a leader, log open, applying, disk writable")
        .register(registry);

    for (io.herald.raft.Recovery.State st : io.herald.raft.Recovery.State.values()) {
      io.micrometer.core.instrument.Gauge.builder("herald.recoveries", state,
              x -> x.recoveries().stream().filter(r -> r.state() == st).count())
          .tag("state", st.name().toLowerCase(java.util.Locale.ROOT))
          .description("master recoveries recorded by the group (the latest 1000), by state").register(registry);
    }
    io.micrometer.core.instrument.Gauge.builder("herald.recovery.last.duration.seconds", state,
            x -> x.recoveries().stream().filter(r -> !r.active()).findFirst()
                .map(r -> (r.endedAt() - r.startedAt()) / 1000.0).orElse(0.0))
        .description("how long the latest ended recovery took, from its begin to its end").register(registry);
    AntiEntropy antiEntropy = new AntiEntropy(state::clusters, publishers, config.publish().antiEntropyInterval());
    antiEntropy.start();
    started.push(antiEntropy);

    DnsAddressResolver resolver = new DnsAddressResolver(config.resolveTimeout());
    started.push(resolver);
    if (config.mysql().isPresent()) {
      Discovery d = new Discovery(config.discovery(), new MariaDbInstanceReader(config.mysql().get()), state, raft,
          resolver, config.analysis(), Clock.systemUTC());
      started.push(d);
      d.start();
      discovery = Optional.of(d);
      Recoverer rec = new Recoverer(config.recovery(), state, raft, d::view,
          new MariaDbReplicationControl(config.mysql().get()), resolver, Clock.systemUTC());
      started.push(rec);
      rec.start();
      recoverer = Optional.of(rec);
      io.micrometer.core.instrument.FunctionCounter.builder("herald.failure.detections", rec, Recoverer::detections)
          .description("dead masters this node saw confirmed by a majority of the group while it led (one per epoch)")
          .register(registry);
    } else {
      io.herald.recovery.UndrivableRecoveries undrivable = new io.herald.recovery.UndrivableRecoveries(state, raft, Clock.systemUTC());
      started.push(undrivable);
      undrivable.start();
    }
    HttpApi http = new HttpApi(new ApiContext(raft, state, config.layout(), this::storeStatus, internal, resolver,
        registry::scrape, config.http(), raftOptions.transport(), discovery, health::problems,
        config.recovery().blockPeriod()));
    httpPort = http.start();
    httpWriteRoutes = http.writeRoutes();
    started.push(http);
  }

  /**
   * Creates RaftDataDir, failing with one line that says what failed and which file: an operating system's own
   * message names only the path.
   */
  static void createDataDir(Path data) throws IOException {
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw new IOException("RaftDataDir " + data + " is a file, not a directory");
    }
    try {
      Files.createDirectories(data);
    } catch (java.nio.file.FileSystemException e) {
      throw new IOException("cannot create RaftDataDir " + data + ": " + reason(e), e);
    }
  }

  /** Why a file operation failed, in words (AccessDeniedException and friends carry only the path). */
  static String reason(java.nio.file.FileSystemException e) {
    if (e.getReason() != null) return (e.getFile() != null && !e.getFile().equals(e.getReason()) ? e.getFile() + ": " : "") + e.getReason();
    if (e instanceof java.nio.file.AccessDeniedException) return e.getFile() + ": Permission denied";
    if (e instanceof java.nio.file.FileAlreadyExistsException) return e.getFile() + " exists and is not a directory";
    if (e instanceof java.nio.file.NotDirectoryException) return e.getFile() + " is not a directory";
    if (e instanceof java.nio.file.NoSuchFileException) return e.getFile() + ": no such file or directory";
    return e.getFile() + ": " + e.getClass().getSimpleName();
  }

  /** A standalone node listens for raft on a free loopback port: nothing else needs to reach it. */
  private RaftOptions raftOptions() throws IOException {
    RaftOptions o = config.raft();
    if (!o.standalone()) return o;
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      port = s.getLocalPort();
    }
    return o.at("127.0.0.1:" + port);
  }

  /**
   * Above any epoch the group can have issued: epochs are at most the largest issued so far or a proposer's clock in
   * microseconds (allowing a day of clock skew), so a delivery record above this is corrupt.
   */
  private long epochBound() {
    return Math.max(state.lastEpoch(), Math.multiplyExact(System.currentTimeMillis() + 86_400_000L, 1000L));
  }

  private boolean catchingUp() {
    RatisNode r = raft;
    return r != null && r.catchingUp();
  }

  public List<StoreStatus> storeStatus() {
    return publishers.stream().map(StorePublisher::status).toList();
  }

  /** This node's discovery, when {@code MySQLTopologyUser} is configured. */
  public Optional<Discovery> discovery() {
    return discovery;
  }

  /** This node's raft (started by {@link #start}): what an embedding program or a test submits commands through. */
  public io.herald.raft.RaftNode raft() {
    return raft;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The HTTP routes that need credentials when basic auth is on, as {@code METHOD path-template}. */
  public List<String> httpWriteRoutes() {
    return httpWriteRoutes;
  }

  /** Closes everything started, newest first; errors are logged, not thrown, so that every part gets closed. */
  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable c = started.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
