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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicated record of master recoveries: the active one of each cluster and the latest ended ones. Part of the
 * {@link DesiredState}: only the apply thread changes it; any thread reads.
 */
final class RecoveryBook {
  /** How many ended recoveries are kept (oldest dropped first). */
  static final int HISTORY = 1000;
  private static final int MAX_STEPS = 200;
  private final Map<Alias, Recovery> active = new ConcurrentHashMap<>();
  /** Ended recoveries, oldest first; replaced whole on every change, so readers see a consistent list. */
  private volatile List<Recovery> ended = List.of();

  Optional<Recovery> active(Alias alias) {
    return Optional.ofNullable(active.get(alias));
  }

  /** Every recovery, active ones included, newest first. */
  List<Recovery> all() {
    List<Recovery> list = new ArrayList<>(ended);
    list.addAll(active.values());
    list.sort((a, b) -> Long.compare(b.id(), a.id()));
    return list;
  }

  /** A recovery by id (its log index), active or among the kept ended ones. */
  Optional<Recovery> byId(long id) {
    for (Recovery r : active.values()) if (r.id() == id) return Optional.of(r);
    List<Recovery> done = ended;
    for (int i = done.size() - 1; i >= 0; i--) if (done.get(i).id() == id) return Optional.of(done.get(i));
    return Optional.empty();
  }

  /** The latest succeeded recovery that replaced {@code master}, if one is kept. */
  Optional<Recovery> latestReplacing(HostPort master) {
    List<Recovery> done = ended;
    for (int i = done.size() - 1; i >= 0; i--) {
      Recovery r = done.get(i);
      if (r.state() == Recovery.State.SUCCEEDED && r.failedMaster().equals(master)) return Optional.of(r);
    }
    return Optional.empty();
  }

  List<Recovery> endedList() {
    return ended;
  }

  /**
   * Whether an automatic recovery of the cluster at {@code at} is blocked: an automatic recovery of it began within
   * {@code blockMillis} before and is not acknowledged. An aborted or failed one blocks too (as in orchestrator, and
   * as MaxScale suspends automatic failover after a failed one): what stopped it needs an operator's look, and an
   * automatic retry every moment would flood the log.
   */
  Optional<Recovery> blocking(Alias alias, long at, long blockMillis) {
    for (int i = ended.size() - 1; i >= 0; i--) {
      Recovery r = ended.get(i);
      // an operator's recover, force-master-failover or takeover was watched as it ran: it never blocks
      if (!r.alias().equals(alias) || r.ack().isPresent() || r.kind() != Recovery.Kind.AUTOMATIC) continue;
      if (r.startedAt() + blockMillis > at) return Optional.of(r);
    }
    return Optional.empty();
  }

  Optional<Refusal> begin(Command.BeginRecovery b, long index, Cluster cluster, DesiredState state) {
    if (cluster == null) return refusal(Refusal.Kind.NOT_FOUND, "unknown cluster alias '" + b.alias() + "'");
    if (cluster.epoch() != b.fromEpoch() || !cluster.master().address().equals(b.failedMaster())) {
      return refusal(Refusal.Kind.CONFLICT, "cluster '" + b.alias() + "' is at epoch " + cluster.epoch() + " with master "
          + cluster.master().address() + ", not " + b.fromEpoch() + " with " + b.failedMaster()
          + ": the recovery was decided on an older state");
    }
    Recovery running = active.get(b.alias());
    if (running != null) {
      return refusal(Refusal.Kind.CONFLICT, "a recovery of cluster '" + b.alias() + "' is in progress (id " + running.id()
          + ", begun by " + running.node() + ")");
    }
    if (b.kind() == Recovery.Kind.AUTOMATIC) {
      if (!state.recoveriesEnabled()) return refusal(Refusal.Kind.CONFLICT, "recoveries are disabled globally");
      if (state.downtimes().stream().anyMatch(d -> d.instance().equals(b.failedMaster()) && d.activeAt(b.at()))) {
        return refusal(Refusal.Kind.CONFLICT, b.failedMaster() + " is downtimed: not recovered automatically");
      }
      if (!state.deadMasterQuorum(b.alias(), b.peers())) {
        return refusal(Refusal.Kind.CONFLICT, "no majority of " + b.peers().size() + " nodes reports the master of '"
            + b.alias() + "' dead at epoch " + b.fromEpoch());
      }
      Optional<Recovery> blocker = blocking(b.alias(), b.at(), b.blockMillis());
      if (blocker.isPresent()) {
        return refusal(Refusal.Kind.CONFLICT, "cluster '" + b.alias() + "' was recovered (id " + blocker.get().id()
            + ") less than " + b.blockMillis() / 1000 + " s ago and not acknowledged (RecoveryPeriodBlockSeconds)");
      }
    } else {
      acknowledge(Optional.of(b.alias()), new Recovery.Ack(b.node(), "acknowledged by a " + b.kind().name().toLowerCase()
          + " recovery", b.at()));
    }
    active.put(b.alias(), new Recovery(index, b.alias(), b.failedMaster(), b.fromEpoch(), b.kind(), b.analysis(), b.node(),
        b.at(), List.of(new Recovery.Step(b.at(), "began: " + b.analysis() + " of " + b.failedMaster() + " at epoch "
            + b.fromEpoch() + " (" + b.node() + ")" + b.designated().map(d -> "; designated successor " + d).orElse(""))),
        b.designated(), false, Recovery.State.ACTIVE, 0, List.of(), "",
        "", Optional.empty()));
    return Optional.empty();
  }

  /** The active recovery {@code id} of the cluster, or why a step or end for it is refused. */
  private Recovery current(Alias alias, long id) {
    Recovery r = active.get(alias);
    if (r == null || r.id() != id) {
      throw new StaleRecovery("recovery " + id + " of cluster '" + alias + "' is not the active one"
          + (r == null ? " (none is)" : " (" + r.id() + " is)"));
    }
    return r;
  }

  Optional<Refusal> step(Command.RecoveryStep s) {
    try {
      Recovery r = current(s.alias(), s.id());
      if (s.successor().isPresent() && r.successor().isPresent() && !r.successor().equals(s.successor())) {
        return refusal(Refusal.Kind.CONFLICT, "recovery " + s.id() + " already chose " + r.successor().get()
            + "; it never promotes another");
      }
      if (s.promoting() && r.successor().isEmpty() && s.successor().isEmpty()) {
        return refusal(Refusal.Kind.INVALID, "a promotion needs a chosen successor");
      }
      if (r.steps().size() >= MAX_STEPS) return refusal(Refusal.Kind.CONFLICT, "recovery " + s.id() + " has too many steps");
      active.put(s.alias(), r.withStep(new Recovery.Step(s.at(), s.text()), s.successor(), s.promoting()));
      return Optional.empty();
    } catch (StaleRecovery e) {
      return refusal(Refusal.Kind.CONFLICT, e.getMessage());
    }
  }

  /** Checks a completion before the master is changed. */
  Optional<Refusal> checkComplete(Command.CompleteRecovery c) {
    try {
      Recovery r = current(c.alias(), c.id());
      if (r.successor().isEmpty()) return refusal(Refusal.Kind.INVALID, "recovery " + c.id() + " chose no successor");
      if (!r.successor().get().equals(c.successor().address())) {
        return refusal(Refusal.Kind.CONFLICT, "recovery " + c.id() + " chose " + r.successor().get() + ", not "
            + c.successor().address());
      }
      return Optional.empty();
    } catch (StaleRecovery e) {
      return refusal(Refusal.Kind.CONFLICT, e.getMessage());
    }
  }

  long fromEpoch(Alias alias) {
    return active.get(alias).fromEpoch();
  }

  /** Ends the recovery as succeeded, after its master change was applied at {@code epoch}. */
  void complete(Command.CompleteRecovery c, long epoch) {
    Recovery r = active.remove(c.alias());
    String lost = c.lostReplicas().isEmpty() ? "" : "; lost replicas " + c.lostReplicas();
    // a step is written with writeUTF (at most 65535 bytes) in snapshots: a long list stays in lostReplicas only
    if (lost.length() > 1000) lost = "; " + c.lostReplicas().size() + " lost replicas";
    close(r.ended(Recovery.State.SUCCEEDED, c.at(), Optional.of(c.successor().address()), c.lostReplicas(), c.forkPoint(),
        "", new Recovery.Step(c.at(), "published " + c.successor().address() + " at epoch " + epoch + lost)));
  }

  /** Adds a step the state machine itself records to the active recovery of the cluster (one must be active). */
  void note(Alias alias, Recovery.Step step) {
    Recovery r = active.get(alias);
    if (r.steps().size() < MAX_STEPS) active.put(alias, r.withStep(step, Optional.empty(), r.promoting()));
  }

  /** Ends the recovery without a successor; {@code outcome} is added to its last step. */
  Optional<Refusal> end(Command.EndRecovery e, String outcome) {
    try {
      Recovery r = current(e.alias(), e.id());
      active.remove(e.alias());
      boolean failed = e.changedServers() || r.promoting();
      close(r.ended(failed ? Recovery.State.FAILED : Recovery.State.ABORTED, e.at(), Optional.empty(), List.of(),
          r.forkPoint(), e.reason(), new Recovery.Step(e.at(), (failed ? "failed: " : "aborted: ") + e.reason() + outcome)));
      return Optional.empty();
    } catch (StaleRecovery x) {
      return refusal(Refusal.Kind.CONFLICT, x.getMessage());
    }
  }

  /** Acknowledges the ended, unacknowledged recoveries of a cluster (or all); returns how many. */
  int acknowledge(Optional<Alias> alias, Recovery.Ack ack) {
    int n = 0;
    List<Recovery> next = new ArrayList<>(ended.size());
    for (Recovery r : ended) {
      if (r.ack().isEmpty() && (alias.isEmpty() || alias.get().equals(r.alias()))) {
        next.add(r.acknowledged(ack));
        n++;
      } else {
        next.add(r);
      }
    }
    if (n > 0) ended = List.copyOf(next);
    return n;
  }

  private void close(Recovery r) {
    List<Recovery> next = new ArrayList<>(ended);
    next.add(r);
    while (next.size() > HISTORY) next.remove(0);
    ended = List.copyOf(next);
  }

  private static Optional<Refusal> refusal(Refusal.Kind kind, String message) {
    return Optional.of(new Refusal(kind, message));
  }

  private static final class StaleRecovery extends RuntimeException {
    StaleRecovery(String message) {
      super(message, null, false, false);
    }
  }

  void writeTo(DataOutput out) throws IOException {
    List<Recovery> running = new ArrayList<>(active.values());
    running.sort((a, b) -> a.alias().compareTo(b.alias()));
    out.writeInt(running.size());
    for (Recovery r : running) write(out, r);
    List<Recovery> done = ended;
    out.writeInt(done.size());
    for (Recovery r : done) write(out, r);
  }

  void readFrom(DataInput in) throws IOException {
    Map<Alias, Recovery> a = new HashMap<>();
    for (int i = count(in, 10_000_000); i > 0; i--) { // at most one per cluster
      Recovery r = read(in);
      a.put(r.alias(), r);
    }
    List<Recovery> e = new ArrayList<>();
    for (int i = count(in, HISTORY); i > 0; i--) e.add(read(in));
    active.clear();
    active.putAll(a);
    ended = List.copyOf(e);
  }

  void clear() {
    active.clear();
    ended = List.of();
  }

  Collection<Recovery> activeAll() {
    return active.values();
  }

  private static int count(DataInput in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) throw new IOException("snapshot: bad recovery count " + n);
    return n;
  }

  private static void write(DataOutput out, Recovery r) throws IOException {
    out.writeLong(r.id());
    out.writeUTF(r.alias().value());
    CommandCodec.writeHostPort(out, r.failedMaster());
    out.writeLong(r.fromEpoch());
    out.writeByte(r.kind().ordinal());
    out.writeUTF(r.analysis());
    out.writeUTF(r.node());
    out.writeLong(r.startedAt());
    out.writeInt(r.steps().size());
    for (Recovery.Step s : r.steps()) {
      out.writeLong(s.at());
      out.writeUTF(s.text());
    }
    out.writeBoolean(r.successor().isPresent());
    if (r.successor().isPresent()) CommandCodec.writeHostPort(out, r.successor().get());
    out.writeBoolean(r.promoting());
    out.writeByte(r.state().ordinal());
    out.writeLong(r.endedAt());
    out.writeInt(r.lostReplicas().size());
    for (HostPort h : r.lostReplicas()) CommandCodec.writeHostPort(out, h);
    out.writeUTF(r.forkPoint());
    out.writeUTF(r.reason());
    out.writeBoolean(r.ack().isPresent());
    if (r.ack().isPresent()) {
      out.writeUTF(r.ack().get().by());
      out.writeUTF(r.ack().get().comment());
      out.writeLong(r.ack().get().at());
    }
  }

  private static Recovery read(DataInput in) throws IOException {
    long id = in.readLong();
    Alias alias = new Alias(in.readUTF());
    HostPort failed = CommandCodec.readHostPort(in);
    long from = in.readLong();
    Recovery.Kind kind = pick(Recovery.Kind.values(), in.readUnsignedByte());
    String analysis = in.readUTF();
    String node = in.readUTF();
    long started = in.readLong();
    List<Recovery.Step> steps = new ArrayList<>();
    for (int i = count(in, MAX_STEPS + 1); i > 0; i--) steps.add(new Recovery.Step(in.readLong(), in.readUTF()));
    Optional<HostPort> successor = in.readBoolean() ? Optional.of(CommandCodec.readHostPort(in)) : Optional.empty();
    boolean promoting = in.readBoolean();
    Recovery.State state = pick(Recovery.State.values(), in.readUnsignedByte());
    long endedAt = in.readLong();
    List<HostPort> lost = new ArrayList<>();
    for (int i = count(in, 10_000); i > 0; i--) lost.add(CommandCodec.readHostPort(in));
    String fork = in.readUTF();
    String reason = in.readUTF();
    Optional<Recovery.Ack> ack = in.readBoolean()
        ? Optional.of(new Recovery.Ack(in.readUTF(), in.readUTF(), in.readLong())) : Optional.empty();
    return new Recovery(id, alias, failed, from, kind, analysis, node, started, steps, successor, promoting, state, endedAt,
        lost, fork, reason, ack);
  }

  private static <T> T pick(T[] values, int ordinal) throws IOException {
    if (ordinal >= values.length) throw new IOException("snapshot: bad ordinal " + ordinal);
    return values[ordinal];
  }
}
