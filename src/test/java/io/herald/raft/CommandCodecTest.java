package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.raft.CommandResult.Refusal;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommandCodecTest {
  private static final Master V4 = new Master(new HostPort("db1.example.com", 3306), "10.0.0.1", "");
  private static final Master V6 = new Master(new HostPort("2001:db8::1", 3307), "", "2001:db8::1");

  static Stream<Command> commands() {
    return Stream.of(
        Command.SetMaster.declared(Alias.of("orders"), V4, 1_764_576_000_123L),
        Command.SetMaster.declared(Alias.of("x".repeat(128)), V6, 0),
        new Command.Submit(Optional.of(Alias.of("orders"))),
        new Command.Submit(Optional.empty()),
        Command.SetMaster.discovered(Alias.of("orders"), V4, 0, 1_764_576_000_123L),
        new Command.SetMaster(Alias.of("orders"), V6, io.herald.cluster.Origin.DECLARED, java.util.OptionalLong.of(42), 7, 99),
        new Command.Discover(new HostPort("db1.example.com", 3306)),
        new Command.Forget(List.of(new HostPort("db1", 3306), new HostPort("2001:db8::1", 3307))),
        new Command.Adopt(Alias.of("orders")),
        new Command.ReportFailure(Alias.of("orders"), 1_764_576_000_123_000L, "127.0.0.1:10001", "DeadMaster", true, 1_764_576_000_999L),
        new Command.SetRecoveries(false),
        new Command.BeginDowntime(new HostPort("db1", 3306), "ops", "kernel upgrade", 1_000, 61_000),
        new Command.EndDowntime(new HostPort("db1", 3306)),
        new Command.RegisterCandidate(new HostPort("db2", 3306), io.herald.cluster.PromotionRule.MUST_NOT, 1_000, 2_000),
        new Command.BeginRecovery(Alias.of("orders"), 1_764_576_000_123_000L, new HostPort("db1", 3306),
            Recovery.Kind.AUTOMATIC, "DeadMaster", "127.0.0.1:10001", List.of("127.0.0.1:10001", "127.0.0.1:10002",
            "127.0.0.1:10003"), 3_600_000, 1_764_576_000_999L, Optional.empty()),
        new Command.BeginRecovery(Alias.of("orders"), 7, new HostPort("2001:db8::1", 3306), Recovery.Kind.GRACEFUL,
            "graceful-master-takeover", "n1", List.of(), 0, 0, Optional.of(new HostPort("db2.example.com", 3307))),
        new Command.BeginRecovery(Alias.of("orders"), 7, new HostPort("db1", 3306), Recovery.Kind.MANUAL, "recover",
            "n1", List.of("n1"), 0, DesiredState.MAX_PROPOSED_AT, Optional.empty()),
        new Command.RecoveryStep(Alias.of("orders"), 12, "chose db2:3306 (Gtid_IO_Pos 0-1-100)",
            Optional.of(new HostPort("db2", 3306)), false, 1_764_576_001_000L),
        new Command.RecoveryStep(Alias.of("orders"), 12, "promoting ünïcode", Optional.empty(), true, 0),
        new Command.CompleteRecovery(Alias.of("orders"), 12, V4, List.of(new HostPort("db3", 3306),
            new HostPort("2001:db8::2", 3306)), "0-2-101,1-2-7", 1_764_576_002_000L),
        new Command.CompleteRecovery(Alias.of("orders"), 1, V6, List.of(), "", 0),
        new Command.EndRecovery(Alias.of("orders"), 12, true, "drain timed out", 1_764_576_003_000L),
        new Command.EndRecovery(Alias.of("orders"), 12, false, "no successor", 0),
        new Command.AckRecoveries(Optional.of(Alias.of("orders")), "alice", "known issue", 1_764_576_004_000L),
        new Command.AckRecoveries(Optional.empty(), "alice", "", 0),
        new Command.WipeValues(Alias.of("orders"), 12, 1_764_576_005_000L));
  }

  static Stream<Command> recoveryCommands() {
    return commands().filter(c -> c instanceof Command.BeginRecovery || c instanceof Command.RecoveryStep
        || c instanceof Command.CompleteRecovery || c instanceof Command.EndRecovery
        || c instanceof Command.AckRecoveries || c instanceof Command.WipeValues);
  }

  static Stream<CommandResult> results() {
    Cluster a = new Cluster(Alias.of("a"), V4, 3, 0);
    Cluster b = new Cluster(Alias.of("b"), V6, 5, 9, io.herald.cluster.Origin.DISCOVERED);
    return Stream.of(
        CommandResult.applied(1, List.of()),
        CommandResult.applied(9, List.of(a, b)),
        CommandResult.refused(4, Refusal.Kind.CONFLICT, "db1:3306 is already the master of cluster 'a'"),
        CommandResult.refused(Long.MAX_VALUE, Refusal.Kind.NOT_FOUND, ""),
        new CommandResult(7, Optional.of(new Refusal(Refusal.Kind.INVALID, "ünïcode message")), List.of(a)),
        CommandResult.applied(10, List.of(a, b.wipedAt(6))));
  }

  @Test
  void commandsAndResultsWithoutAWipedClusterAreWrittenAtVersionThreeForHeraldsOfTheVersionBefore() {
    assertThat(commands().map(c -> CommandCodec.encode(c)[0])).containsOnly((byte) 3);
    Cluster a = new Cluster(Alias.of("a"), V4, 3, 0);
    assertThat(CommandCodec.encode(CommandResult.applied(9, List.of(a)))[0]).isEqualTo((byte) 3);
    byte[] wiped = CommandCodec.encode(CommandResult.applied(9, List.of(a, a.wipedAt(4).withOrigin(
        io.herald.cluster.Origin.DISCOVERED))));
    assertThat(wiped[0]).isEqualTo((byte) 4);
    assertThat(CommandCodec.decodeResult(wiped).clusters().get(1).wiped()).isTrue();
    assertThat(CommandCodec.decodeResult(wiped).clusters().get(0).wiped()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("commands")
  void commandRoundTrips(Command command) {
    assertThat(CommandCodec.decodeCommand(CommandCodec.encode(command))).isEqualTo(command);
  }

  @ParameterizedTest
  @MethodSource("results")
  void resultRoundTrips(CommandResult result) {
    assertThat(CommandCodec.decodeResult(CommandCodec.encode(result))).isEqualTo(result);
  }

  @Test
  void encodingIsDeterministic() {
    Command c = Command.SetMaster.declared(Alias.of("orders"), V4, 5);
    assertThat(CommandCodec.encode(c)).isEqualTo(CommandCodec.encode(Command.SetMaster.declared(Alias.of("orders"), V4, 5)));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyTruncatedCommandIsRefused(Command command) {
    byte[] full = CommandCodec.encode(command);
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThatThrownBy(() -> CommandCodec.decodeCommand(cut))
          .as("truncated to %d of %d bytes", n, full.length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("results")
  void everyTruncatedResultIsRefused(CommandResult result) {
    byte[] full = CommandCodec.encode(result);
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThatThrownBy(() -> CommandCodec.decodeResult(cut))
          .as("truncated to %d of %d bytes", n, full.length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void unknownVersionIsRefused() {
    byte[] bytes = CommandCodec.encode(new Command.Submit(Optional.empty()));
    bytes[0] = 5;
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 5");
    byte[] result = CommandCodec.encode(CommandResult.applied(1, List.of()));
    result[0] = (byte) 0xff;
    assertThatThrownBy(() -> CommandCodec.decodeResult(result)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownCommandTypeIsRefused() {
    byte[] bytes = CommandCodec.encode(new Command.Submit(Optional.empty()));
    bytes[1] = 99;
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown command type 99");
  }

  @Test
  void invalidAliasInsideTheBytesIsRefused() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(1);
      out.writeByte(2);
      out.writeBoolean(true);
      out.writeUTF("a/b");
    });
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  /** What a stranger on an insecure raft port sent in the adversarial test: it must never be applied. */
  @ParameterizedTest
  @MethodSource("forgedMasters")
  void aSetMasterWithAnAddressTheApiWouldRefuseIsRefused(Master forged) {
    byte[] bytes = CommandCodec.encode(Command.SetMaster.declared(Alias.of("pwned"), forged, 1));
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid");
  }

  static Stream<Master> forgedMasters() {
    return Stream.of(
        new Master(new HostPort("10.66.6.6", 3306), "evil..ipv4", ""),
        new Master(new HostPort("10.66.6.6", 3306), "256.256.256.256", ""),
        new Master(new HostPort("2001:db8::1", 3306), "", "1::2::3"),
        new Master(new HostPort("db..x", 3306), "", ""),
        new Master(new HostPort("0177.0.0.1", 3306), "", ""));
  }

  @Test
  void aVersionOneSetMasterStillDecodesAsADeclaration() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(1);
      out.writeByte(1);
      out.writeUTF("orders");
      out.writeUTF("db1");
      out.writeInt(3306);
      out.writeUTF("");
      out.writeUTF("");
    });
    assertThat(CommandCodec.decodeCommand(bytes)).isEqualTo(Command.SetMaster.declared(Alias.of("orders"),
        new Master(new HostPort("db1", 3306), "", ""), 0));
  }

  @Test
  void anOldLogEntryWithAnAddressOfItsDayStillAppliesButAClientsIsRefused() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(1);
      out.writeByte(1);
      out.writeUTF("orders");
      out.writeUTF("0177.0.0.1"); // accepted by the code that logged it
      out.writeInt(3306);
      out.writeUTF("");
      out.writeUTF("");
    });
    assertThat(CommandCodec.decodeLogged(bytes)).isInstanceOf(Command.SetMaster.class);
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClockOrMinimumEpochThatWouldOverflowIsRefused() {
    Master m = new Master(new HostPort("db1", 3306), "", "");
    for (Command c : List.of(
        new Command.SetMaster(Alias.of("a"), m, io.herald.cluster.Origin.DECLARED, java.util.OptionalLong.empty(), Long.MAX_VALUE / 100, 0),
        new Command.SetMaster(Alias.of("a"), m, io.herald.cluster.Origin.DECLARED, java.util.OptionalLong.empty(), 1, Long.MAX_VALUE - 1))) {
      byte[] bytes = CommandCodec.encode(c);
      assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> CommandCodec.decodeLogged(bytes)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aForgedDiscoverOfABadAddressIsRefused() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(2);
      out.writeByte(3);
      out.writeUTF("0177.0.0.1");
      out.writeInt(3306);
    });
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bytesAfterTheCommandAreRefused() {
    byte[] good = CommandCodec.encode(new Command.Submit(Optional.empty()));
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
    assertThatThrownBy(() -> CommandCodec.decodeCommand(longer)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after the command");
  }

  @Test
  void unknownRefusalKindIsRefused() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(1);
      out.writeLong(1);
      out.writeBoolean(true);
      out.writeUTF("TEAPOT");
      out.writeUTF("short and stout");
      out.writeInt(0);
    });
    assertThatThrownBy(() -> CommandCodec.decodeResult(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeClusterCountIsRefused() throws IOException {
    byte[] bytes = resultWithClusterCount(-1);
    assertThatThrownBy(() -> CommandCodec.decodeResult(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hugeClusterCountIsRefusedWithoutAllocatingForIt() throws IOException {
    // a corrupt count must not make the decoder reserve room for two billion clusters (OutOfMemoryError)
    byte[] bytes = resultWithClusterCount(Integer.MAX_VALUE);
    assertThatThrownBy(() -> CommandCodec.decodeResult(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyInputIsRefused() {
    assertThatThrownBy(() -> CommandCodec.decodeCommand(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommandCodec.decodeResult(new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyRecoveryCommandIsCovered() {
    assertThat(recoveryCommands()).hasSize(12);
  }

  @ParameterizedTest
  @MethodSource("recoveryCommands")
  void aRecoveryCommandWithBytesAfterItIsRefused(Command command) {
    byte[] good = CommandCodec.encode(command);
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> CommandCodec.decodeCommand(longer)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after the command");
    assertThatThrownBy(() -> CommandCodec.decodeLogged(longer)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A BeginRecovery written field by field, so that each field can be forged. */
  private static byte[] beginRecovery(int kind, String failedHost, int peerCount, long at, Optional<String> designated)
      throws IOException {
    return bytes(out -> {
      out.writeByte(CommandCodec.version());
      out.writeByte(11);
      out.writeUTF("orders");
      out.writeLong(5);
      out.writeUTF(failedHost);
      out.writeInt(3306);
      out.writeByte(kind);
      out.writeUTF("recover");
      out.writeUTF("n1");
      out.writeInt(peerCount);
      for (int i = 0; i < peerCount; i++) out.writeUTF("n" + i);
      out.writeLong(1000);
      out.writeLong(at);
      out.writeBoolean(designated.isPresent());
      if (designated.isPresent()) {
        out.writeUTF(designated.get());
        out.writeInt(3306);
      }
    });
  }

  @Test
  void theForgedBeginRecoveryIsWellFormedWhenNothingIsForged() throws IOException {
    assertThat(CommandCodec.decodeCommand(beginRecovery(1, "db1", 2, 9, Optional.of("db2")))).isEqualTo(
        new Command.BeginRecovery(Alias.of("orders"), 5, new HostPort("db1", 3306), Recovery.Kind.MANUAL, "recover", "n1",
            List.of("n0", "n1"), 1000, 9, Optional.of(new HostPort("db2", 3306))));
  }

  @Test
  void aRecoveryKindOutOfRangeIsRefused() throws IOException {
    byte[] bytes = beginRecovery(Recovery.Kind.values().length, "db1", 1, 9, Optional.empty());
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ordinal 3");
    byte[] max = beginRecovery(255, "db1", 1, 9, Optional.empty());
    assertThatThrownBy(() -> CommandCodec.decodeCommand(max)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNegativeOrHugeListSizeIsRefused() throws IOException {
    for (int n : new int[] {-1, Integer.MIN_VALUE, 10_001, Integer.MAX_VALUE}) {
      byte[] peers = beginRecovery(1, "db1", 0, 9, Optional.empty());
      // the peer count sits before the block (8), clock (8) and designated flag (1) at the end
      java.nio.ByteBuffer.wrap(peers).putInt(peers.length - 21, n);
      assertThatThrownBy(() -> CommandCodec.decodeCommand(peers)).as("peers %d", n)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list size " + n);
      byte[] lost = bytes(out -> {
        out.writeByte(CommandCodec.version());
        out.writeByte(13);
        out.writeUTF("orders");
        out.writeLong(12);
        out.writeUTF("db2");
        out.writeInt(3306);
        out.writeUTF("");
        out.writeUTF("");
        out.writeInt(n);
        out.writeUTF("");
        out.writeLong(9);
      });
      assertThatThrownBy(() -> CommandCodec.decodeCommand(lost)).as("lost replicas %d", n)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list size " + n);
    }
  }

  @Test
  void aRecoveryClockBeyondTheLargestIsRefused() {
    long beyond = DesiredState.MAX_PROPOSED_AT + 1;
    Alias a = Alias.of("orders");
    HostPort db1 = new HostPort("db1", 3306);
    for (Command c : List.of(
        new Command.BeginRecovery(a, 5, db1, Recovery.Kind.MANUAL, "recover", "n1", List.of(), 0, beyond, Optional.empty()),
        new Command.RecoveryStep(a, 12, "x", Optional.empty(), false, beyond),
        new Command.CompleteRecovery(a, 12, V4, List.of(), "", beyond),
        new Command.EndRecovery(a, 12, false, "x", beyond),
        new Command.AckRecoveries(Optional.empty(), "alice", "", Long.MAX_VALUE))) {
      byte[] bytes = CommandCodec.encode(c);
      assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).as("%s", c).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid clock");
      assertThatThrownBy(() -> CommandCodec.decodeLogged(bytes)).as("%s", c).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aNegativeRecoveryClockIsRefused() throws IOException {
    byte[] bytes = beginRecovery(1, "db1", 1, -1, Optional.empty());
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid clock -1");
  }

  /** The addresses of recovery commands pass the same checks as the API's. */
  static Stream<Command> recoveryCommandsWithABadAddress() {
    Alias a = Alias.of("orders");
    HostPort bad = new HostPort("0177.0.0.1", 3306);
    HostPort good = new HostPort("db1", 3306);
    return Stream.of(
        new Command.BeginRecovery(a, 5, bad, Recovery.Kind.MANUAL, "recover", "n1", List.of(), 0, 9, Optional.empty()),
        new Command.BeginRecovery(a, 5, good, Recovery.Kind.MANUAL, "recover", "n1", List.of(), 0, 9, Optional.of(bad)),
        new Command.RecoveryStep(a, 12, "chose", Optional.of(bad), false, 9),
        new Command.CompleteRecovery(a, 12, new Master(bad, "", ""), List.of(), "", 9),
        new Command.CompleteRecovery(a, 12, V4, List.of(good, bad), "", 9),
        new Command.CompleteRecovery(a, 12, new Master(good, "evil..ipv4", ""), List.of(), "", 9),
        new Command.CompleteRecovery(a, 12, V4, List.of(new HostPort("db..x", 3306)), "", 9));
  }

  @ParameterizedTest
  @MethodSource("recoveryCommandsWithABadAddress")
  void aRecoveryCommandWithAnAddressTheApiWouldRefuseIsRefused(Command forged) {
    byte[] bytes = CommandCodec.encode(forged);
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid");
    assertThatThrownBy(() -> CommandCodec.decodeLogged(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aForgedBeginRecoveryThatItsConstructorWouldRefuseIsRefused() throws IOException {
    // automatic without peers; the master itself designated
    byte[] noPeers = beginRecovery(0, "db1", 0, 9, Optional.empty());
    assertThatThrownBy(() -> CommandCodec.decodeCommand(noPeers)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peers");
    byte[] self = beginRecovery(1, "db1", 0, 9, Optional.of("db1"));
    assertThatThrownBy(() -> CommandCodec.decodeCommand(self)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("master itself");
  }

  private static byte[] resultWithClusterCount(int n) throws IOException {
    return bytes(out -> {
      out.writeByte(1);
      out.writeLong(1);
      out.writeBoolean(false);
      out.writeInt(n);
    });
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] bytes(Body body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      body.write(out);
    }
    return b.toByteArray();
  }
}
