package io.herald.raft;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.raft.CommandResult.Refusal;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import io.herald.cluster.Origin;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicated desired state: every cluster, its master and epoch. Deterministic: the same commands at the same
 * indexes give the same state on every node.
 *
 * <p>Threads: only the raft apply thread mutates (apply, load); any thread may read. Readers see each cluster's
 * latest immutable {@link Cluster} value; a reader iterating {@link #clusters()} during an apply may see some
 * clusters before and some after it.
 */
public final class DesiredState {
  /** Guarded by the apply thread for writes; concurrent for readers. */
  private final Map<Alias, Cluster> clusters = new ConcurrentHashMap<>();
  /** Which cluster each master belongs to; apply thread only. */
  private final Map<HostPort, Alias> masters = new HashMap<>();
  /** The group's discovery seeds ({@code discover}); written by the apply thread, read by any. */
  private final Set<HostPort> seeds = ConcurrentHashMap.newKeySet();
  /** Each node's latest failure report per cluster; written by the apply thread, read by any. */
  private final Map<Alias, Map<String, FailureReport>> reports = new ConcurrentHashMap<>();
  /** Downtimes and promotion rules by instance; written by the apply thread, read by any. */
  private final Map<HostPort, Downtime> downtimes = new ConcurrentHashMap<>();
  private final Map<HostPort, Candidate> candidates = new ConcurrentHashMap<>();
  /** Global recoveries switch; written by the apply thread. */
  private volatile boolean recoveriesEnabled = true;
  /** The largest epoch issued so far (written by the apply thread, in snapshots; read by publishers): every new epoch is above it. */
  private volatile long lastEpoch;
  /** Master recoveries, active and ended. */
  private final RecoveryBook recoveries = new RecoveryBook();
  /** Instances forgotten, each with the log index it was forgotten at; written by the apply thread. */
  private final Map<HostPort, Long> forgotten = new ConcurrentHashMap<>();

  public Optional<Cluster> get(Alias alias) {
    return Optional.ofNullable(clusters.get(alias));
  }

  /** A read-only live view of all clusters. */
  public Collection<Cluster> clusters() {
    return Collections.unmodifiableCollection(clusters.values());
  }

  public int size() {
    return clusters.size();
  }

  /** The discovery seeds, sorted. */
  public List<HostPort> seeds() {
    List<HostPort> list = new ArrayList<>(seeds);
    list.sort(HOST_PORT_ORDER);
    return list;
  }

  /**
   * Instances forgotten since they were last seeded, with the log index of the {@code forget}: a node drops them
   * from what it probes. A later {@code discover} of one takes it off this list.
   */
  public Map<HostPort, Long> forgotten() {
    return Collections.unmodifiableMap(forgotten);
  }

  private static final java.util.Comparator<HostPort> HOST_PORT_ORDER =
      java.util.Comparator.comparing(HostPort::host).thenComparingInt(HostPort::port);

  /** Applies a command at a log index. Never throws for bad input: it refuses. */
  public CommandResult apply(Command command, long index) {
    if (command instanceof Command.SetMaster set) {
      if (set.origin() == Origin.DISCOVERED && recoveries.active(set.alias()).isPresent()) {
        return CommandResult.refused(index, Refusal.Kind.CONFLICT, "cluster '" + set.alias() + "' is being recovered (id "
            + recoveries.active(set.alias()).get().id() + "): its recovery sets the next master");
      }
      Optional<Recovery> replaced = masters.containsKey(set.master().address()) ? Optional.empty()
          : recoveries.latestReplacing(set.master().address());
      if (set.origin() == Origin.DISCOVERED && replaced.isPresent()) {
        // a master a recovery replaced is never published again by discovery (right after a failover, observations
        // from before the promotion may still show it as the root of its replicas); an operator may set it
        return CommandResult.refused(index, Refusal.Kind.CONFLICT, set.master().address() + " was replaced by a recovery "
            + "of cluster '" + replaced.get().alias() + "'; discovery does not publish it again");
      }
      return setMaster(set, index);
    }
    if (command instanceof Command.Submit submit) return submit(submit, index);
    if (command instanceof Command.Discover d) {
      seeds.add(d.instance());
      forgotten.remove(d.instance());
      return CommandResult.applied(index, List.of());
    }
    if (command instanceof Command.Forget f) {
      for (HostPort h : f.instances()) {
        seeds.remove(h);
        forgotten.put(h, index);
      }
      return CommandResult.applied(index, List.of());
    }
    if (command instanceof Command.ReportFailure f) {
      if (clusters.get(f.alias()) == null) {
        return CommandResult.refused(index, Refusal.Kind.NOT_FOUND, "unknown cluster alias '" + f.alias() + "'");
      }
      reports.computeIfAbsent(f.alias(), a -> new ConcurrentHashMap<>())
          .put(f.node(), new FailureReport(f.node(), f.epoch(), f.analysis(), f.dead(), f.at(), index));
      return CommandResult.applied(index, List.of());
    }
    if (command instanceof Command.SetRecoveries r) {
      recoveriesEnabled = r.enabled();
      return CommandResult.applied(index, List.of());
    }
    if (command instanceof Command.BeginDowntime d) {
      downtimes.put(d.instance(), new Downtime(d.instance(), d.owner(), d.reason(), d.beginsAt(), d.endsAt()));
      return CommandResult.applied(index, List.of());
    }
    if (command instanceof Command.EndDowntime d) {
      if (downtimes.remove(d.instance()) == null) {
        return CommandResult.refused(index, Refusal.Kind.NOT_FOUND, d.instance() + " is not downtimed");
      }
      return CommandResult.applied(index, List.of());
    }
    if (command instanceof Command.RegisterCandidate c) {
      candidates.put(c.instance(), new Candidate(c.instance(), c.rule(), c.at(), c.expiresAt()));
      return CommandResult.applied(index, List.of());
    }
    if (command instanceof Command.BeginRecovery b) {
      return outcome(index, recoveries.begin(b, index, clusters.get(b.alias()), this));
    }
    if (command instanceof Command.RecoveryStep s) return outcome(index, recoveries.step(s));
    if (command instanceof Command.EndRecovery e) return endRecovery(e, index);
    if (command instanceof Command.WipeValues w) return wipeValues(w, index);
    if (command instanceof Command.CompleteRecovery c) return completeRecovery(c, index);
    if (command instanceof Command.AckRecoveries a) {
      if (a.alias().isPresent() && clusters.get(a.alias().get()) == null) {
        return CommandResult.refused(index, Refusal.Kind.NOT_FOUND, "unknown cluster alias '" + a.alias().get() + "'");
      }
      recoveries.acknowledge(a.alias(), new Recovery.Ack(a.by(), a.comment(), a.at()));
      return CommandResult.applied(index, List.of());
    }
    return adopt((Command.Adopt) command, index);
  }

  private static CommandResult outcome(long index, Optional<Refusal> refusal) {
    return refusal.map(r -> CommandResult.refused(index, r.kind(), r.message()))
        .orElseGet(() -> CommandResult.applied(index, List.of()));
  }

  /** The end of a recovery is a master change at the epoch the recovery began from, then the record closes. */
  private CommandResult completeRecovery(Command.CompleteRecovery c, long index) {
    Optional<Refusal> refused = recoveries.checkComplete(c);
    if (refused.isPresent()) return outcome(index, refused);
    Cluster current = clusters.get(c.alias());
    if (current == null) return CommandResult.refused(index, Refusal.Kind.NOT_FOUND, "unknown cluster alias '" + c.alias() + "'");
    long at = Math.min(c.at(), MAX_PROPOSED_AT);
    // wiped: the recovery's own wipe moved the epoch (any other change since would have published a master)
    long expected = current.wiped() ? current.epoch() : recoveries.fromEpoch(c.alias());
    CommandResult set = setMaster(new Command.SetMaster(c.alias(), c.successor(), current.origin(),
        java.util.OptionalLong.of(expected), at, 0), index);
    if (set.error().isPresent()) return set;
    recoveries.complete(c, set.clusters().get(0).epoch());
    return set;
  }

  /**
   * Publishes the cluster of an active failover blank at a new epoch (KVWipeValuesPreFailover), once: a wipe of a
   * cluster already wiped changes nothing. A graceful takeover is never wiped (its old master is alive and only made
   * read_only for the shortest time).
   */
  private CommandResult wipeValues(Command.WipeValues w, long index) {
    Cluster c = clusters.get(w.alias());
    if (c == null) return CommandResult.refused(index, Refusal.Kind.NOT_FOUND, "unknown cluster alias '" + w.alias() + "'");
    Optional<Recovery> r = recoveries.active(w.alias()).filter(x -> x.id() == w.id());
    if (r.isEmpty()) {
      return CommandResult.refused(index, Refusal.Kind.CONFLICT, "recovery " + w.id() + " of cluster '" + w.alias()
          + "' is not the active one");
    }
    if (r.get().kind() == Recovery.Kind.GRACEFUL) {
      return CommandResult.refused(index, Refusal.Kind.INVALID, "a graceful takeover does not wipe the published values");
    }
    if (c.wiped()) return CommandResult.applied(index, List.of());
    // only the state the recovery began from: a wiped cluster's epoch is then always its own recovery's wipe, which
    // CompleteRecovery accepts in place of the epoch it began from (an operator's change since is never wiped)
    if (c.epoch() != r.get().fromEpoch() || !c.master().address().equals(r.get().failedMaster())) {
      return CommandResult.refused(index, Refusal.Kind.CONFLICT, "cluster '" + w.alias() + "' changed since recovery "
          + w.id() + " began (epoch " + c.epoch() + ", master " + c.master().address() + "): not wiped");
    }
    long epoch = nextEpoch(Math.min(w.at(), MAX_PROPOSED_AT), 0, index, c);
    if (epoch > MAX_EPOCH) return CommandResult.refused(index, Refusal.Kind.INVALID, "epoch " + epoch + " would pass " + MAX_EPOCH);
    Cluster blank = c.wipedAt(epoch);
    lastEpoch = epoch;
    clusters.put(w.alias(), blank);
    recoveries.note(w.alias(), new Recovery.Step(w.at(), "published blank values at epoch " + epoch
        + " (KVWipeValuesPreFailover)"));
    return CommandResult.applied(index, List.of(blank));
  }

  /** Ends a recovery without a successor; a cluster it wiped gets its recorded master published again. */
  private CommandResult endRecovery(Command.EndRecovery e, long index) {
    Cluster c = clusters.get(e.alias());
    boolean restore = c != null && c.wiped() && recoveries.active(e.alias()).filter(r -> r.id() == e.id()).isPresent();
    long epoch = restore ? nextEpoch(Math.min(e.at(), MAX_PROPOSED_AT), 0, index, c) : 0;
    if (epoch > MAX_EPOCH) restore = false; // never in practice (a clock in year 70,000); the end must not be refused
    Optional<Refusal> refused = recoveries.end(e, restore ? "; " + c.master().address() + " published again at epoch "
        + epoch : "");
    if (refused.isPresent() || !restore) return outcome(index, refused);
    Cluster back = c.restoredAt(epoch);
    lastEpoch = epoch;
    clusters.put(e.alias(), back);
    return CommandResult.applied(index, List.of(back));
  }

  /** The active recovery of a cluster, if any. */
  public Optional<Recovery> activeRecovery(Alias alias) {
    return recoveries.active(alias);
  }

  /** Every recovery recorded (the active ones and the latest ended ones), newest first. */
  public List<Recovery> recoveries() {
    return recoveries.all();
  }

  /** A recovery by id, active or among the latest ended ones. */
  public Optional<Recovery> recovery(long id) {
    return recoveries.byId(id);
  }

  /** The latest succeeded recovery that replaced {@code master} (kept among the latest ended ones), if any. */
  public Optional<Recovery> replacingRecovery(HostPort master) {
    return recoveries.latestReplacing(master);
  }

  /** Every active recovery. */
  public List<Recovery> activeRecoveries() {
    return List.copyOf(recoveries.activeAll());
  }

  /** The recovery that blocks an automatic one of the cluster at {@code at}, if any (see RecoveryPeriodBlockSeconds). */
  public Optional<Recovery> blockingRecovery(Alias alias, long at, long blockMillis) {
    return recoveries.blocking(alias, at, blockMillis);
  }

  /**
   * Masters replaced by a recovery that are not any cluster's master now: the instances Herald keeps read_only
   * (an old master that comes back writable must not take writes), by the cluster whose master they were.
   */
  public Map<HostPort, Alias> deposedMasters() {
    Map<HostPort, Alias> out = new HashMap<>();
    for (Recovery r : recoveries.endedList()) {
      if (r.state() == Recovery.State.SUCCEEDED) out.put(r.failedMaster(), r.alias());
    }
    for (Cluster c : clusters.values()) out.remove(c.master().address());
    return out;
  }

  /** Every recorded downtime (ended ones stay until replaced; {@link Downtime#activeAt} tells), sorted. */
  public List<Downtime> downtimes() {
    List<Downtime> list = new ArrayList<>(downtimes.values());
    list.sort((a, b) -> HOST_PORT_ORDER.compare(a.instance(), b.instance()));
    return list;
  }

  /** Every registered promotion rule ({@link Candidate#validAt} tells whether it still holds), sorted. */
  public List<Candidate> candidates() {
    List<Candidate> list = new ArrayList<>(candidates.values());
    list.sort((a, b) -> HOST_PORT_ORDER.compare(a.instance(), b.instance()));
    return list;
  }

  /** Whether automated recoveries are enabled group-wide (orchestrator's global recoveries; enabled at first). */
  public boolean recoveriesEnabled() {
    return recoveriesEnabled;
  }

  /** Each node's latest failure report on a cluster, by node address; empty when none. */
  public Map<String, FailureReport> failureReports(Alias alias) {
    Map<String, FailureReport> r = reports.get(alias);
    return r == null ? Map.of() : Map.copyOf(r);
  }

  /**
   * Whether a majority of {@code peers} (the group's members) report the cluster's master dead at its current epoch:
   * the condition for the leader to fail it over. Reports of older epochs, or of nodes no longer members, do not count.
   */
  public boolean deadMasterQuorum(Alias alias, List<String> peers) {
    Cluster c = clusters.get(alias);
    if (c == null || peers.isEmpty()) return false;
    Map<String, FailureReport> r = failureReports(alias);
    List<String> members = peers.stream().distinct().toList();
    long dead = members.stream().map(r::get).filter(x -> x != null && x.dead() && x.epoch() == c.epoch()).count();
    return dead > members.size() / 2;
  }

  private CommandResult adopt(Command.Adopt adopt, long index) {
    Cluster c = clusters.get(adopt.alias());
    if (c == null) return CommandResult.refused(index, Refusal.Kind.NOT_FOUND, "unknown cluster alias '" + adopt.alias() + "'");
    Cluster next = c.withOrigin(Origin.DISCOVERED);
    clusters.put(c.alias(), next);
    return CommandResult.applied(index, List.of(next));
  }

  private CommandResult submit(Command.Submit submit, long index) {
    if (submit.alias().isPresent()) {
      Alias a = submit.alias().get();
      Cluster c = clusters.get(a);
      if (c == null) return CommandResult.refused(index, Refusal.Kind.NOT_FOUND, "unknown cluster alias '" + a + "'");
      Cluster marked = c.withSubmitted(index);
      clusters.put(a, marked);
      return CommandResult.applied(index, List.of(marked));
    }
    List<Cluster> all = new ArrayList<>(clusters.size());
    for (Cluster c : clusters.values()) {
      Cluster marked = c.withSubmitted(index);
      clusters.put(c.alias(), marked);
      all.add(marked);
    }
    all.sort((x, y) -> x.alias().compareTo(y.alias()));
    return CommandResult.applied(index, all);
  }

  private CommandResult setMaster(Command.SetMaster set, long index) {
    Cluster current = clusters.get(set.alias());
    if (set.ifEpoch().isPresent()) {
      long have = current == null ? 0 : current.epoch();
      if (have != set.ifEpoch().getAsLong()) {
        return CommandResult.refused(index, Refusal.Kind.CONFLICT, "cluster '" + set.alias() + "' is at epoch " + have
            + ", not " + set.ifEpoch().getAsLong() + ": the change was decided on an older state");
      }
    }
    if (set.origin() == Origin.DISCOVERED && current != null && current.origin() == Origin.DECLARED) {
      return CommandResult.refused(index, Refusal.Kind.CONFLICT, "cluster '" + set.alias() + "' is declared by an "
          + "operator; discovery does not change it until it is handed over (adopt-cluster)");
    }
    HostPort address = set.master().address();
    Alias owner = masters.get(address);
    if (owner != null && !owner.equals(set.alias())) {
      // two clusters publishing one master would hand both clusters' clients the same server (orchestrator #483)
      return CommandResult.refused(index, Refusal.Kind.CONFLICT,
          address + " is already the master of cluster '" + owner + "'; one server cannot be the master of two clusters");
    }
    Cluster previous = clusters.get(set.alias());
    long epoch = nextEpoch(set, index, previous);
    if (epoch > MAX_EPOCH) {
      return CommandResult.refused(index, Refusal.Kind.INVALID, "epoch " + epoch + " would pass the largest Herald issues ("
          + MAX_EPOCH + ")");
    }
    if (previous != null) masters.remove(previous.master().address());
    lastEpoch = epoch;
    Cluster next = new Cluster(set.alias(), set.master(), epoch, previous == null ? 0 : previous.submitted(), set.origin());
    clusters.put(set.alias(), next);
    masters.put(address, set.alias());
    return CommandResult.applied(index, List.of(next));
  }

  /**
   * The epoch of a master change: above every epoch issued before, at least the proposer's clock in microsecond
   * units, and above a take-over's minimum; a change from before epochs followed the clock gets its log index.
   */
  private long nextEpoch(Command.SetMaster set, long index, Cluster previous) {
    return nextEpoch(set.proposedAt(), set.minEpoch(), index, previous);
  }

  private long nextEpoch(long proposedAt, long minEpoch, long index, Cluster previous) {
    // the codec bounds proposedAt and minEpoch, and MAX_EPOCH bounds the epochs issued: no overflow here
    long base = proposedAt > 0 ? proposedAt * 1000L : index;
    long epoch = Math.max(Math.max(lastEpoch + 1, base), minEpoch + 1);
    return previous == null ? epoch : Math.max(epoch, previous.epoch() + 1);
  }

  /**
   * The largest epoch Herald issues: a quarter of the long range, so that epochs never wrap (a take-over above a
   * hand-written 9223372036854775807 would otherwise overflow and go back in time).
   */
  public static final long MAX_EPOCH = Long.MAX_VALUE / 4;
  /** The latest proposer clock a command may carry (year 9999), so that clock x 1000 stays below MAX_EPOCH. */
  public static final long MAX_PROPOSED_AT = 253_402_300_799_999L;

  /** The largest epoch issued so far (0 before the first change). */
  public long lastEpoch() {
    return lastEpoch;
  }

  /**
   * Snapshots from version 2 on start with a negative marker; version 1 started with the cluster count. Version 7
   * (clusters with the wiped flag) is written only when a cluster is wiped, version 6 otherwise.
   */
  private static final int VERSION_MARKER = -7;

  /** Writes every cluster sorted by alias, then the seeds and forgotten instances sorted: equal states, equal bytes. */
  public void writeTo(DataOutput out) throws IOException {
    List<Cluster> sorted = new ArrayList<>(clusters.values());
    sorted.sort((x, y) -> x.alias().compareTo(y.alias()));
    // version 7 only when a cluster is wiped: a node of the version before installs every other snapshot
    boolean wiped = sorted.stream().anyMatch(Cluster::wiped);
    out.writeInt(wiped ? VERSION_MARKER : VERSION_MARKER + 1);
    out.writeInt(sorted.size());
    for (Cluster c : sorted) CommandCodec.writeCluster(out, c, wiped ? 4 : 3);
    List<HostPort> s = seeds();
    out.writeInt(s.size());
    for (HostPort h : s) CommandCodec.writeHostPort(out, h);
    List<HostPort> f = new ArrayList<>(forgotten.keySet());
    f.sort(HOST_PORT_ORDER);
    out.writeInt(f.size());
    for (HostPort h : f) {
      CommandCodec.writeHostPort(out, h);
      out.writeLong(forgotten.get(h));
    }
    out.writeLong(lastEpoch);
    out.writeBoolean(recoveriesEnabled);
    List<Alias> withReports = new ArrayList<>(reports.keySet());
    withReports.sort(null);
    out.writeInt(withReports.size());
    for (Alias a : withReports) {
      List<FailureReport> rs = new ArrayList<>(reports.get(a).values());
      rs.sort(java.util.Comparator.comparing(FailureReport::node));
      out.writeUTF(a.value());
      out.writeInt(rs.size());
      for (FailureReport r : rs) {
        out.writeUTF(r.node());
        out.writeLong(r.epoch());
        out.writeUTF(r.analysis());
        out.writeBoolean(r.dead());
        out.writeLong(r.at());
        out.writeLong(r.index());
      }
    }
    List<Downtime> ds = downtimes();
    out.writeInt(ds.size());
    for (Downtime d : ds) {
      CommandCodec.writeHostPort(out, d.instance());
      out.writeUTF(d.owner());
      out.writeUTF(d.reason());
      out.writeLong(d.beginsAt());
      out.writeLong(d.endsAt());
    }
    List<Candidate> cs = candidates();
    out.writeInt(cs.size());
    for (Candidate c : cs) {
      CommandCodec.writeHostPort(out, c.instance());
      out.writeByte(c.rule().ordinal());
      out.writeLong(c.at());
      out.writeLong(c.expiresAt());
    }
    recoveries.writeTo(out);
  }

  /** Replaces the whole state with what {@link #writeTo} (of this or an earlier version) wrote. */
  public void readFrom(DataInput in) throws IOException {
    int first = in.readInt();
    int version = first >= 0 ? 1 : -first;
    if (version > 7) throw new IOException("snapshot of an unknown version " + version);
    int n = version == 1 ? first : in.readInt();
    Map<Alias, Cluster> loaded = new HashMap<>(Math.max(16, Math.min(n, 1 << 20) * 2));
    // clusters in the codec's layout: snapshots 1 and 2 as codec 1 and 2, 3 to 6 as 3, 7 as 4 (the wiped flag)
    int clusterLayout = version >= 7 ? 4 : Math.min(version, 3);
    for (int i = 0; i < n; i++) {
      Cluster c = CommandCodec.readCluster(in, clusterLayout);
      loaded.put(c.alias(), c);
    }
    Set<HostPort> loadedSeeds = new HashSet<>();
    Map<HostPort, Long> loadedForgotten = new HashMap<>();
    if (version >= 2) {
      for (int i = in.readInt(); i > 0; i--) loadedSeeds.add(CommandCodec.readHostPort(in));
      for (int i = in.readInt(); i > 0; i--) loadedForgotten.put(CommandCodec.readHostPort(in), in.readLong());
    }
    long loadedLast = version >= 3 ? in.readLong() : 0;
    boolean loadedRecoveries = version < 4 || in.readBoolean();
    Map<Alias, Map<String, FailureReport>> loadedReports = new HashMap<>();
    if (version >= 4) {
      for (int i = in.readInt(); i > 0; i--) {
        Alias a = new Alias(in.readUTF());
        Map<String, FailureReport> rs = new ConcurrentHashMap<>();
        for (int j = in.readInt(); j > 0; j--) {
          FailureReport r = new FailureReport(in.readUTF(), in.readLong(), in.readUTF(), in.readBoolean(), in.readLong(), in.readLong());
          rs.put(r.node(), r);
        }
        loadedReports.put(a, rs);
      }
    }
    for (Cluster c : loaded.values()) loadedLast = Math.max(loadedLast, c.epoch());
    // readers (API, anti-entropy, discovery) must never see an empty state while a snapshot is installed
    clusters.keySet().retainAll(loaded.keySet());
    clusters.putAll(loaded);
    masters.clear();
    seeds.clear();
    forgotten.clear();
    for (Cluster c : loaded.values()) masters.put(c.master().address(), c.alias());
    seeds.addAll(loadedSeeds);
    forgotten.putAll(loadedForgotten);
    Map<HostPort, Downtime> loadedDowntimes = new HashMap<>();
    Map<HostPort, Candidate> loadedCandidates = new HashMap<>();
    if (version >= 5) {
      for (int i = in.readInt(); i > 0; i--) {
        Downtime d = new Downtime(CommandCodec.readHostPort(in), in.readUTF(), in.readUTF(), in.readLong(), in.readLong());
        loadedDowntimes.put(d.instance(), d);
      }
      for (int i = in.readInt(); i > 0; i--) {
        HostPort h = CommandCodec.readHostPort(in);
        int rule = in.readUnsignedByte();
        if (rule >= io.herald.cluster.PromotionRule.values().length) throw new IOException("snapshot: bad promotion rule " + rule);
        loadedCandidates.put(h, new Candidate(h, io.herald.cluster.PromotionRule.values()[rule], in.readLong(), in.readLong()));
      }
    }
    downtimes.clear();
    downtimes.putAll(loadedDowntimes);
    candidates.clear();
    candidates.putAll(loadedCandidates);
    if (version >= 6) {
      recoveries.readFrom(in);
    } else {
      recoveries.clear();
    }
    lastEpoch = loadedLast;
    recoveriesEnabled = loadedRecoveries;
    reports.clear();
    reports.putAll(loadedReports);
  }
}
