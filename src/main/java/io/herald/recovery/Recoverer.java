package io.herald.recovery;

import io.herald.cluster.AddressResolver;
import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.discovery.DiscoveryView;
import io.herald.mysql.ReplicationControl;
import io.herald.raft.Command;
import io.herald.raft.DesiredState;
import io.herald.raft.FailureReport;
import io.herald.raft.RaftNode;
import io.herald.raft.RaftStatus;
import io.herald.raft.Recovery;
import io.herald.topology.ClusterTree;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of recoveries. Every {@value #TICK_MILLIS} ms, on the raft leader only: it drives every active
 * recovery this node is not driving yet (one it began, one an operator asked for on any node, or one a deposed
 * leader left half-way), begins an automatic recovery of each cluster whose master a majority of the group reports
 * dead at its current epoch (when recoveries are enabled, the cluster matches {@code RecoverMasterClusterFilters},
 * its master is not downtimed and no recent recovery blocks it; the state machine checks all of that again but the
 * filters, which are this node's configuration), and
 * fences deposed masters. A recovery is begun by a {@link Command.BeginRecovery} committed by any node; this loop
 * runs it, so a new leader resumes what its predecessor began.
 *
 * <p>Lifecycle: construct (no I/O), {@link #start()}, {@link #close()} (closes the replication control too).
 */
public final class Recoverer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Recoverer.class);
  static final long TICK_MILLIS = 200;
  /** A run that stopped is not started again within this long (a commit failing over and over). */
  private static final long RESTART_MILLIS = 1000;
  private final RecoveryContext ctx;
  private final Fence fence;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(named("recovery-watch"));
  private final ExecutorService runs = Executors.newCachedThreadPool(named("recovery-run"));
  /** Clusters whose recovery this node is driving now. */
  private final Set<Alias> running = ConcurrentHashMap.newKeySet();
  private final Map<Alias, Long> lastStart = new ConcurrentHashMap<>();
  /** Per cluster, the last reason an automatic recovery was not begun (logged once until it changes). */
  private final Map<Alias, String> held = new ConcurrentHashMap<>();
  /** The epoch of each cluster's last detection (OnFailureDetectionProcesses run once per detection). */
  private final Map<Alias, Long> detected = new ConcurrentHashMap<>();
  private final Set<Alias> beginning = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.LongAdder detections = new java.util.concurrent.atomic.LongAdder();
  /** How long a new leader (or a node just started) waits before it judges: three probe rounds at 1 s. */
  static final long WARMUP_MILLIS = 3000;
  private final java.util.concurrent.atomic.AtomicBoolean fencing = new java.util.concurrent.atomic.AtomicBoolean();
  /** The term this node leads in (-1 when not leading) and since when; loop thread only. */
  private long leaderTerm = -1;
  private long leaderSince;

  public Recoverer(RecoveryOptions options, DesiredState desired, RaftNode raft, Supplier<DiscoveryView> view,
      ReplicationControl control, AddressResolver resolver, Clock clock) {
    ExecutorService io = Executors.newCachedThreadPool(named("recovery-io"));
    this.ctx = new RecoveryContext(options, desired, raft, view, control, resolver, clock,
        new HookProcesses(options.hooks().timeout()), io);
    this.fence = new Fence(ctx);
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public void start() {
    loop.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      RaftStatus status = ctx.raft().status();
      if (!status.isLeader()) {
        leaderTerm = -1;
        return;
      }
      long now = ctx.clock().millis();
      if (status.term() != leaderTerm) {
        leaderTerm = status.term();
        leaderSince = now;
      }
      // a node that just started or just became leader judges only once its probes have gone round: an empty view
      // would abort a recovery ("no replica") that then blocks automatic ones for RecoveryPeriodBlockSeconds
      if (now - leaderSince < WARMUP_MILLIS) return;
      for (Recovery r : ctx.desired().activeRecoveries()) drive(r, status.term());
      DiscoveryView view = ctx.view().get();
      for (Cluster c : List.copyOf(ctx.desired().clusters())) considerAutomatic(c, status, view);
      if (fencing.compareAndSet(false, true)) {
        // JDBC to servers that may hang: off this thread, one pass at a time
        ctx.io().execute(() -> {
          try {
            fence.check(view.topology());
          } catch (RuntimeException e) {
            LOG.debug("recovery: fence pass stopped: {}", e.toString());
          } finally {
            fencing.set(false);
          }
        });
      }
    } catch (RecoveryContext.Deposed e) {
      // lost the leadership during the pass: the next leader's loop goes on
    } catch (RuntimeException e) {
      LOG.warn("recovery: check failed (retried): {}", e.toString());
    }
  }

  private void drive(Recovery r, long term) {
    if (running.contains(r.alias())) return;
    long now = ctx.clock().millis();
    Long last = lastStart.get(r.alias());
    if (last != null && now - last < RESTART_MILLIS) return;
    if (!running.add(r.alias())) return;
    lastStart.put(r.alias(), now);
    Runnable work = r.kind() == Recovery.Kind.GRACEFUL ? new TakeoverRun(ctx, r.alias(), r.id(), term)::run
        : new FailoverRun(ctx, r.alias(), r.id(), term)::run;
    runs.execute(() -> {
      try {
        work.run();
      } finally {
        running.remove(r.alias());
      }
    });
  }

  private void considerAutomatic(Cluster c, RaftStatus status, DiscoveryView view) {
    Alias alias = c.alias();
    if (ctx.desired().activeRecovery(alias).isPresent() || beginning.contains(alias)) return;
    if (!ctx.desired().deadMasterQuorum(alias, status.peers())) {
      held.remove(alias);
      return;
    }
    String analysis = analysis(alias, c.epoch());
    if (!Long.valueOf(c.epoch()).equals(detected.put(alias, c.epoch()))) {
      detections.increment();
      LOG.warn("cluster {}: a majority of the group reports its master {} dead ({}) at epoch {}", alias,
          c.master().address(), analysis, c.epoch());
      Recovery probe = new Recovery(0, alias, c.master().address(), c.epoch(), Recovery.Kind.AUTOMATIC, analysis,
          status.self(), ctx.clock().millis(), List.of(), Optional.empty(), false, Recovery.State.ACTIVE, 0, List.of(),
          "", "", Optional.empty());
      var values = FailoverRun.placeholders(probe, view.topology(), Optional.empty(), List.of(), false);
      if (!ctx.options().hooks().onFailureDetection().isEmpty()) {
        ctx.io().execute(() -> ctx.hooks().run("OnFailureDetectionProcesses", ctx.options().hooks().onFailureDetection(),
            values, false));
      }
    }
    String name = view.topology().clusterOf(c.master().address()).map(ClusterTree::name).orElse(c.master().address().toString());
    long now = ctx.clock().millis();
    String hold = null;
    if (!ctx.options().automatic(alias, name)) {
      hold = "not recovered automatically: it matches no RecoverMasterClusterFilters";
    } else if (!ctx.desired().recoveriesEnabled()) {
      hold = "not recovered: recoveries are disabled globally";
    } else if (ctx.desired().downtimes().stream().anyMatch(d -> d.instance().equals(c.master().address()) && d.activeAt(now))) {
      hold = "not recovered: its master is downtimed";
    } else {
      Optional<Recovery> b = ctx.desired().blockingRecovery(alias, now, ctx.options().blockPeriod().toMillis());
      if (b.isPresent()) {
        hold = "not recovered: recovery " + b.get().id() + " began less than " + ctx.options().blockPeriod().toSeconds()
            + " s ago (RecoveryPeriodBlockSeconds); acknowledge it to allow another";
      }
    }
    if (hold != null) {
      if (!hold.equals(held.put(alias, hold))) LOG.warn("cluster {}: master {} dead; {}", alias, c.master().address(), hold);
      return;
    }
    held.remove(alias);
    begin(c, Recovery.Kind.AUTOMATIC, analysis, status);
  }

  /** The analysis most nodes report dead at the epoch (DeadMaster unless they all say otherwise). */
  private String analysis(Alias alias, long epoch) {
    return ctx.desired().failureReports(alias).values().stream().filter(r -> r.dead() && r.epoch() == epoch)
        .map(FailureReport::analysis).sorted().findFirst().orElse("DeadMaster");
  }

  private void begin(Cluster c, Recovery.Kind kind, String analysis, RaftStatus status) {
    if (!beginning.add(c.alias())) return;
    Command.BeginRecovery b = new Command.BeginRecovery(c.alias(), c.epoch(), c.master().address(), kind, analysis,
        status.self(), status.peers(), ctx.options().blockPeriod().toMillis(), ctx.clock().millis(), Optional.empty());
    ctx.raft().submit(b).whenComplete((r, e) -> {
      beginning.remove(c.alias());
      if (e != null) {
        LOG.warn("cluster {}: recovery not begun: {}", c.alias(), e.getMessage());
      } else if (r.error().isPresent()) {
        String why = r.error().get().message();
        if (!why.equals(held.put(c.alias(), why))) LOG.warn("cluster {}: recovery refused: {}", c.alias(), why);
      } else {
        LOG.warn("cluster {}: recovery {} begun ({} of {} at epoch {})", c.alias(), r.index(), analysis,
            c.master().address(), c.epoch());
        loop.execute(this::tick);
      }
    });
  }

  /** Dead masters confirmed by a majority while this node led (OnFailureDetectionProcesses ran once for each). */
  public long detections() {
    return detections.sum();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    runs.shutdownNow();
    ctx.io().shutdownNow();
    ctx.control().close();
  }
}
