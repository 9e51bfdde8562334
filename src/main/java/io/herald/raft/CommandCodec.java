package io.herald.raft;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.cluster.Origin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one binary codec for commands, results and snapshot entries. Version-tagged so that a later Herald can read
 * what an earlier one wrote. Decoding bad bytes throws {@link IllegalArgumentException}.
 *
 * <p>A decoded command is checked as strictly as input from the API ({@link Master#checked}, {@link Alias}), and
 * must hold nothing after its last field: the state machine decodes every entry again before applying it, so a
 * forged or corrupt entry is refused, never applied.
 */
public final class CommandCodec {
  /**
   * The newest version read. Version 1 had SetMaster without origin and epoch condition, and clusters without
   * origin; version 2 SetMaster without proposer clock and minimum epoch; version 3 clusters without the wiped flag.
   * All are still read.
   */
  private static final int VERSION = 4;
  /**
   * Commands are written at version 3 (nothing in them needs 4), results at 3 unless a cluster in them is wiped: a
   * Herald of the version before reads what this one writes while a group is upgraded node by node.
   */
  private static final int COMMAND_VERSION = 3;
  private static final int SET_MASTER = 1;
  private static final int SUBMIT = 2;
  private static final int DISCOVER = 3;
  private static final int FORGET = 4;
  private static final int ADOPT = 5;
  private static final int REPORT_FAILURE = 6;
  private static final int SET_RECOVERIES = 7;
  private static final int BEGIN_DOWNTIME = 8;
  private static final int END_DOWNTIME = 9;
  private static final int REGISTER_CANDIDATE = 10;
  private static final int BEGIN_RECOVERY = 11;
  private static final int RECOVERY_STEP = 12;
  private static final int COMPLETE_RECOVERY = 13;
  private static final int END_RECOVERY = 14;
  private static final int ACK_RECOVERIES = 15;
  private static final int WIPE_VALUES = 16;
  /** At most this many lost replicas or peers in one command. */
  private static final int MAX_LIST = 10_000;
  /** At most this many instances in one Forget (a forged count must not make the decoder allocate). */
  private static final int MAX_FORGET = 100_000;

  private CommandCodec() {}

  public static byte[] encode(Command command) {
    return write(out -> {
      out.writeByte(COMMAND_VERSION);
      if (command instanceof Command.SetMaster s) {
        out.writeByte(SET_MASTER);
        out.writeUTF(s.alias().value());
        writeMaster(out, s.master());
        out.writeByte(s.origin().ordinal());
        out.writeBoolean(s.ifEpoch().isPresent());
        if (s.ifEpoch().isPresent()) out.writeLong(s.ifEpoch().getAsLong());
        out.writeLong(s.proposedAt());
        out.writeLong(s.minEpoch());
      } else if (command instanceof Command.Submit s) {
        out.writeByte(SUBMIT);
        out.writeBoolean(s.alias().isPresent());
        if (s.alias().isPresent()) out.writeUTF(s.alias().get().value());
      } else if (command instanceof Command.Discover d) {
        out.writeByte(DISCOVER);
        writeHostPort(out, d.instance());
      } else if (command instanceof Command.Forget f) {
        out.writeByte(FORGET);
        out.writeInt(f.instances().size());
        for (HostPort h : f.instances()) writeHostPort(out, h);
      } else if (command instanceof Command.Adopt a) {
        out.writeByte(ADOPT);
        out.writeUTF(a.alias().value());
      } else if (command instanceof Command.ReportFailure f) {
        out.writeByte(REPORT_FAILURE);
        out.writeUTF(f.alias().value());
        out.writeLong(f.epoch());
        out.writeUTF(f.node());
        out.writeUTF(f.analysis());
        out.writeBoolean(f.dead());
        out.writeLong(f.at());
      } else if (command instanceof Command.SetRecoveries r) {
        out.writeByte(SET_RECOVERIES);
        out.writeBoolean(r.enabled());
      } else if (command instanceof Command.BeginDowntime d) {
        out.writeByte(BEGIN_DOWNTIME);
        writeHostPort(out, d.instance());
        out.writeUTF(d.owner());
        out.writeUTF(d.reason());
        out.writeLong(d.beginsAt());
        out.writeLong(d.endsAt());
      } else if (command instanceof Command.EndDowntime d) {
        out.writeByte(END_DOWNTIME);
        writeHostPort(out, d.instance());
      } else if (command instanceof Command.BeginRecovery b) {
        out.writeByte(BEGIN_RECOVERY);
        out.writeUTF(b.alias().value());
        out.writeLong(b.fromEpoch());
        writeHostPort(out, b.failedMaster());
        out.writeByte(b.kind().ordinal());
        out.writeUTF(b.analysis());
        out.writeUTF(b.node());
        out.writeInt(b.peers().size());
        for (String p : b.peers()) out.writeUTF(p);
        out.writeLong(b.blockMillis());
        out.writeLong(b.at());
        out.writeBoolean(b.designated().isPresent());
        if (b.designated().isPresent()) writeHostPort(out, b.designated().get());
      } else if (command instanceof Command.RecoveryStep s) {
        out.writeByte(RECOVERY_STEP);
        out.writeUTF(s.alias().value());
        out.writeLong(s.id());
        out.writeUTF(s.text());
        out.writeBoolean(s.successor().isPresent());
        if (s.successor().isPresent()) writeHostPort(out, s.successor().get());
        out.writeBoolean(s.promoting());
        out.writeLong(s.at());
      } else if (command instanceof Command.CompleteRecovery c) {
        out.writeByte(COMPLETE_RECOVERY);
        out.writeUTF(c.alias().value());
        out.writeLong(c.id());
        writeMaster(out, c.successor());
        out.writeInt(c.lostReplicas().size());
        for (HostPort h : c.lostReplicas()) writeHostPort(out, h);
        out.writeUTF(c.forkPoint());
        out.writeLong(c.at());
      } else if (command instanceof Command.EndRecovery e) {
        out.writeByte(END_RECOVERY);
        out.writeUTF(e.alias().value());
        out.writeLong(e.id());
        out.writeBoolean(e.changedServers());
        out.writeUTF(e.reason());
        out.writeLong(e.at());
      } else if (command instanceof Command.WipeValues w) {
        out.writeByte(WIPE_VALUES);
        out.writeUTF(w.alias().value());
        out.writeLong(w.id());
        out.writeLong(w.at());
      } else if (command instanceof Command.AckRecoveries a) {
        out.writeByte(ACK_RECOVERIES);
        out.writeBoolean(a.alias().isPresent());
        if (a.alias().isPresent()) out.writeUTF(a.alias().get().value());
        out.writeUTF(a.by());
        out.writeUTF(a.comment());
        out.writeLong(a.at());
      } else {
        Command.RegisterCandidate c = (Command.RegisterCandidate) command;
        out.writeByte(REGISTER_CANDIDATE);
        writeHostPort(out, c.instance());
        out.writeByte(c.rule().ordinal());
        out.writeLong(c.at());
        out.writeLong(c.expiresAt());
      }
    });
  }

  /** Decodes a command from a client (or a test), with every check. */
  public static Command decodeCommand(byte[] bytes) {
    return decode(bytes, true);
  }

  /**
   * Decodes a command from the raft log for applying: entries of the current version get every check; entries older
   * versions logged get only the checks of their day (their addresses passed the rules of the code that accepted
   * them), so that replaying an old log gives the state the group had, on every node alike.
   */
  static Command decodeLogged(byte[] bytes) {
    return decode(bytes, false);
  }

  private static Command decode(byte[] bytes, boolean strictAlways) {
    return read(bytes, in -> {
      int version = readVersion(in);
      boolean strict = strictAlways || version >= 3;
      int type = in.readUnsignedByte();
      switch (type) {
        case SET_MASTER: {
          Alias alias = new Alias(in.readUTF());
          Master m = readMaster(in);
          Origin origin = Origin.DECLARED;
          OptionalLong ifEpoch = OptionalLong.empty();
          long proposedAt = 0;
          long minEpoch = 0;
          if (version >= 2) {
            origin = origin(in.readUnsignedByte());
            if (in.readBoolean()) ifEpoch = OptionalLong.of(in.readLong());
          }
          if (version >= 3) {
            proposedAt = in.readLong();
            minEpoch = in.readLong();
            if (proposedAt < 0 || proposedAt > DesiredState.MAX_PROPOSED_AT || minEpoch < 0 || minEpoch >= DesiredState.MAX_EPOCH) {
              throw new IllegalArgumentException("invalid clock " + proposedAt + " or minimum epoch " + minEpoch);
            }
          }
          return end(in, new Command.SetMaster(alias, strict ? Master.checked(m.address(), m.ipv4(), m.ipv6()) : m, origin,
              ifEpoch, proposedAt, minEpoch));
        }
        case SUBMIT:
          return end(in, new Command.Submit(in.readBoolean() ? Optional.of(new Alias(in.readUTF())) : Optional.empty()));
        case DISCOVER:
          return end(in, new Command.Discover(strict ? readCheckedHostPort(in) : readHostPort(in)));
        case FORGET: {
          int n = in.readInt();
          if (n < 1 || n > MAX_FORGET) throw new IllegalArgumentException("corrupt encoding: forget count " + n);
          List<HostPort> list = new ArrayList<>(Math.min(n, 64));
          for (int i = 0; i < n; i++) list.add(strict ? readCheckedHostPort(in) : readHostPort(in));
          return end(in, new Command.Forget(list));
        }
        case ADOPT:
          return end(in, new Command.Adopt(new Alias(in.readUTF())));
        case REPORT_FAILURE:
          return end(in, new Command.ReportFailure(new Alias(in.readUTF()), in.readLong(), in.readUTF(), in.readUTF(),
              in.readBoolean(), in.readLong()));
        case SET_RECOVERIES:
          return end(in, new Command.SetRecoveries(in.readBoolean()));
        case BEGIN_DOWNTIME:
          return end(in, new Command.BeginDowntime(readCheckedHostPort(in), in.readUTF(), in.readUTF(), in.readLong(),
              in.readLong()));
        case END_DOWNTIME:
          return end(in, new Command.EndDowntime(readCheckedHostPort(in)));
        case REGISTER_CANDIDATE: {
          HostPort h = readCheckedHostPort(in);
          int rule = in.readUnsignedByte();
          if (rule >= io.herald.cluster.PromotionRule.values().length) throw new IllegalArgumentException("corrupt encoding: rule " + rule);
          return end(in, new Command.RegisterCandidate(h, io.herald.cluster.PromotionRule.values()[rule], in.readLong(), in.readLong()));
        }
        case BEGIN_RECOVERY: {
          Alias alias = new Alias(in.readUTF());
          long from = in.readLong();
          HostPort failed = readCheckedHostPort(in);
          Recovery.Kind kind = pick(Recovery.Kind.values(), in.readUnsignedByte());
          String analysis = in.readUTF();
          String node = in.readUTF();
          int n = listSize(in);
          List<String> peers = new ArrayList<>(Math.min(n, 16));
          for (int i = 0; i < n; i++) peers.add(in.readUTF());
          long block = in.readLong();
          long at = clock(in.readLong());
          Optional<HostPort> designated = in.readBoolean() ? Optional.of(readCheckedHostPort(in)) : Optional.empty();
          return end(in, new Command.BeginRecovery(alias, from, failed, kind, analysis, node, peers, block, at, designated));
        }
        case RECOVERY_STEP: {
          Alias alias = new Alias(in.readUTF());
          long id = in.readLong();
          String text = in.readUTF();
          Optional<HostPort> successor = in.readBoolean() ? Optional.of(readCheckedHostPort(in)) : Optional.empty();
          boolean promoting = in.readBoolean();
          return end(in, new Command.RecoveryStep(alias, id, text, successor, promoting, clock(in.readLong())));
        }
        case COMPLETE_RECOVERY: {
          Alias alias = new Alias(in.readUTF());
          long id = in.readLong();
          Master m = readMaster(in);
          int n = listSize(in);
          List<HostPort> lost = new ArrayList<>(Math.min(n, 16));
          for (int i = 0; i < n; i++) lost.add(readCheckedHostPort(in));
          String fork = in.readUTF();
          return end(in, new Command.CompleteRecovery(alias, id, Master.checked(m.address(), m.ipv4(), m.ipv6()), lost,
              fork, clock(in.readLong())));
        }
        case END_RECOVERY:
          return end(in, new Command.EndRecovery(new Alias(in.readUTF()), in.readLong(), in.readBoolean(), in.readUTF(),
              clock(in.readLong())));
        case WIPE_VALUES:
          return end(in, new Command.WipeValues(new Alias(in.readUTF()), in.readLong(), clock(in.readLong())));
        case ACK_RECOVERIES: {
          Optional<Alias> alias = in.readBoolean() ? Optional.of(new Alias(in.readUTF())) : Optional.empty();
          return end(in, new Command.AckRecoveries(alias, in.readUTF(), in.readUTF(), clock(in.readLong())));
        }
        default:
          throw new IllegalArgumentException("unknown command type " + type);
      }
    });
  }

  private static int listSize(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_LIST) throw new IllegalArgumentException("corrupt encoding: list size " + n);
    return n;
  }

  private static long clock(long at) {
    if (at < 0 || at > DesiredState.MAX_PROPOSED_AT) throw new IllegalArgumentException("invalid clock " + at);
    return at;
  }

  private static <T> T pick(T[] values, int ordinal) {
    if (ordinal >= values.length) throw new IllegalArgumentException("corrupt encoding: ordinal " + ordinal);
    return values[ordinal];
  }

  private static Command end(DataInputStream in, Command c) throws IOException {
    if (in.available() > 0) throw new IllegalArgumentException("corrupt encoding: " + in.available() + " bytes after the command");
    return c;
  }

  public static byte[] encode(CommandResult r) {
    int version = r.clusters().stream().anyMatch(Cluster::wiped) ? 4 : 3;
    return write(out -> {
      out.writeByte(version);
      out.writeLong(r.index());
      out.writeBoolean(r.error().isPresent());
      if (r.error().isPresent()) {
        out.writeUTF(r.error().get().kind().name());
        out.writeUTF(r.error().get().message());
      }
      out.writeInt(r.clusters().size());
      for (Cluster c : r.clusters()) writeCluster(out, c, version);
    });
  }

  public static CommandResult decodeResult(byte[] bytes) {
    return read(bytes, in -> {
      int version = readVersion(in);
      long index = in.readLong();
      Optional<CommandResult.Refusal> error = Optional.empty();
      if (in.readBoolean()) {
        error = Optional.of(new CommandResult.Refusal(CommandResult.Refusal.Kind.valueOf(in.readUTF()), in.readUTF()));
      }
      int n = in.readInt();
      if (n < 0) throw new IllegalArgumentException("corrupt encoding: negative cluster count " + n);
      // the count is untrusted: grow as clusters are actually read, so a corrupt count cannot exhaust the heap
      List<Cluster> clusters = new ArrayList<>(Math.min(n, 64));
      for (int i = 0; i < n; i++) clusters.add(readCluster(in, version));
      return new CommandResult(index, error, clusters);
    });
  }

  /** Writes a cluster in {@code version}'s layout (3 or 4; a wiped one only in 4). */
  static void writeCluster(DataOutput out, Cluster c, int version) throws IOException {
    if (version < 4 && c.wiped()) throw new IllegalArgumentException("a wiped cluster needs encoding version 4");
    out.writeUTF(c.alias().value());
    writeMaster(out, c.master());
    out.writeLong(c.epoch());
    out.writeLong(c.submitted());
    out.writeByte(c.origin().ordinal());
    if (version >= 4) out.writeBoolean(c.wiped());
  }

  /** Reads a cluster written in {@code version}'s layout (version 1 clusters were all declared). */
  static Cluster readCluster(DataInput in, int version) throws IOException {
    Cluster c = new Cluster(new Alias(in.readUTF()), readMaster(in), in.readLong(), in.readLong());
    if (version >= 2) c = c.withOrigin(origin(in.readUnsignedByte()));
    return version >= 4 && in.readBoolean() ? c.wipedAt(c.epoch()) : c;
  }

  static void writeHostPort(DataOutput out, HostPort h) throws IOException {
    out.writeUTF(h.host());
    out.writeInt(h.port());
  }

  /** An address as stored (the constructor's checks only), for snapshots. */
  static HostPort readHostPort(DataInput in) throws IOException {
    return new HostPort(in.readUTF(), in.readInt());
  }

  private static HostPort readCheckedHostPort(DataInput in) throws IOException {
    HostPort h = readHostPort(in);
    return HostPort.checked(h.host(), h.port());
  }

  private static Origin origin(int ordinal) {
    Origin[] all = Origin.values();
    if (ordinal >= all.length) throw new IllegalArgumentException("corrupt encoding: origin " + ordinal);
    return all[ordinal];
  }

  private static void writeMaster(DataOutput out, Master m) throws IOException {
    out.writeUTF(m.address().host());
    out.writeInt(m.address().port());
    out.writeUTF(m.ipv4());
    out.writeUTF(m.ipv6());
  }

  private static Master readMaster(DataInput in) throws IOException {
    return new Master(new HostPort(in.readUTF(), in.readInt()), in.readUTF(), in.readUTF());
  }

  private static int readVersion(DataInput in) throws IOException {
    int v = in.readUnsignedByte();
    if (v < 1 || v > VERSION) throw new IllegalArgumentException("unsupported encoding version " + v);
    return v;
  }

  /** The newest encoding version read (snapshots write their clusters in its layout). */
  static int version() {
    return VERSION;
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen with an in-memory stream
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return r.read(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated or corrupt encoding", e);
    }
  }
}
