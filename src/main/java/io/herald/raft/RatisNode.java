package io.herald.raft;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import io.herald.tls.CertificateAuthority;
import io.herald.tls.NodeCertificate;
import java.time.Duration;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Herald node on Apache Ratis (gRPC transport). A write sent to any node is carried to the leader
 * ({@link RaftWrites}: on the leader itself without a network hop). A single node is a group of one.
 *
 * <p>Lifecycle: construct (no I/O), {@link #start()} once, {@link #close()} (idempotent). Thread-safe.
 */
public final class RatisNode implements RaftNode {
  private static final Logger LOG = LoggerFactory.getLogger(RatisNode.class);
  /** Every Herald group has this id, so that nodes configured alike find each other. */
  static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("herald".getBytes(StandardCharsets.UTF_8)));

  private final RaftOptions options;
  /** Ratis' minimum election timeout; the maximum is twice this. */
  static final long ELECTION_TIMEOUT_MILLIS = 600;
  private final long electionTimeoutMillis;
  private final HeraldStateMachine stateMachine;
  private final Parameters parameters;
  private final ScheduledExecutorService snapshots =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "raft-snapshot"));
  private final AtomicBoolean snapshotScheduled = new AtomicBoolean();
  /** Snapshots after changes keep the apply thread busy at most one part in this many. */
  static final long SNAPSHOT_SPACING = 20;
  /** Snapshots kept on disk; older ones are deleted after each new one. */
  static final int SNAPSHOTS_KEPT = 3;
  private final FollowerWatch followerWatch = new FollowerWatch(this::followerSilence);
  /** A raft write is tried again this long after a failed attempt (no leader, a leader change). */
  static final long WRITE_RETRY_MILLIS = 150;
  /**
   * Raft writes that may wait at once ({@link RaftWrites}); more answer 503 at once, so that a stuck group cannot take
   * every HTTP thread's memory.
   */
  static final int WRITES_WAITING = 4160;
  /** Membership changes waiting beyond the threads that run them; more answer 503 at once. */
  static final int MEMBERSHIP_QUEUE = 16;
  /** Threads that run Ratis' blocking membership changes (each bounded by the staging timeout). */
  private final java.util.concurrent.ThreadPoolExecutor membership = new java.util.concurrent.ThreadPoolExecutor(
      2, 2, 30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(MEMBERSHIP_QUEUE),
      r -> {
        Thread t = new Thread(r, "raft-membership");
        t.setDaemon(true);
        return t;
      }, (r, pool) -> {
        throw new RaftUnavailableException("too many raft membership changes waiting (" + MEMBERSHIP_QUEUE + "); try again");
      });
  {
    membership.allowCoreThreadTimeOut(true);
  }
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set once by start(). */
  private volatile RaftServer server;
  private volatile RaftClient client;
  /** This node's writes, to the leader by the shortest way. Set once by start(). */
  private volatile RaftWrites writes;
  /** One quick attempt per call, for asking the leader how far the group has committed. */
  private volatile RaftClient leaderProbe;
  /** The leader's commit index, asked on a thread of its own so that {@link #catchingUp} never waits. */
  private final LeaderCommitWatch leaderCommit = new LeaderCommitWatch(this::askLeaderCommit);

  public RatisNode(RaftOptions options, DesiredState state, StateListener listener) {
    this(options, state, listener, ELECTION_TIMEOUT_MILLIS);
  }

  /**
   * With another minimum election timeout (the leader's heartbeat comes every half of it; the first election of a
   * node waits {@link #ELECTION_TIMEOUT_MILLIS} whatever it is): for tests that must tell a prompt delivery from one
   * carried by a heartbeat.
   */
  RatisNode(RaftOptions options, DesiredState state, StateListener listener, long electionTimeoutMillis) {
    this.options = options;
    this.electionTimeoutMillis = electionTimeoutMillis;
    this.parameters = new Parameters();
    GrpcTlsConfig tls = tlsConfig(options);
    if (tls != null) GrpcConfigKeys.TLS.setConf(parameters, tls);
    this.stateMachine = new HeraldStateMachine(state, listener, this::scheduleSnapshot);
  }

  /**
   * The raft transport's TLS: the operator's certificates, or for a standalone node a CA and certificate made in
   * memory now, so that its raft port, though on loopback, takes requests from this process only; null for an
   * insecure transport.
   */
  private static GrpcTlsConfig tlsConfig(RaftOptions options) {
    switch (options.transport()) {
      case MUTUAL_TLS: {
        RaftTls t = options.tls().orElseThrow();
        return new GrpcTlsConfig(t.keyFile().toFile(), t.certFile().toFile(), t.caFile().toFile(), true);
      }
      case LOCAL_TLS: {
        CertificateAuthority ca = CertificateAuthority.create("herald-local-" + UUID.randomUUID(), Duration.ofDays(3650));
        NodeCertificate self = ca.issue("127.0.0.1", Duration.ofDays(3650));
        return new GrpcTlsConfig(self.key(), self.certificate(), ca.certificate(), true);
      }
      default:
        return null;
    }
  }

  private RaftPeerId peerId(String address) {
    // a standalone node keeps one id whatever port it gets, so its stored raft configuration stays valid
    return RaftPeerId.valueOf(options.standalone() ? "herald-local" : address.replace(':', '_'));
  }

  private RaftPeer peer(String address) {
    return RaftPeer.newBuilder().setId(peerId(address)).setAddress(address).build();
  }

  private RaftGroup group(List<String> addresses) {
    List<RaftPeer> peers = new ArrayList<>();
    for (String a : addresses) peers.add(peer(a));
    return RaftGroup.valueOf(GROUP_ID, peers);
  }

  /**
   * Herald's settings for how the leader replicates: public so that the bench's bare Ratis group
   * ({@code RatisFloorServer}) measures Ratis with exactly these, not a copy that drifts.
   */
  public static void setReplication(RaftProperties props) {
    // No commit-index metadata entry after each commit (Ratis' default adds one): it costs one more log append, fsync
    // and replication round per change. It is what told the followers at once that a change committed; the leader's
    // log appenders do that now with an empty append (CommitPushRpc): a follower applies a change one round trip
    // after the leader committed it, not at the next heartbeat (300 ms later). A restarted node still learns that its
    // logged entries are committed only from the leader: the restart wait in start() (currentTermCommitted,
    // awaitCaughtUp) covers that.
    RaftConfigKeys.Rpc.setType(props, new CommitPushRpc());
    RaftServerConfigKeys.Log.setLogMetadataEnabled(props, false);
    // Ratis' default waits 5 s between appends to a follower that failed 30 times: a node returning from a long
    // partition would sit idle for seconds; retry it every 100 ms instead (pairs of sleep and count)
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(props, "1ms,10,100ms,2147483647");
    // a node cut off and back must not disrupt a healthy leader with a higher term
    RaftServerConfigKeys.LeaderElection.setPreVote(props, true);
  }

  public void start() throws IOException {
    InetSocketAddress bind = parse(options.bind());
    RaftProperties props = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(props, List.of(options.dataDir().resolve("raft").toFile()));
    GrpcConfigKeys.Server.setHost(props, bind.getHostString());
    GrpcConfigKeys.Server.setPort(props, bind.getPort());
    RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(electionTimeoutMillis, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(2 * electionTimeoutMillis, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(props, TimeDuration.valueOf(ELECTION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(props, TimeDuration.valueOf(2 * ELECTION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, options.autoSnapshotEntries());
    // a snapshot follows every master change, however few entries came since the last one
    RaftServerConfigKeys.Snapshot.setCreationGap(props, 1);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
    // one snapshot follows every master change: keep the newest few, or the disk fills (7 MB at 100,000 clusters)
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, SNAPSHOTS_KEPT);
    RaftServerConfigKeys.Log.setSegmentSizeMax(props, org.apache.ratis.util.SizeInBytes.valueOf(options.logSegmentSize()));
    RaftServerConfigKeys.Log.setPurgeGap(props, (int) Math.min(1024, options.autoSnapshotEntries()));
    setReplication(props);
    // Ratis closes its server after a JVM pause this long (the node then needs a restart: Herald exits)
    RaftServerConfigKeys.setCloseThreshold(props, TimeDuration.valueOf(options.closeThreshold().toMillis(), TimeUnit.MILLISECONDS));
    RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(RaftWrites.STREAM_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    // a write is retried with its call id for up to the write timeout: the leader must remember its answer longer
    RaftServerConfigKeys.RetryCache.setExpiryTime(props, TimeDuration.valueOf(
        Math.max(60_000, options.writeTimeout().toMillis() + RaftWrites.ATTEMPT_MILLIS + 30_000), TimeUnit.MILLISECONDS));
    // a peer being added that does not catch up within the write timeout is given up (raft-add-peer answers 503)
    RaftServerConfigKeys.setStagingTimeout(props, TimeDuration.valueOf(
        Math.max(1000, options.writeTimeout().toMillis() - 1000), TimeUnit.MILLISECONDS));

    RaftGroup group = group(options.peers());
    boolean recovering = java.nio.file.Files.isDirectory(groupDir());
    server = RaftServer.newBuilder()
        .setServerId(peerId(options.advertise()))
        .setGroup(group)
        .setProperties(props)
        .setParameters(parameters)
        .setStateMachine(stateMachine)
        .setOption(recovering ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
    server.start();
    if (recovering && !options.standalone()) warnIfMembershipDiffers();
    client = RaftClient.newBuilder()
        .setRaftGroup(group)
        .setProperties(props)
        .setParameters(parameters)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            (int) Math.max(3, options.writeTimeout().toMillis() / WRITE_RETRY_MILLIS),
            TimeDuration.valueOf(WRITE_RETRY_MILLIS, TimeUnit.MILLISECONDS)))
        .build();
    writes = new RaftWrites(server, GROUP_ID, client.getClientRpc(), options.writeTimeout().toMillis(),
        WRITE_RETRY_MILLIS, WRITES_WAITING);
    RaftProperties probeProps = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(probeProps, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
    leaderProbe = RaftClient.newBuilder().setRaftGroup(group).setProperties(probeProps).setParameters(parameters)
        .setRetryPolicy(RetryPolicies.noRetry()).build();
    followerWatch.start();
    leaderCommit.start();
    LOG.info("raft node {} started: bind {}, peers {}, data {}, transport {}", options.advertise(), options.bind(),
        options.peers(), options.dataDir(), options.transport());
    if (recovering) awaitCaughtUp(RESTART_CATCH_UP_MILLIS); // not the write timeout: it may be shorter than an election
    if (options.transport() == RaftTransport.INSECURE) {
      LOG.warn("raft node {}: INSECURE raft transport (RaftInsecureTransport): anyone who reaches {} can change every "
          + "cluster's master; use mutual TLS (RaftTLSCertFile, RaftTLSKeyFile, RaftTLSCAFile)", options.advertise(),
          options.bind());
    }
  }

  /**
   * RaftNodes is read only when a data directory is first formatted; afterwards the group's membership is the one
   * raft stored. Say so when the two differ, rather than ignoring the changed setting silently.
   */
  private void warnIfMembershipDiffers() throws IOException {
    List<String> stored = new ArrayList<>();
    for (RaftPeer p : server.getDivision(GROUP_ID).getGroup().getPeers()) stored.add(p.getAddress());
    if (new java.util.HashSet<>(stored).equals(new java.util.HashSet<>(options.peers()))) return;
    LOG.warn("raft node {}: RaftNodes {} differs from the membership {} stored in {}; using the stored membership. "
        + "Change membership with /api/raft-add-peer/<host:port> and /api/raft-remove-peer/<host:port> on the "
        + "running group (RaftNodes is read only when RaftDataDir is empty)", options.advertise(), options.peers(),
        stored, options.dataDir());
  }

  private java.nio.file.Path groupDir() {
    return options.dataDir().resolve("raft").resolve(GROUP_ID.getUuid().toString());
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = colon <= 0 ? "0.0.0.0" : hostPort.substring(0, colon);
    return InetSocketAddress.createUnresolved(host, Integer.parseInt(hostPort.substring(colon + 1)));
  }

  @Override
  public CompletableFuture<CommandResult> submit(Command command) {
    RaftWrites w = writes;
    if (w == null || closed.get()) return CompletableFuture.failedFuture(new RaftUnavailableException("raft node is not running"));
    Message m = Message.valueOf(ByteString.copyFrom(CommandCodec.encode(command)));
    return w.send(m).handle((reply, error) -> {
      if (error != null) throw unavailable(error);
      return CommandCodec.decodeResult(reply.getMessage().getContent().toByteArray());
    });
  }

  private RaftUnavailableException unavailable(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RaftUnavailableException r) return r;
    String detail = cause instanceof TimeoutException ? "timed out" : brief(cause);
    return new RaftUnavailableException("no raft leader committed the change within about "
        + options.writeTimeout().toMillis() + " ms; is a majority of " + options.peers() + " reachable? (" + detail
        + "); the change may still be applied if it reached the leader", cause);
  }

  /**
   * A Ratis failure in a few words: Ratis' messages carry the whole request (the command's bytes in hex) and peer
   * dumps, which belong in no client's error.
   */
  static String brief(Throwable cause) {
    String m = String.valueOf(cause.getMessage());
    int cut = m.length();
    for (String marker : new String[] {"RaftClientRequest", "request=", " for ", "\n"}) {
      int at = m.indexOf(marker);
      if (at > 0) cut = Math.min(cut, at);
    }
    String text = m.substring(0, Math.min(cut, 160)).trim();
    return cause.getClass().getSimpleName() + (text.isEmpty() || text.equals("null") ? "" : ": " + text);
  }

  @Override
  public RaftStatus status() {
    RaftServer s = server;
    if (s == null || closed.get()) {
      return RaftStatus.shutdown(options.advertise(), options.peers());
    }
    try {
      RaftServer.Division d = s.getDivision(GROUP_ID);
      DivisionInfo info = d.getInfo();
      RaftPeerId leaderId = info.getLeaderId();
      Optional<String> leader = Optional.empty();
      List<String> peers = new ArrayList<>();
      for (RaftPeer p : d.getGroup().getPeers()) {
        // a standalone node's stored configuration holds the port of the run that created it: show today's
        String address = options.standalone() ? options.advertise() : p.getAddress();
        peers.add(address);
        if (p.getId().equals(leaderId)) leader = Optional.of(address);
      }
      String state = switch (info.getCurrentRole()) {
        case LEADER -> "Leader";
        case FOLLOWER -> "Follower";
        case CANDIDATE -> "Candidate";
        case LISTENER -> "Listener";
        default -> "Unknown";
      };
      boolean healthy = info.isAlive() && leader.isPresent() && (!info.isLeader() || info.isLeaderReady());
      return new RaftStatus(state, options.advertise(), leader, info.getCurrentTerm(), info.getLastAppliedIndex(),
          stateMachine.latestSnapshotIndex(), peers, healthy, stateMachine.snapshotInstalls(), followerSilence(info));
    } catch (IOException e) {
      return RaftStatus.shutdown(options.advertise(), options.peers());
    }
  }

  /** Committed entries waiting while the applied index does not move for this long: the state machine stopped. */
  static final long STALLED_APPLY_MILLIS = 10_000;
  /** Log entries appended and not flushed for this long: the log writer failed (Ratis keeps it "open"). */
  static final long UNFLUSHED_MILLIS = 10_000;
  /** The flush index last seen to move, and since when entries wait unflushed (0: none waiting). */
  private volatile long lastFlushed = -1;
  private volatile long unflushedSince;

  /**
   * True when entries have waited unflushed for {@link #UNFLUSHED_MILLIS}: after a failed write Ratis may keep its log
   * "open" while no write ever completes again, and only a restart helps.
   */
  private boolean logStuck(org.apache.ratis.server.raftlog.RaftLog log) {
    var last = log.getLastEntryTermIndex();
    long flushed = log.getFlushIndex();
    long now = System.currentTimeMillis();
    if (last == null || flushed >= last.getIndex() || flushed != lastFlushed) {
      lastFlushed = flushed;
      unflushedSince = last == null || flushed >= last.getIndex() ? 0 : now;
      return false;
    }
    if (unflushedSince == 0) unflushedSince = now;
    return now - unflushedSince > UNFLUSHED_MILLIS;
  }

  /** Catching up for longer than this is reported as behind the leader. */
  static final long BEHIND_MILLIS = 30_000;
  /** Since when problems() has seen this node catching up; 0 when not. Racy updates are harmless. */
  private volatile long catchingUpSince;
  /** Whether this node, since it started, once had applied all the group had committed. */
  private volatile boolean caughtUpOnce;
  /** The applied index last seen to move, and when (System.currentTimeMillis); racy updates are harmless. */
  private volatile long lastApplied = -1;
  private volatile long lastAppliedMoved;

  @Override
  public List<String> problems() {
    RaftServer s = server;
    if (s == null || closed.get()) return List.of("raft node is not running");
    List<String> out = new ArrayList<>();
    org.apache.ratis.util.LifeCycle.State life = s.getLifeCycleState();
    if (life != org.apache.ratis.util.LifeCycle.State.RUNNING) {
      out.add("raft server is " + life + ": Ratis closed it (for example after the JVM was paused longer than "
          + "RaftCloseThresholdSeconds); the node must be restarted");
      return out;
    }
    try {
      RaftServer.Division d = s.getDivision(GROUP_ID);
      if (!d.getRaftLog().isOpened()) {
        out.add("raft log is closed after a failed write to " + options.dataDir() + " (disk full?); the node must be "
            + "restarted once the cause is fixed");
      }
      if (logStuck(d.getRaftLog())) {
        out.add("raft log has not reached the disk for " + (System.currentTimeMillis() - unflushedSince) / 1000
            + " s (a failed write to " + options.dataDir() + ": disk full?); the node must be restarted once the cause is fixed");
      }
      long applied = d.getInfo().getLastAppliedIndex();
      long committed = d.getRaftLog().getLastCommittedIndex();
      long now = System.currentTimeMillis();
      if (applied != lastApplied || applied >= committed) {
        lastApplied = applied;
        lastAppliedMoved = now;
      } else if (now - lastAppliedMoved > STALLED_APPLY_MILLIS) {
        out.add("state machine stopped applying: at " + applied + " of " + committed + " committed entries for "
            + (now - lastAppliedMoved) / 1000 + " s");
      }
      if (d.getInfo().getLeaderId() == null) out.add("no raft leader known: is a majority of " + options.peers() + " reachable?");
      boolean behind = catchingUp();
      if (!caughtUpOnce) {
        // a node just started answers healthy only once it applied all the group committed before (its reads and
        // its stores would show older masters); afterwards only a lasting lag counts (below)
        if (caughtUp()) {
          caughtUpOnce = true;
        } else {
          out.add("starting: applying what the group committed before this node started");
        }
      }
      if (!behind) {
        catchingUpSince = 0;
      } else if (catchingUpSince == 0) {
        catchingUpSince = now;
      } else if (now - catchingUpSince > BEHIND_MILLIS) {
        out.add("behind the leader for " + (now - catchingUpSince) / 1000 + " s: this node has applied fewer entries "
            + "than the group committed (its reads and its stores lag)");
      }
    } catch (IOException | RuntimeException e) {
      out.add("raft server is not answering: " + e);
    }
    return out;
  }

  @Override
  public boolean needsRestart() {
    RaftServer s = server;
    if (s == null || closed.get()) return false;
    if (s.getLifeCycleState() != org.apache.ratis.util.LifeCycle.State.RUNNING) return true;
    try {
      var log = s.getDivision(GROUP_ID).getRaftLog();
      return !log.isOpened() || (unflushedSince > 0 && System.currentTimeMillis() - unflushedSince > UNFLUSHED_MILLIS
          && log.getFlushIndex() == lastFlushed);
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** On the leader, each follower's milliseconds since it last answered; empty on other nodes. */
  private static Map<String, Long> followerSilence(DivisionInfo info) {
    if (!info.isLeader()) return Map.of();
    Map<String, Long> silence = new HashMap<>();
    for (ServerRpcProto f : info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()) {
      silence.put(f.getId().getAddress(), f.getLastRpcElapsedTimeMs());
    }
    return silence;
  }

  /** The current {@link #followerSilence(DivisionInfo)}; empty when not running. */
  private Map<String, Long> followerSilence() {
    RaftServer s = server;
    if (s == null || closed.get()) return Map.of();
    try {
      return followerSilence(s.getDivision(GROUP_ID).getInfo());
    } catch (IOException | RuntimeException e) {
      return Map.of(); // not running yet or any more
    }
  }

  /**
   * True while this node knows of committed entries it has not applied, or the leader (as last heard, at most
   * {@link LeaderCommitWatch#FRESH} ago) has committed more than this node applied, or, on a follower, no such
   * reading exists yet (one is asked for at once): a follower only learns the leader's commit index up to the
   * entries it has received, so a node in the middle of a catch-up can look caught up between two batches. Reads
   * fields only; never blocks.
   */
  @Override
  public boolean catchingUp() {
    RaftServer s = server;
    if (s == null || closed.get()) return false;
    long applied;
    DivisionInfo info;
    try {
      RaftServer.Division d = s.getDivision(GROUP_ID);
      info = d.getInfo();
      applied = info.getLastAppliedIndex();
      long known = d.getCommitInfos().stream().mapToLong(c -> c.getCommitIndex()).max().orElse(applied);
      if (applied < known) return true;
      if (!currentTermCommitted(d, info)) return true;
    } catch (IOException | RuntimeException e) {
      // still starting (Ratis throws until its state machine updater runs): not caught up yet
      return true;
    }
    if (info.isLeader() || info.getLeaderId() == null) return false;
    OptionalLong leader = leaderCommit.commit();
    return leader.isEmpty() || applied < leader.getAsLong();
  }

  /**
   * A leader is known and this node applied all the group committed (an entry of the current term included); a
   * follower also heard the leader's commit index itself (a failed probe proves nothing).
   */
  private boolean caughtUp() {
    RaftServer s = server;
    if (s == null) return false;
    DivisionInfo info;
    try {
      info = s.getDivision(GROUP_ID).getInfo();
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (info.getLeaderId() == null) return false;
    if (!info.isLeader()) {
      OptionalLong leader = leaderCommit.commit();
      if (leader.isEmpty() || leader.getAsLong() < 0) return false;
    }
    return !catchingUp() && leaderKnown();
  }

  private boolean leaderKnown() {
    try {
      return server.getDivision(GROUP_ID).getInfo().getLeaderId() != null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** How long a restarted node waits, before it serves, to apply what the group committed before it stopped. */
  static final long RESTART_CATCH_UP_MILLIS = 10_000;

  /**
   * A restarted node knows its entries are committed only once the leader commits in the new term (there is no
   * commit-index entry in the log): it waits until it applied them, so that its API, its health and its stores
   * never show the state from before its last acknowledged changes. Without a leader (no majority up) it goes on
   * after {@code maxMillis}, serving what it applied (its snapshot and what it can confirm); health says starting.
   */
  private void awaitCaughtUp(long maxMillis) {
    long t0 = System.nanoTime();
    long deadline = t0 + maxMillis * 1_000_000L;
    while (!caughtUp() && System.nanoTime() < deadline && !closed.get()) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (!caughtUp()) {
      LOG.warn("raft node {}: not caught up with the group {} ms after the restart (no leader, or far behind): serving "
          + "anyway, what it applied so far; health says starting until it caught up", options.advertise(), ms);
    } else {
      caughtUpOnce = true;
      LOG.info("raft node {}: caught up with the group {} ms after the restart", options.advertise(), ms);
    }
  }

  /**
   * Whether an entry of the current term is committed here, so that everything before it is known committed too.
   * Until then a node that just started, or a leader just elected, may hold committed entries it does not know are
   * committed (no commit-index metadata entry in the log: a restarted node learns its commit index from the
   * leader's first commit in the new term), so it is catching up and its health waits.
   */
  private static boolean currentTermCommitted(RaftServer.Division d, DivisionInfo info) {
    if (info.isLeader()) return info.isLeaderReady();
    if (info.getLeaderId() == null) return true; // no leader: its own problem, reported apart
    org.apache.ratis.server.raftlog.RaftLog log = d.getRaftLog();
    long commit = log.getLastCommittedIndex();
    org.apache.ratis.server.protocol.TermIndex at = log.getTermIndex(commit);
    if (at == null) {
      var snapshot = d.getStateMachine().getLatestSnapshot();
      at = snapshot == null || snapshot.getIndex() != commit ? null : snapshot.getTermIndex();
    }
    return at != null && at.getTerm() == info.getCurrentTerm();
  }

  /**
   * The leader's commit index, with one short attempt (up to 500 ms); -1 when this node leads, knows no leader or
   * cannot reach it. On the leader-commit watch's thread only.
   */
  private long askLeaderCommit() {
    RaftServer s = server;
    RaftClient probe = leaderProbe;
    if (s == null || probe == null || closed.get()) return -1;
    try {
      DivisionInfo info = s.getDivision(GROUP_ID).getInfo();
      RaftPeerId leader = info.getLeaderId();
      if (info.isLeader() || leader == null) return -1;
      return probe.getGroupManagementApi(leader).info(GROUP_ID).getLogInfoProto().getCommitted().getIndex();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * How long after a master change to take a snapshot: the configured delay, but at least {@link #SNAPSHOT_SPACING}
   * times what the last one took, since Ratis applies nothing while a snapshot is written. At 100,000 clusters a
   * snapshot takes about 0.1 s here, so a stream of changes snapshots every 2 s rather than every second.
   */
  static long snapshotDelayMillis(long configuredMillis, long lastSnapshotNanos) {
    return Math.max(configuredMillis, SNAPSHOT_SPACING * lastSnapshotNanos / 1_000_000);
  }

  private void scheduleSnapshot() {
    if (closed.get() || !snapshotScheduled.compareAndSet(false, true)) return;
    snapshots.schedule(() -> {
      snapshotScheduled.set(false);
      var applied = stateMachine.getLastAppliedTermIndex();
      long wanted = applied == null ? -1 : applied.getIndex();
      // Ratis' own trigger, or an operator's request, may already have covered this change
      if (stateMachine.latestSnapshotIndex() >= wanted) return;
      try {
        snapshot();
      } catch (RuntimeException e) {
        // under a stream of changes Ratis may time the request out although a snapshot past it was taken
        if (stateMachine.latestSnapshotIndex() >= wanted) return;
        LOG.warn("raft snapshot after a master change failed (the next one will cover it): {}", e.toString());
      }
    }, snapshotDelayMillis(options.snapshotDelay().toMillis(), stateMachine.lastSnapshotNanos()), TimeUnit.MILLISECONDS);
  }

  @Override
  public long snapshot() {
    RaftClient c = requireClient();
    try {
      RaftClientReply r = c.getSnapshotManagementApi(peerId(options.advertise())).create(options.writeTimeout().toMillis());
      if (!r.isSuccess()) throw new RaftUnavailableException("snapshot failed: " + r.getException());
      return r.getLogIndex();
    } catch (IOException e) {
      throw new RaftUnavailableException("snapshot failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void addPeer(String address) {
    changeMembership(address, true);
  }

  @Override
  public void removePeer(String address) {
    changeMembership(address, false);
  }

  private void changeMembership(String address, boolean add) {
    if (options.standalone()) {
      throw new IllegalArgumentException("a standalone node (RaftEnabled false) has no peers to add or remove");
    }
    RaftClient c = requireClient();
    List<String> now = new ArrayList<>(status().peers());
    if (add && now.contains(address)) return;
    if (!add && !now.contains(address)) {
      throw new MembershipRefusedException(MembershipRefusedException.Reason.NOT_A_MEMBER,
          "raft peer " + address + " is not a member of " + now);
    }
    if (!add && now.size() == 1) {
      throw new MembershipRefusedException(MembershipRefusedException.Reason.LAST_MEMBER,
          "raft peer " + address + " is the group's only member: a group cannot remove its last member");
    }
    if (add) now.add(address); else now.remove(address);
    List<RaftPeer> peers = new ArrayList<>();
    for (String a : now) peers.add(peer(a));
    // Ratis' own wait for a new peer to catch up is bounded by the staging timeout (set in start()); this bounds
    // the call itself, which the client's retries would otherwise stretch to a minute
    CompletableFuture<RaftClientReply> change = CompletableFuture.supplyAsync(() -> {
      try {
        return c.admin().setConfiguration(peers);
      } catch (IOException e) {
        throw unavailable(e);
      }
    }, membership); // refused at once (RaftUnavailableException) when too many changes wait
    RaftClientReply r;
    try {
      r = change.get(options.writeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RaftUnavailableException("interrupted while changing raft membership", e);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      change.cancel(true);
      throw new RaftUnavailableException("membership change to " + now + " not committed within about "
          + options.writeTimeout().toSeconds() + " s (" + (add ? "is " + address + " running and reachable? " : "")
          + (e.getCause() == null ? e : e.getCause().getMessage()) + ")", e);
    }
    if (!r.isSuccess()) {
      throw new RaftUnavailableException("membership change to " + now + " failed"
          + (add ? " (is " + address + " running and reachable?)" : "") + ": " + r.getException());
    }
    LOG.info("raft peer {} {}; peers now {}", address, add ? "added" : "removed", now);
  }

  private RaftClient requireClient() {
    RaftClient c = client;
    if (c == null || closed.get()) throw new RaftUnavailableException("raft node is not running");
    return c;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    snapshots.shutdownNow();
    followerWatch.close();
    leaderCommit.close();
    if (writes != null) writes.close();
    membership.shutdownNow();
    List<Exception> errors = new ArrayList<>();
    for (RaftClient c : new RaftClient[] {client, leaderProbe}) {
      try {
        if (c != null) c.close();
      } catch (IOException e) {
        errors.add(e);
      }
    }
    try {
      if (server != null) server.close();
    } catch (IOException e) {
      errors.add(e);
    }
    if (!errors.isEmpty()) LOG.warn("raft node {} closed with errors: {}", options.advertise(), errors);
  }
}
